"""Adjudication in Label Studio, against the real server: two annotators disagree, `adjudicate`
lists the undecided item, `push_review` makes a review task with each annotator's version and the
agreed gold, the adjudicator submits a decision, `pull_review` stores it as gold through the write
path (method manual, the adjudicator's pseudonym, the task named), and the next `adjudicate` keeps it.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from label_studio_sdk.client import LabelStudio

from newsgold.corpus import Corpus, ingest, init_corpus
from newsgold.curation import adjudicate
from newsgold.formats.labelstudio import set_to_results
from newsgold.schemas import GoldSet
from newsgold.studio import connect, pull, pull_review, push, push_review
from newsgold.studio.review import AGREED
from helpers import seed_scheme

pytestmark = pytest.mark.labelstudio

TEXT = "Pevkur said in Tallinn that the troops stay.\n"
AGREED_TEXT = "Kallas spoke in Riga.\n"


def _set(text: str, doc_id: str, sha: str, *spans: tuple[str, str]) -> GoldSet:
    found = []
    for number, (label, needle) in enumerate(spans, 1):
        start = text.index(needle)
        found.append({"id": f"s{number}", "start": start, "end": start + len(needle), "label": label, "text": needle})
    return GoldSet.model_validate({"doc_id": doc_id, "doc_sha256": sha, "spans": found,
                                   "provenance": {"method": "manual"}})


def undecided(studio_env: Any, tmp_path: Path) -> tuple[Corpus, LabelStudio, dict[str, Any]]:
    """A corpus of two documents pushed, annotated by two people who disagree on one of them (GPE or
    ORG for Tallinn), pulled and adjudicated: `review.jsonl` lists that one. The corpus, a client and
    the documents."""
    corpus = init_corpus(tmp_path / "c", name=f"review-{uuid.uuid4().hex[:8]}", scheme=seed_scheme())
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "split", "text": TEXT}) + "\n" + json.dumps({"id": "agreed", "text": AGREED_TEXT})
                    + "\n")
    ingest(corpus, [feed])
    studio = connect()
    sdk = LabelStudio(base_url=studio_env.url, api_key=studio_env.token)
    project_id = push(corpus, studio).project_id
    tasks = {t.data["doc_id"]: t.id for t in sdk.tasks.list(project=project_id, fields="task_only")}
    documents = {d.id: d for d in corpus.iter_documents()}
    for label in ("GPE", "ORG"):  # they disagree on Tallinn's label
        tag = uuid.uuid4().hex[:6]
        user = sdk.users.create(username=f"{label}-{tag}", email=f"{label.lower()}-{tag}@newsgold.test")
        split = _set(TEXT, "split", documents["split"].sha256, ("PERSON", "Pevkur"), (label, "Tallinn"))
        agreed = _set(AGREED_TEXT, "agreed", documents["agreed"].sha256, ("PERSON", "Kallas"), ("GPE", "Riga"))
        for doc_id, content in (("split", split), ("agreed", agreed)):
            sdk.annotations.create(id=tasks[doc_id], result=set_to_results(content, corpus.scheme), completed_by=user.id)
    assert pull(corpus, studio).ok
    majority = adjudicate(Corpus.open(corpus.root), "majority")
    assert [u.doc_id for u in majority.unresolved] == ["split"]
    return Corpus.open(corpus.root), sdk, documents


def test_an_adjudicator_decides_in_label_studio_and_the_decision_is_kept(studio_env: Any, tmp_path: Path) -> None:
    corpus, sdk, documents = undecided(studio_env, tmp_path)
    studio = connect()
    pushed = push_review(Corpus.open(corpus.root), studio)
    assert pushed.documents == ["split"] and pushed.versions == 2
    [task] = list(sdk.tasks.list(project=pushed.project_id, fields="all"))
    annotators = sorted(s.annotator for s in Corpus.open(corpus.root).iter_annotation_sets() if s.doc_id == "split")
    predictions = {p["model_version"] if isinstance(p, dict) else p.model_version: p for p in task.predictions}
    assert sorted(predictions) == sorted([*annotators, AGREED])  # each version, named by its pseudonym, and the agreed
    again = push_review(Corpus.open(corpus.root), studio)
    assert again.documents == [] and again.already_present == ["split"]

    decision = _set(TEXT, "split", documents["split"].sha256, ("PERSON", "Pevkur"), ("GPE", "Tallinn"))
    sdk.annotations.create(id=task.id, result=set_to_results(decision, corpus.scheme))  # the adjudicator (admin)
    stored = pull_review(Corpus.open(corpus.root), studio)
    assert stored.ok and [(o.doc_id, o.status) for o in stored.gold] == [("split", "updated")]
    gold = {g.doc_id: g for g in Corpus.open(corpus.root).iter_gold()}
    assert sorted((s.label, s.text) for s in gold["split"].spans) == [("GPE", "Tallinn"), ("PERSON", "Pevkur")]
    provenance = gold["split"].provenance
    assert provenance.method == "manual" and len(provenance.annotators) == 1
    assert provenance.annotators[0].startswith("ann-") and f"task {task.id}" in (provenance.note or "")
    assert "adjudicated in Label Studio" in (provenance.note or "")

    kept = adjudicate(Corpus.open(corpus.root), "majority")  # the next adjudicate keeps the decision
    assert kept.kept_hand_made == ["split"]
    assert {g.doc_id: g for g in Corpus.open(corpus.root).iter_gold()}["split"] == gold["split"]
    assert [(o.doc_id, o.status) for o in pull_review(Corpus.open(corpus.root), studio).gold] == [("split", "unchanged")]


def test_pulling_a_review_that_was_never_made_creates_no_project(studio_env: Any, tmp_path: Path) -> None:
    """`studio review --pull` before `studio review`: a usage error, and no empty review project
    left behind in Label Studio (issue 41, item 11)."""
    from newsgold.errors import UsageError
    from newsgold.studio.review import review_title

    corpus, sdk, _ = undecided(studio_env, tmp_path)
    with pytest.raises(UsageError, match="no review project .* yet: make it with `newsgold studio review`"):
        pull_review(corpus, connect())
    assert not [p for p in sdk.projects.list() if p.title == review_title(corpus)]


def test_the_review_shows_people_only_with_their_notes_and_two_decisions_are_refused(
        studio_env: Any, tmp_path: Path) -> None:
    """Issue 43, item 5: suggestions are no annotator's version; an annotator's note for the
    adjudicator is in their version's note box; a review task with two submissions is not decided
    by the clock: the pull rejects it, naming both, and stores nothing of it."""
    from newsgold.formats.labelstudio.config import NOTE_NAME
    from newsgold.schemas import AnnotationSet
    from newsgold.suggest import suggest

    corpus, sdk, documents = undecided(studio_env, tmp_path)
    suggest(Corpus.open(corpus.root))
    assert any(s.is_suggestion for s in Corpus.open(corpus.root).iter_annotation_sets())
    noted = next(s for s in Corpus.open(corpus.root).iter_annotation_sets() if s.doc_id == "split" and not s.is_suggestion)
    lines = (corpus.annotations_path).read_text().splitlines()
    with_note = AnnotationSet.model_validate({**noted.model_dump(by_alias=True, exclude_none=True),
                                              "comments": [{"author": noted.annotator, "text": "Tallinn: city or government?"}]})
    (corpus.annotations_path).write_text("\n".join(
        line if not (f'"annotator":"{noted.annotator}"' in line and '"doc_id":"split"' in line) else
        with_note.model_dump_json(by_alias=True, exclude_none=True) for line in lines) + "\n")
    studio = connect()
    pushed = push_review(Corpus.open(corpus.root), studio)
    assert pushed.documents == ["split"] and pushed.versions == 2  # the two people, not the suggestions
    [task] = list(sdk.tasks.list(project=pushed.project_id, fields="all"))
    predictions = {p["model_version"] if isinstance(p, dict) else p.model_version: p for p in task.predictions}
    assert "suggest" not in predictions
    result = predictions[noted.annotator]["result"] if isinstance(predictions[noted.annotator], dict) \
        else predictions[noted.annotator].result
    [note] = [r for r in result if r.get("from_name") == NOTE_NAME]
    assert note["value"]["text"] == ["Tallinn: city or government?"]

    for label in ("GPE", "ORG"):  # two decisions on one task
        decision = _set(TEXT, "split", documents["split"].sha256, ("PERSON", "Pevkur"), (label, "Tallinn"))
        sdk.annotations.create(id=task.id, result=set_to_results(decision, corpus.scheme))
    before = corpus.gold_path.read_bytes()
    pulled = pull_review(Corpus.open(corpus.root), studio)
    [rejected] = pulled.rejected
    assert not pulled.ok and rejected.code == "review-two-submissions" and rejected.doc_id == "split"
    assert "delete all but the decision" in rejected.as_text()
    assert corpus.gold_path.read_bytes() == before
