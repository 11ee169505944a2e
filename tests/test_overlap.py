"""Overlap k against the real server: `push(overlap=2)`, three annotators who join by the invite
link and work through Label Studio's own labeling stream (`/api/projects/ID/next`, as the web page
asks for each next task) until it has nothing more for them. Every document ends with exactly two
annotations by two different annotators; `status` shows it per document and per annotator; pull
and agreement work unchanged across it.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsgold.corpus import Corpus, ingest, init_corpus
from newsgold.curation import agreement
from newsgold.studio import annotators, connect, pull, push, status
from helpers import seed_scheme

pytestmark = pytest.mark.labelstudio

TEXTS = {f"d{n}": f"Minister {name} said on Monday that the talks would go on.\n"
         for n, name in enumerate(["Pevkur", "Kallas", "Stoltenberg", "Rutte", "Scholz", "Macron"], 1)}


def _join(url: str, invite_url: str, email: str) -> httpx.Client:
    """An annotator signs up with the invite link (the form the page shows) and gets their own
    access token: a client that acts as them."""
    password = f"pass-{uuid.uuid4().hex}"
    with httpx.Client(base_url=url, follow_redirects=True) as browser:
        form = browser.get(invite_url)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert csrf, form.text[:500]
        browser.post(invite_url, data={"csrfmiddlewaretoken": csrf.group(1), "email": email, "password": password},
                     headers={"Referer": f"{url}{invite_url}" if invite_url.startswith("/") else invite_url})
        token = browser.get("/api/current-user/token").json()["token"]
    return httpx.Client(base_url=url, headers={"Authorization": f"Token {token}"}, timeout=30)


def _label_next(annotator: httpx.Client, project_id: int) -> str | None:
    """Ask the labeling stream for the next task and submit a PERSON over its name (None: nothing left)."""
    answer = annotator.get(f"/api/projects/{project_id}/next")
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    task: dict[str, Any] = answer.json()
    text = task["data"]["text"]
    start = text.index(" ") + 1
    end = text.index(" ", start)
    region = {"id": uuid.uuid4().hex[:10], "from_name": "entity", "to_name": "text", "type": "labels",
              "value": {"start": start, "end": end, "text": text[start:end], "labels": ["PERSON"]}}
    annotator.post(f"/api/tasks/{task['id']}/annotations/", json={"result": [region]}).raise_for_status()
    return str(task["data"]["doc_id"])


def test_every_document_goes_to_exactly_k_annotators(studio_env: Any, tmp_path: Path) -> None:
    corpus = init_corpus(tmp_path / "c", name=f"overlap-{uuid.uuid4().hex[:8]}", scheme=seed_scheme())
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in TEXTS.items()))
    ingest(corpus, [feed])
    studio = connect()
    pushed = push(corpus, studio, overlap=2)
    assert pushed.overlap == 2 and pushed.overlap_changed and len(pushed.imported) == len(TEXTS)
    assert push(corpus, studio, overlap=2).overlap_changed is False  # the same setting again: nothing to change

    invite = annotators(studio).invite_url
    team = {name: _join(studio_env.url, invite, f"{name}-{uuid.uuid4().hex[:6]}@newsgold.test")
            for name in ("ana", "ben", "cy")}
    labelled: dict[str, list[str]] = {name: [] for name in team}
    busy = True
    while busy:  # the three take turns, as people working at the same time do
        busy = False
        for name, client in team.items():
            doc = _label_next(client, pushed.project_id)
            if doc is not None:
                labelled[name].append(doc)
                busy = True
    for client in team.values():
        client.close()

    per_document: dict[str, list[str]] = {}
    for name, docs in labelled.items():
        assert len(docs) == len(set(docs))  # never the same document twice to one annotator
        for doc in docs:
            per_document.setdefault(doc, []).append(name)
    assert {doc: len(names) for doc, names in per_document.items()} == dict.fromkeys(TEXTS, 2)
    assert sum(map(len, labelled.values())) == 2 * len(TEXTS)

    report = status(corpus, studio)
    assert report.overlap == 2 and report.annotators_per_document == dict.fromkeys(TEXTS, 2)
    assert sorted(report.overlap_done) == sorted(TEXTS) and report.overlap_short == {}
    assert sorted(report.annotated.values()) == sorted(len(docs) for docs in labelled.values())

    assert pull(corpus, studio).ok
    sets = list(Corpus.open(corpus.root).iter_annotation_sets())
    assert sorted(s.doc_id for s in sets) == sorted(doc for doc in TEXTS for _ in range(2))
    figures = agreement(Corpus.open(corpus.root))
    assert figures.ok and figures.as_dict()["documents"] == len(TEXTS)
