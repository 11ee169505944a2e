"""The least confident suggestions first, against the real server: `push(order="uncertain")` imports
the tasks so that Label Studio's labeling stream (`/api/projects/ID/next`, what the labeling page
asks for each next task) serves the documents whose suggestions are least confident first, while
an organization has many members (this server's, from the other tests)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsgold.corpus import Corpus, add_sets, ingest, init_corpus
from newsgold.schemas import AnnotationSet
from newsgold.studio import connect, push
from newsgold.studio.push import confidence
from helpers import seed_scheme

pytestmark = pytest.mark.labelstudio

TEXT = "Minister {} said on Monday that the talks would go on.\n"
SCORES = {"sure": [0.95, 0.9], "unsure": [0.3, 0.5], "rules": [None], "middling": [0.6, 0.7], "nothing": []}
"""The scores of each document's suggested spans (None: a span from rules, counted as sure)."""


def _suggestions(corpus: Corpus) -> list[AnnotationSet]:
    sets = []
    for document in corpus.iter_documents():
        name = document.text.split()[1]
        spans = [{"id": f"s{n}", "start": 9, "end": 9 + len(name), "label": "PERSON", "text": name,
                  **({"score": score} if score is not None else {})}
                 for n, score in enumerate(SCORES[name][:1], 1)]
        if len(SCORES[name]) > 1:  # a second span: the quote
            start = document.text.index("the talks")
            spans.append({"id": "q1", "start": start, "end": len(document.text) - 2, "label": "QUOTE",
                          "text": document.text[start:-2], "attrs": {"form": "indirect"},
                          "score": SCORES[name][1]})
        sets.append(AnnotationSet.model_validate({
            "doc_id": document.id, "doc_sha256": document.sha256, "annotator": "suggest",
            "origin": {"source": "suggestion", "detail": "test"}, "spans": spans}))
    return sets


def test_uncertain_order_serves_the_least_confident_documents_first(studio_env: Any, tmp_path: Path) -> None:
    corpus = init_corpus(tmp_path / "c", name=f"order-{uuid.uuid4().hex[:8]}", scheme=seed_scheme())
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": name, "text": TEXT.format(name)}) + "\n" for name in SCORES))
    ingest(corpus, [feed])
    sets = _suggestions(corpus)
    assert add_sets(corpus, sets).ok
    ranked = sorted(sets, key=lambda s: confidence(s))
    assert [s.doc_id for s in ranked] == ["nothing", "unsure", "middling", "sure", "rules"]

    studio = connect()
    pushed = push(corpus, studio, set_name="suggest", order="uncertain")
    assert pushed.order == "uncertain" and len(pushed.imported) == len(SCORES) and pushed.predictions == len(SCORES)
    assert push(corpus, studio, set_name="suggest", order="uncertain").predictions_unchanged == len(SCORES)

    served = []
    with httpx.Client(base_url=studio_env.url, headers={"Authorization": f"Token {studio_env.token}"},
                      timeout=30) as annotator:
        while True:  # the labeling stream, task after task, as the page asks for them
            answer = annotator.get(f"/api/projects/{pushed.project_id}/next")
            if answer.status_code == 404:
                break
            task = answer.raise_for_status().json()
            served.append(task["data"]["doc_id"])
            prediction_scores = [p["score"] for p in task.get("predictions", [])]
            assert prediction_scores == [confidence(next(s for s in sets if s.doc_id == served[-1]))]
            annotator.post(f"/api/tasks/{task['id']}/annotations/", json={"result": []}).raise_for_status()
    assert served == ["nothing", "unsure", "middling", "sure", "rules"]


def test_uncertain_order_needs_a_suggestion_set(studio_env: Any, tmp_path: Path) -> None:
    from newsgold.errors import UsageError

    corpus = init_corpus(tmp_path / "c", name=f"order-{uuid.uuid4().hex[:8]}", scheme=seed_scheme())
    with pytest.raises(UsageError, match="pass set_name= a suggestion set"):
        push(corpus, connect(), order="uncertain")
    with pytest.raises(UsageError, match="order='random' is not one of: corpus, uncertain"):
        push(corpus, connect(), order="random")
