"""Benchmark every long command at two corpus sizes: peak memory and time per document, and their ratios.

Builds synthetic corpora (bench/synthetic.py: documents of 3,000 characters, 30 gold spans and one
annotation set each) of 10,000 and 100,000 documents (`--sizes`, or `--million` to add 1,000,000),
then runs each command in a fresh process and prints its peak RSS and its time per document at
each size, and the ratios largest/smallest. Goals: both ratios at most 1.3x for every command (memory
and time per document do not grow with the corpus), and the spaCy export at most 1.5x the time spaCy
itself needs to build the same Docs (`make_doc` plus `char_span` for every span) in one process.
Usage: python bench/scale.py [--sizes 10000,100000] [--million] [--commands validate,export-spacy,...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import make_corpus  # noqa: E402

COMMANDS = ("validate", "ingest", "export-jsonl", "export-ner-hf", "export-spacy", "export-label-studio",
            "export-brat", "import-label-studio", "import-brat", "adjudicate", "agreement", "stats", "spacy-floor")

RUN = """
import json, resource, sys, time
from pathlib import Path
command, corpus_dir, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from newsgold.corpus import Corpus, init_corpus, ingest, validate
from newsgold.curation import adjudicate, agreement
from newsgold.exchange import export, import_label_studio, import_brat
started = time.perf_counter()
if command == "validate":
    validate(corpus_dir)
elif command == "ingest":
    ingest(init_corpus(work / "ingested", name="ingested"), [work / "feed.jsonl"])
elif command.startswith("export-"):
    export(Corpus.open(corpus_dir), command.removeprefix("export-"), work / command, source="annotations")
elif command == "import-label-studio":
    import_label_studio(init_corpus(work / "from-ls", name="ls"), work / "export-label-studio" / "annotations.json")
elif command == "import-brat":
    import_brat(init_corpus(work / "from-brat", name="brat"), work / "export-brat", set_from="folder")
elif command == "adjudicate":
    adjudicate(Corpus.open(corpus_dir), "majority", replace=True, review_path=work / "review.jsonl")
elif command == "agreement":
    agreement(Corpus.open(corpus_dir))
elif command == "stats":  # `newsgold stats --output-format json`, every per-document row included
    import contextlib, os
    from newsgold.cli import main
    with open(os.devnull, "w") as nowhere, contextlib.redirect_stdout(nowhere):
        main(["stats", "--corpus", str(corpus_dir), "--output-format", "json"], standalone_mode=False)
elif command == "spacy-floor":  # what spaCy itself needs to build the same Docs, in one process
    import orjson, spacy
    nlp = spacy.blank("en")
    texts = {}
    with open(corpus_dir / "documents.jsonl", "rb") as docs, open(corpus_dir / "annotations.jsonl", "rb") as sets:
        for doc_line, set_line in zip(docs, sets):
            document, annotations = orjson.loads(doc_line), orjson.loads(set_line)
            doc = nlp.make_doc(document["text"])
            for span in annotations["spans"]:
                doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="expand")
seconds = time.perf_counter() - started
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024}))  # the largest process: this one or a worker
"""


def run(command: str, corpus: Path, work: Path) -> dict[str, float]:
    """Run one command in a fresh process; its seconds and peak RSS (MB)."""
    done = subprocess.run([sys.executable, "-c", RUN, command, str(corpus), str(work)], capture_output=True,
                          text=True, cwd=work)
    if done.returncode != 0:
        raise SystemExit(f"{command} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def feed(corpus: Path, work: Path) -> None:
    """The corpus's documents as an ingest feed (JSONL with id and text)."""
    import orjson

    with open(corpus / "documents.jsonl", "rb") as documents, open(work / "feed.jsonl", "wb") as out:
        for line in documents:
            record = orjson.loads(line)
            out.write(orjson.dumps({"id": record["id"], "text": record["text"]}) + b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--million", action="store_true", help="add a corpus of 1,000,000 documents")
    parser.add_argument("--commands", default=",".join(COMMANDS))
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")] + ([1_000_000] if args.million else [])
    commands = args.commands.split(",")
    results: dict[str, dict[int, dict[str, float]]] = {c: {} for c in commands}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            work = Path(tmp) / f"w{size}"
            work.mkdir()
            corpus = make_corpus(Path(tmp) / f"c{size}", size)
            feed(corpus, work)
            for command in commands:
                results[command][size] = run(command, corpus, work)
                figures = results[command][size]
                print(f"{size:>9,} documents  {command:<22} {figures['peak_mb']:8.0f} MB  "
                      f"{1e3 * figures['seconds'] / size:8.3f} ms/document", flush=True)
            shutil.rmtree(work)
            shutil.rmtree(corpus)
    small, large = sizes[0], sizes[-1]
    print(f"\nratios {large:,} / {small:,} documents (goal: at most 1.3x each)")
    summary: dict[str, object] = {"sizes": sizes}
    for command in commands:
        rss = results[command][large]["peak_mb"] / results[command][small]["peak_mb"]
        per_doc = (results[command][large]["seconds"] / large) / (results[command][small]["seconds"] / small)
        summary[command] = {"rss_ratio": round(rss, 2), "time_per_document_ratio": round(per_doc, 2)}
        print(f"  {command:<22} peak RSS {rss:5.2f}x   time per document {per_doc:5.2f}x")
    if "export-spacy" in commands and "spacy-floor" in commands:
        ratio = results["export-spacy"][large]["seconds"] / results["spacy-floor"][large]["seconds"]
        summary["spacy_export_over_spacy_floor"] = round(ratio, 2)
        print(f"  spaCy export / spaCy's own make_doc + char_span at {large:,}: {ratio:.2f}x (goal: at most 1.5x)")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
