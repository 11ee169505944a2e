"""Benchmark `newsgold report` on synthetic corpora: time and peak memory at two sizes.

Each corpus (bench/synthetic.py) has one gold set and two annotators' sets per document (the second
drops each document's last span, so agreement and disputes have something to show). The report is
written in a fresh process per size, so that peak memory (ru_maxrss) is the report's own. Goals: the
5,000-document report within a few seconds, and memory that does not grow with the corpus (peak at
5,000 documents at most 1.3 times the peak at 1,000).

Usage: python bench/report.py [--small 1000] [--large 5000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import make_corpus  # noqa: E402

MEASURE = """
import resource, sys, time
from pathlib import Path
from newsgold.corpus import Corpus
from newsgold.report import write_report
began = time.perf_counter()
written = write_report(Corpus.open(sys.argv[1]), Path(sys.argv[2]))
seconds = time.perf_counter() - began
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, written.bytes)
"""


def team_corpus(root: Path, documents: int) -> Path:
    """A synthetic corpus with a second annotator, who leaves out each document's last span."""
    make_corpus(root, documents)
    lines = (root / "annotations.jsonl").read_bytes().splitlines()
    with open(root / "annotations.jsonl", "ab") as out:
        for line in lines:
            record = orjson.loads(line)
            dropped = record["spans"][-1]["id"]
            record["spans"] = record["spans"][:-1]
            record["relations"] = [r for r in record.get("relations", []) if dropped not in (r["from"], r["to"])]
            out.write(orjson.dumps({**record, "annotator": "annotator-2"}) + b"\n")
    return root


def measure(root: Path, out: Path) -> dict[str, float]:
    """Seconds, peak memory (MB) and size (KB) of one report, in a fresh process."""
    printed = subprocess.run([sys.executable, "-c", MEASURE, str(root), str(out)], check=True,
                             capture_output=True, text=True).stdout.split()
    seconds, peak_kb, size = float(printed[0]), int(printed[1]), int(printed[2])
    return {"seconds": round(seconds, 2), "peak_mb": round(peak_kb / 1024, 1), "report_kb": round(size / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=5000)
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="newsgold-report-") as folder:
        for size in (args.small, args.large):
            root = team_corpus(Path(folder) / f"c{size}", size)
            results[str(size)] = measure(root, Path(folder) / f"report-{size}.html")
    small, large = results[str(args.small)], results[str(args.large)]
    results["memory_ratio"] = round(large["peak_mb"] / small["peak_mb"], 2)  # type: ignore[index]
    print(json.dumps(results, indent=2))
    print(f"report of {args.large} documents: {large['seconds']} s, peak {large['peak_mb']} MB "  # type: ignore[index]
          f"({results['memory_ratio']}x the peak at {args.small}; goal at most 1.3)", file=sys.stderr)


if __name__ == "__main__":
    main()
