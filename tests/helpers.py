"""Small builders for corpora with hand-made annotation sets (tests only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsgold.corpus import Corpus, ingest, init_corpus
from newsgold.corpus.store import record_line
from newsgold.schemas import AnnotationSet, GoldSet
from newsgold.schemas.document import Document
from newsgold.schemas.scheme import Scheme


def corpus_with_texts(root: Path, texts: dict[str, str]) -> Corpus:
    corpus = init_corpus(root, name=root.name, scheme=seed_scheme())
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
    # As a person or another tool would write the file: the write path's checks are what tests test.
    corpus.annotations_path.write_bytes(b"".join(record_line(m) for m in models))
    return models


def write_corpus(root: Path, documents: list[Document], golds: list[GoldSet]) -> Path:
    """A corpus folder holding exactly `documents` and their gold sets, written as the store writes them."""
    init_corpus(root, name=root.name)
    (root / "documents.jsonl").write_bytes(b"".join(record_line(d) for d in documents))
    (root / "gold.jsonl").write_bytes(b"".join(record_line(g) for g in golds))
    return root


def bio_runs(tags: list[str], offsets: list[list[int]]) -> list[tuple[str, int, int]]:
    """(label, start, end) of the runs BIO `tags` mark over tokens at `offsets` (an I- continues a B-
    of its label; an I- that continues nothing is an error)."""
    found: list[tuple[str, int, int]] = []
    previous = "O"
    for tag, (start, end) in zip(tags, offsets, strict=True):
        if tag.startswith("I-"):
            assert previous[2:] == tag[2:], f"{tag} does not continue an entity"
            found[-1] = (tag[2:], found[-1][1], end)
        elif tag.startswith("B-"):
            found.append((tag[2:], start, end))
        else:
            assert tag == "O", tag
        previous = tag
    return found


def seed_scheme() -> Scheme:
    """The news scheme with the bundled corpus's three stance claims (NATO personnel, a French
    contingent, 300,000 Russian soldiers): what the tests annotate stance toward. A corpus newsgold
    makes has no claims unless given."""
    return Corpus.open(Path(__file__).resolve().parents[1] / "corpus").scheme


def content_of(annotation_set: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """A set's spans and relations by what they are (offsets, label, text, values), not by their ids:
    Label Studio keeps one region for a speaker over a person's words (REGION.SPEAKER comes back)."""
    key = {s.id: (s.start, s.end, s.label) for s in annotation_set.spans}
    spans = sorted((s.start, s.end, s.label, s.text, sorted(s.attrs.items()), sorted(s.stance.items()),
                    s.fragments) for s in annotation_set.spans)
    return spans, sorted((r.type, key[r.from_], key[r.to]) for r in annotation_set.relations)


def regions_of(annotation_set: Any, scheme: Scheme) -> int:
    """How many regions Label Studio draws for a set pushed as a prediction or a review version."""
    from newsgold.formats.labelstudio import set_to_results

    return len({r["id"] for r in set_to_results(annotation_set, scheme) if r.get("type") == "labels"})


def arrows_of(annotation_set: Any, scheme: Scheme) -> int:
    """How many arrows Label Studio draws for a set pushed as a prediction (a named speaker's reference
    to the person is the region's two labels, not an arrow)."""
    from newsgold.formats.labelstudio import set_to_results

    return sum(r.get("type") == "relation" for r in set_to_results(annotation_set, scheme))
