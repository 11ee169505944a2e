"""Benchmark `export` on a synthetic 20,000-document gold corpus against the orjson parse floor.

Prints, per format, export time as a ratio to parsing the corpus's document and gold lines with
orjson.loads in one process (goal for jsonl: within 4x), with the default number of processes
and with one. Usage: python bench/export.py [--documents 20000] [--formats jsonl,quotes,stance,ner-hf,attribution-hf,attribution-conll]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import interleaved, make_corpus  # noqa: E402

from newsgold._parallel import available_jobs  # noqa: E402
from newsgold.corpus import Corpus  # noqa: E402
from newsgold.exchange import export  # noqa: E402


def parse_floor(root: Path) -> None:
    for name in ("documents.jsonl", "gold.jsonl"):
        with open(root / name, "rb") as f:
            for line in f:
                orjson.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--formats", default="jsonl,quotes,stance,ner-hf,attribution-hf,attribution-conll")
    parser.add_argument("--runs", type=int, default=5, help="rounds of timed runs, each function in turn")
    args = parser.parse_args()
    jobs = available_jobs()
    results: dict[str, object] = {"documents": args.documents, "jobs": jobs}
    with tempfile.TemporaryDirectory() as tmp:
        root = make_corpus(Path(tmp) / "c", args.documents)
        corpus = Corpus.open(root)
        print(f"{args.documents} gold documents; export with {jobs} processes and with one, "
              "against orjson parse of documents + gold in one process")
        for name in args.formats.split(","):
            out = Path(tmp) / "out" / name
            timed = interleaved(args.runs, {
                "floor": lambda: parse_floor(root),
                "parallel": lambda: export(corpus, name, out, jobs=jobs),  # noqa: B023
                "serial": lambda: export(corpus, name, out, jobs=1),  # noqa: B023
            })
            floor = timed.best("floor")
            for key in ("parallel", "serial"):
                results[f"{name}_{key}_s"] = round(timed.best(key), 3)
                results[f"{name}_{key}_ratio"] = round(timed.best_ratio(key, "floor"), 2)
                results[f"{name}_{key}_ratio_median_of_rounds"] = round(timed.median_ratio(key, "floor"), 2)
            results[f"{name}_orjson_parse_s"] = round(floor, 3)
            low, high = timed.ratio_range("parallel", "floor")
            goal = " (goal <= 4)" if name == "jsonl" else ""
            print(f"  {name}: {timed.best('parallel'):.2f}s = {timed.best_ratio('parallel', 'floor'):.2f}x "
                  f"the parse floor {floor:.2f}s (best of {args.runs}); median of rounds "
                  f"{timed.median_ratio('parallel', 'floor'):.2f}x ({low:.2f}x to {high:.2f}x){goal}; "
                  f"one process {timed.best('serial'):.2f}s = {timed.best_ratio('serial', 'floor'):.2f}x, "
                  f"median {timed.median_ratio('serial', 'floor'):.2f}x")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
