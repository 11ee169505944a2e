"""Small builders for corpora with hand-made annotation sets (tests only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsgold._io import Transaction
from newsgold.corpus import Corpus, ingest, init_corpus
from newsgold.schemas import AnnotationSet


def corpus_with_texts(root: Path, texts: dict[str, str]) -> Corpus:
    corpus = init_corpus(root, name=root.name)
    feed = root.parent / f"{root.name}-feed.jsonl"
    feed.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()))
    ingest(corpus, [feed])
    return corpus


def span(text: str, sid: str, label: str, needle: str, nth: int = 1, **extra: Any) -> dict[str, Any]:
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    return {"id": sid, "start": start, "end": start + len(needle), "label": label, "text": needle, **extra}


def write_sets(corpus: Corpus, sets: list[dict[str, Any]]) -> list[AnnotationSet]:
    shas = {d.id: d.sha256 for d in corpus.iter_documents()}
    models = [AnnotationSet.model_validate({"origin": {"source": "manual"}, "doc_sha256": shas[s["doc_id"]], **s})
              for s in sets]
    with Transaction() as txn:
        corpus.write_annotation_sets(models, txn)
    return models
