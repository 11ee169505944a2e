"""Benchmark `newsgold validate` against the parse floor (orjson.loads) and jsonschema.

Prints throughput and the ratios the project's goals are stated in:
- validation within 3x of just parsing the same lines with orjson.loads;
- at least 20x faster than jsonschema with the published JSON Schema;
- peak memory for 100,000 documents no more than 1.3x that for 10,000.

Usage: python bench/validate.py [--documents 20000] [--skip-memory]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import interleaved, make_corpus  # noqa: E402

from newsgold._parallel import available_jobs  # noqa: E402
from newsgold.corpus import validate  # noqa: E402
from newsgold.schemas import json_schemas  # noqa: E402

FILES = {"documents.jsonl": "document.schema.json", "annotations.jsonl": "annotation-set.schema.json",
         "gold.jsonl": "gold-set.schema.json"}


def parse_floor(root: Path) -> None:
    for name in FILES:
        with open(root / name, "rb") as f:
            for line in f:
                orjson.loads(line)


def jsonschema_rate(root: Path, sample: int) -> float:
    """Seconds per line for jsonschema over the first `sample` lines of each file."""
    import jsonschema

    schemas = json_schemas()
    total_lines, total_time = 0, 0.0
    for name, schema_name in FILES.items():
        validator = jsonschema.Draft202012Validator(schemas[schema_name])
        with open(root / name, "rb") as f:
            lines = [next(f) for _ in range(sample)]
        start = time.perf_counter()
        for line in lines:
            validator.validate(orjson.loads(line))
        total_time += time.perf_counter() - start
        total_lines += len(lines)
    return total_time / total_lines


def peak_rss_mib(root: Path) -> tuple[float, float]:
    """Peak RSS of a fresh process validating `root`, and of its largest worker process."""
    code = ("import resource, sys; from newsgold.corpus import validate; "
            "r = validate(sys.argv[1]); assert r.ok, r.problems[:3]; "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code, str(root)], check=True, capture_output=True, text=True)
    main_mib, worker_mib = out.stdout.split()
    return float(main_mib), float(worker_mib)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--jsonschema-sample", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5, help="rounds of timed runs, each function in turn")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_corpus(Path(tmp) / "c", args.documents)
        lines = 3 * args.documents
        size = sum((root / n).stat().st_size for n in FILES) / 2**20
        report = validate(root)
        assert report.ok, [p.as_text() for p in report.problems[:5]]
        jobs = available_jobs()
        timed = interleaved(args.runs, {
            "floor": lambda: parse_floor(root),
            "parallel": lambda: validate(root, jobs=jobs),
            "serial": lambda: validate(root, jobs=1),
        })
        floor, ours, serial = timed.best("floor"), timed.best("parallel"), timed.best("serial")
        low, high = timed.ratio_range("parallel", "floor")
        per_line_js = jsonschema_rate(root, args.jsonschema_sample)
        js = per_line_js * lines
        results = {
            "documents": args.documents,
            "spans_per_set": report.spans // max(1, report.annotation_sets + report.gold_sets),
            "mib": round(size, 1),
            "jobs": jobs,
            "orjson_parse_s": round(floor, 3),
            "newsgold_validate_s": round(ours, 3),
            "newsgold_validate_one_process_s": round(serial, 3),
            "jsonschema_s_estimated": round(js, 1),
            "lines_per_s": round(lines / ours),
            "ratio_to_parse_floor": round(ours / floor, 2),
            "ratio_to_parse_floor_median_of_rounds": round(timed.median_ratio("parallel", "floor"), 2),
            "ratio_to_parse_floor_rounds_low_high": [round(low, 2), round(high, 2)],
            "ratio_to_parse_floor_one_process_median_of_rounds": round(timed.median_ratio("serial", "floor"), 2),
            "ratio_to_parse_floor_one_process": round(serial / floor, 2),
            "speedup_over_jsonschema": round(js / ours, 1),
            "speedup_over_jsonschema_one_process": round(js / serial, 1),
        }
    print(f"{args.documents} documents ({results['mib']} MiB, {results['spans_per_set']} spans a set): "
          f"validate {ours:.2f}s with {jobs} processes ({serial:.2f}s with one), orjson parse "
          f"{floor:.2f}s (one process), jsonschema ~{js:.0f}s (one process, extrapolated from "
          f"{args.jsonschema_sample} lines a file)")
    print(f"  ratio to parse floor: {results['ratio_to_parse_floor']}x best of {args.runs}, "
          f"{results['ratio_to_parse_floor_median_of_rounds']}x median of rounds ({low:.2f}x to "
          f"{high:.2f}x) (goal <= 3); one process: {results['ratio_to_parse_floor_one_process']}x best, "
          f"{results['ratio_to_parse_floor_one_process_median_of_rounds']}x median")
    print(f"  speed-up over jsonschema: {results['speedup_over_jsonschema']}x (goal >= 20); one process: "
          f"{results['speedup_over_jsonschema_one_process']}x")
    if not args.skip_memory:
        rss = {}
        for n in (10_000, 100_000):
            with tempfile.TemporaryDirectory() as tmp:
                rss[n] = peak_rss_mib(make_corpus(Path(tmp) / "c", n, spans=10))
        for role, i in (("main", 0), ("worker", 1)):
            small, large = rss[10_000][i], rss[100_000][i]
            results[f"peak_rss_mib_10k_{role}"] = round(small, 1)
            results[f"peak_rss_mib_100k_{role}"] = round(large, 1)
            results[f"memory_ratio_100k_to_10k_{role}"] = round(large / small, 2) if small else None
            print(f"  peak RSS of the {role} process: {small:.0f} MiB for 10,000 documents, "
                  f"{large:.0f} MiB for 100,000: {large / small if small else float('nan'):.2f}x "
                  "(goal <= 1.3)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
