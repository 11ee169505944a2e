"""Benchmark `newsgold suggest`: how good the suggestions are, and how fast they come.

Prints the figures of `evaluate_suggestions` on the bundled corpus (each document left out of the
lexicon that suggests it): precision/recall/F1 per label, attribution accuracy, and the effort ratio
(operations from the suggestions to gold / operations from an empty page). Then the time per
document of the string matcher and the rules on one core, on news text: the bundled articles, each
copy made unique (so no cache answers), with the lexicon of the bundled gold. Goal: at least 100
documents a second.

Usage: python bench/suggest.py [--documents 500]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newsgold.corpus import Corpus
from newsgold.schemas import Document, DocumentMeta
from newsgold.suggest import Suggester, evaluate_suggestions, suggest_set
from newsgold.suggest.suggest import corpus_lexicon

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    args = parser.parse_args()
    corpus = Corpus.open(args.corpus)
    results: dict[str, object] = {"evaluation": evaluate_suggestions(corpus).as_dict(),
                                  "evaluation_entities_only": evaluate_suggestions(
                                      corpus, Suggester(attribution=False)).as_dict()}
    texts = [d.text for d in corpus.iter_documents()]
    documents = [Document.from_text(f"d{n}", f"{texts[n % len(texts)]}\n\nCopy {n} of the article.",
                                    DocumentMeta()) for n in range(args.documents)]
    matcher = corpus_lexicon(corpus).matcher()
    suggest_set(documents[0], corpus.scheme, matcher)  # loads spaCy's tokenizer once, outside the timing
    for name, suggester in (("both", Suggester()), ("string_match", Suggester(attribution=False)),
                            ("rules", Suggester(entities=False))):
        began = time.perf_counter()
        spans = sum(len(suggest_set(d, corpus.scheme, matcher, suggester=suggester).spans) for d in documents[1:])
        seconds = time.perf_counter() - began
        results[f"{name}_documents_per_second"] = round((len(documents) - 1) / seconds, 1)
        results[f"{name}_ms_per_document"] = round(1000 * seconds / (len(documents) - 1), 3)
        results[f"{name}_spans"] = spans
    chars = sum(len(d.text) for d in documents) / len(documents)
    results["characters_per_document"] = round(chars)
    results["goal_documents_per_second"] = 100
    print(json.dumps(results, indent=2))
    met = results["both_documents_per_second"] >= 100  # type: ignore[operator]
    print(f"string matching + rules: {results['both_documents_per_second']} documents/s on one core "
          f"({'meets' if met else 'misses'} the goal of 100), effort ratio "
          f"{results['evaluation']['effort']['ratio']} (lower is better)",  # type: ignore[index]
          file=sys.stderr)


if __name__ == "__main__":
    main()
