"""Benchmark `export` on a synthetic 20,000-document gold corpus against the orjson parse floor.

Prints, per format, export time as a ratio to parsing the corpus's document and gold lines with
orjson.loads (goal for jsonl: within 4x). Usage: python bench/export.py [--documents 20000]
[--formats jsonl,quotes,stance,ner-hf]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import best_of, make_corpus  # noqa: E402

from newsgold.corpus import Corpus  # noqa: E402
from newsgold.exports import export  # noqa: E402


def parse_floor(root: Path) -> None:
    for name in ("documents.jsonl", "gold.jsonl"):
        with open(root / name, "rb") as f:
            for line in f:
                orjson.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--formats", default="jsonl,quotes,stance,ner-hf")
    args = parser.parse_args()
    results: dict[str, object] = {"documents": args.documents}
    with tempfile.TemporaryDirectory() as tmp:
        root = make_corpus(Path(tmp) / "c", args.documents)
        corpus = Corpus.open(root)
        floor = best_of(3, lambda: parse_floor(root))
        results["orjson_parse_s"] = round(floor, 3)
        print(f"{args.documents} gold documents: orjson parse of documents + gold {floor:.2f}s")
        for name in args.formats.split(","):
            seconds = best_of(2, lambda: export(corpus, name, Path(tmp) / "out" / name))
            ratio = seconds / floor
            results[f"{name}_s"] = round(seconds, 3)
            results[f"{name}_ratio"] = round(ratio, 2)
            goal = " (goal <= 4)" if name == "jsonl" else ""
            print(f"  {name}: {seconds:.2f}s, {ratio:.2f}x the parse floor{goal}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
