"""Benchmark `newsgold suggest`: how good the suggestions are, and how fast they come.

Prints the figures of `evaluate_suggestions` on the bundled corpus (each document left out of the
lexicon that suggests it): precision/recall/F1 per label, attribution accuracy, and the effort ratio
(operations from the suggestions to gold / operations from an empty page). Then the time per
document of the string matcher and the rules on one core, on news text: the bundled articles, each
copy made unique (so no cache answers), with the lexicon of the bundled gold. Goal: at least 100
documents a second.

With `--polnear CLONE` it measures on articles nobody here wrote instead: a split of PolNeAR (a
clone of github.com/networkdynamics/PolNeAR; `--split dev` by default, `train` for developing, never
`test`), imported as bench/polnear.py says, and prints per role (QUOTE, SPEAKER, CUE) exact and
overlap precision/recall/F1, the attribution accuracy and the effort ratio.

With `--curve 10,30,100,300` it also trains the role tagger (`newsgold train --tagger`) on that
many articles of PolNeAR train (shuffled with a fixed seed) and scores each on the split: the
learning curve, beside the rules' figures.

Usage: python bench/suggest.py [--documents 500]
       python bench/suggest.py --polnear PATH/TO/PolNeAR [--split dev] [--curve 10,30,100,300]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from newsgold.corpus import Corpus
from newsgold.schemas import Document, DocumentMeta
from newsgold.suggest import Suggester, evaluate_suggestions, suggest_set
from newsgold.suggest.suggest import corpus_lexicon

REPO = Path(__file__).resolve().parent.parent
ROLES = ("QUOTE", "SPEAKER", "CUE")


def polnear_figures(clone: Path, split: str) -> dict[str, object]:
    """The suggestions scored on a PolNeAR split (see bench/polnear.py): what came in, per role
    exact and overlap P/R/F1, attribution accuracy and effort."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from polnear import polnear_corpus

    with tempfile.TemporaryDirectory(prefix="newsgold-polnear-") as folder:
        imported = polnear_corpus(clone, split, Path(folder) / "corpus")
        evaluation = evaluate_suggestions(imported.corpus).as_dict()
    return {
        "split": split, "articles": imported.articles, "sets": imported.sets,
        "files_left_out": len(imported.files_left_out), "lines_lost": imported.lines_lost,
        "spans_conformed": imported.spans_conformed, "spans_dropped": imported.spans_dropped,
        "articles_with_several_annotators": imported.several_annotators,
        "roles": {role: evaluation["labels"][role] for role in ROLES if role in evaluation["labels"]},
        "attribution_accuracy": evaluation["attribution_accuracy"],
        "attributed_quotes": evaluation["attributed_quotes"],
        "effort": evaluation["effort"],
    }


def polnear_curve(clone: Path, split: str, sizes: list[int], seed: int = 0) -> list[dict[str, object]]:
    """The role tagger trained on the first `size` articles of PolNeAR train (shuffled with `seed`)
    and scored on `split`, for each size: the same figures as `polnear_figures`, plus the training
    time in seconds."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from polnear import polnear_corpus

    from newsgold.suggest.tagger import train_tagger

    if split == "train":
        raise SystemExit("--curve trains on PolNeAR train: measure it on dev (--split dev)")
    points = []
    with tempfile.TemporaryDirectory(prefix="newsgold-polnear-") as folder:
        train = polnear_corpus(clone, "train", Path(folder) / "train").corpus
        measured = polnear_corpus(clone, split, Path(folder) / split).corpus
        index = train.document_index()
        gold = sorted(train.iter_gold(), key=lambda g: g.doc_id)
        random.Random(seed).shuffle(gold)
        for size in sizes:
            began = time.perf_counter()
            report = train_tagger(((index.read_document(g.doc_id), g.spans) for g in gold[:size]),
                                  Path(folder) / f"tagger-{size}")
            seconds = time.perf_counter() - began
            evaluation = evaluate_suggestions(measured, tagger_path=report.folder).as_dict()
            points.append({"split": split, "articles": evaluation["documents"], "training_articles": report.documents,
                           "training_tokens": report.tokens, "training_seconds": round(seconds, 1),
                           "roles": {role: evaluation["labels"][role] for role in ROLES if role in evaluation["labels"]},
                           "attribution_accuracy": evaluation["attribution_accuracy"],
                           "attributed_quotes": evaluation["attributed_quotes"], "effort": evaluation["effort"]})
    return points


def polnear_summary(figures: dict[str, object]) -> str:
    """One line per role and one for attribution and effort, as the docs quote them."""
    trained = (f", role tagger trained on {figures['training_articles']} train articles"
               if "training_articles" in figures else ", rules")
    lines = [f"PolNeAR {figures['split']}: {figures['articles']} articles{trained}"]
    for role, counts in figures["roles"].items():  # type: ignore[attr-defined]
        exact, overlap = counts["exact"], counts["overlap"]
        lines.append(f"  {role:8} exact P/R/F1 {exact['precision']} / {exact['recall']} / {exact['f1']}   "
                     f"overlap {overlap['precision']} / {overlap['recall']} / {overlap['f1']}")
    effort = figures["effort"]
    lines.append(f"  attribution accuracy {figures['attribution_accuracy']} of {figures['attributed_quotes']} "
                 f"quotes with a speaker; effort ratio {effort['ratio']} "  # type: ignore[index]
                 f"({effort['operations']} operations against {effort['operations_from_scratch']} from scratch)")  # type: ignore[index]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--polnear", type=Path, help="a clone of github.com/networkdynamics/PolNeAR")
    parser.add_argument("--split", default="dev", help="the PolNeAR split: dev (default) or train")
    parser.add_argument("--curve", help="with --polnear: train the role tagger on these numbers of train "
                                        "articles (comma-separated) and score each")
    args = parser.parse_args()
    if args.polnear is not None:
        figures = polnear_figures(args.polnear, args.split)
        curve = polnear_curve(args.polnear, args.split, [int(n) for n in args.curve.split(",")]) if args.curve else []
        print(json.dumps({**figures, "curve": curve} if args.curve else figures, indent=2))
        for point in [figures, *curve]:
            print(polnear_summary(point), file=sys.stderr)
        return
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
