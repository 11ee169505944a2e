"""Tests written against the surviving mutants of `make mutation` (docs/development.md, "Mutation
testing"): each pins what a module decides to the last detail a mutant changed and no other test
saw. They are ordinary tests, run by `make test` too.

Survivors left alive on purpose, by kind (each equivalent: no input tells it from the original):
- the wording of messages built for people where another test pins the rule code, field and
  place, and the message says the same thing in other words (an upper-cased or `XX`-wrapped
  literal inside a sentence);
- defaults that every caller passes explicitly;
- a `break` after the last element of a loop over one item.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from pydantic import ValidationError

from newsgold.corpus.checks import check_set
from newsgold.schemas import AnnotationSet, GoldSet

from conftest import DATA
from helpers import seed_scheme

GOLDEN = DATA / "findings.golden.json"
"""Every finding of `check_set` on every set of the invalid fixtures: rule, field, message and the
span, relation or target it is in (adjudication drops exactly the item a finding names)."""


def _findings() -> dict[str, list[dict[str, object]]]:
    texts = {json.loads(line)["id"]: json.loads(line)["text"]
             for line in (DATA / "base" / "documents.jsonl").read_text(encoding="utf-8").splitlines()}
    scheme = seed_scheme()
    found: dict[str, list[dict[str, object]]] = {}
    for fixture in sorted((DATA / "invalid").glob("*.jsonl")):
        source = fixture.name.split(".")[0]
        if source not in ("annotations", "gold"):
            continue
        model = GoldSet if source == "gold" else AnnotationSet
        for number, line in enumerate(fixture.read_text(encoding="utf-8").splitlines(), 1):
            try:
                content = model.model_validate_json(line)
            except ValidationError:
                continue  # a model rule (NG1xx): validate's own tests pin those
            text = texts.get(content.doc_id)
            if text is None:
                continue
            findings = check_set(content, text, scheme, gold=source == "gold")
            found[f"{fixture.name}:{number}"] = [asdict(f) for f in findings]
    return found


def test_every_finding_of_the_invalid_fixtures_is_as_recorded() -> None:
    """Regenerate after a deliberate change: `python -c 'import test_mutation_kills as t; t.write_golden()'`
    from tests/, and read the diff."""
    assert _findings() == json.loads(GOLDEN.read_text(encoding="utf-8"))


def write_golden() -> None:
    GOLDEN.write_text(json.dumps(_findings(), indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


RECONCILED = DATA / "reconciliation.golden.json"
"""Every outcome of every case of test_reconcile.py, whole: status, code, ids, line and message of
each set, and the new version of each updated line (a pull stores exactly what is decided here)."""


def _reconciled() -> dict[str, object]:
    from newsgold.corpus.outcomes import plain
    from newsgold.corpus.reconcile import LocalSet, Reconciler
    from test_reconcile import CASES, PROJECT

    found: dict[str, object] = {}
    for name, case in CASES.items():
        for complete in (True, False):
            local = [LocalSet.of(line, s) for line, s in enumerate(case.local, 1)]
            reconciler = Reconciler(local, PROJECT, "annotations.jsonl", replace_local=lambda doc_id, c=case: c.take)
            for task in case.tasks:
                present = task.present | {s.origin.annotation_id for s in task.live if s.origin.annotation_id}
                reconciler.task(task.id, task.live, present)
            outcome = reconciler.finish(complete=complete)
            found[f"{name} (complete={complete})"] = {
                "outcomes": [plain(o) for o in outcome.outcomes],
                "updates": {str(line): plain(s) for line, s in sorted(outcome.updates.items())},
                "additions": [plain(s) for s in outcome.additions],
                "removals": sorted(outcome.removals), "replaced": sorted(outcome.replaced),
                "changes_file": outcome.changes_file,
            }
    return found


def test_every_reconciliation_is_as_recorded() -> None:
    assert _reconciled() == json.loads(RECONCILED.read_text(encoding="utf-8"))


def write_reconciled() -> None:
    RECONCILED.write_text(json.dumps(_reconciled(), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                          encoding="utf-8")


WRITTEN = DATA / "write-path.golden.json"
"""A scripted sequence of candidate sets through the write path, whole: each outcome, and the file
it leaves (pseudonyms numbered in order of appearance, since each corpus draws its own salt)."""

RAW = "\ufeffBob said:\r\n\u201cWe stay.\u201d\r\nAnn Lee agreed.\r\n"


def _written(tmp_path: Path) -> dict[str, object]:
    import re

    from newsgold.corpus import Corpus, ingest, init_corpus
    from newsgold.corpus.normalize import normalize_text
    from newsgold.corpus.outcomes import plain
    from newsgold.corpus.pseudonyms import Identity
    from newsgold.corpus.write import corpus_write
    from newsgold.corpus.write.sets import CandidateComment, CandidateSet
    from newsgold.schemas import Origin, Relation, Span

    corpus = init_corpus(tmp_path / "c", name="kills", scheme=seed_scheme())
    (tmp_path / "d1.txt").write_bytes(RAW.encode())
    (tmp_path / "d2.txt").write_text("Pevkur said Estonia stays.\n")
    ingest(corpus, [tmp_path / "d1.txt", tmp_path / "d2.txt"])
    texts = {d.id: d.text for d in Corpus.open(corpus.root).iter_documents()}
    raw = normalize_text(RAW)

    def on_raw(label: str, piece: str, span_id: str, **extra: object) -> Span:
        start = RAW.index(piece)
        stored = raw.to_stored(start)
        return Span(id=span_id, start=start, end=start + len(piece), label=label,
                    text=texts["d1"][stored:stored + len(piece)], **extra)  # type: ignore[arg-type]

    person = Identity(email="Ann@Example.org", user_id=4)
    studio = Origin(source="label-studio", project_id=7, task_id=100, annotation_id=10, updated_at="t1")
    quote = [on_raw("SPEAKER", "Bob", "s1"), on_raw("CUE", "said", "s2"),
             on_raw("QUOTE", "We stay.", "s3", attrs={"form": "direct"}, stance={"nato-personnel-in-ukraine": "favor"})]
    links = [Relation(type="attributed_to", **{"from": "s3", "to": "s1"}),
             Relation(type="cued_by", **{"from": "s3", "to": "s2"})]
    base = CandidateSet("d1", texts["d1"], person, studio, spans=quote, relations=links, normalized=raw,
                        comments=[CandidateComment(person, "the cue is 'said'", "t0"),
                                  CandidateComment("bea", "agreed", "t1", resolved=True, comment_id=3)],
                        stance={"nato-personnel-in-ukraine": "favor"}, where="task 100 annotation 10")
    across = on_raw("QUOTE", "stay.\u201d\r", "s9")  # ends between the CR and the LF ingest joined
    plain_set = CandidateSet("d2", texts["d2"], "bea", Origin(source="manual"),
                             spans=[Span(id="s1", start=0, end=6, label="PERSON", text="Pevkur")])
    other = CandidateSet("d2", texts["d2"], "bea", Origin(source="manual"),
                         spans=[Span(id="s1", start=12, end=19, label="GPE", text="Estonia")])
    writes: list[list[tuple[str, CandidateSet, str]]] = [
        [("a pull's annotation, on the raw text", base, "reject")],
        [("the same again", base, "reject")],
        [("the same annotation imported under another id", CandidateSet(
            "d1", texts["d1"], "user-4", Origin(source="import", task_id=100, annotation_id=10),
            spans=quote, relations=links, normalized=raw, stance={"nato-personnel-in-ukraine": "favor"}), "reject")],
        [("a span that ends inside a CRLF", CandidateSet("d1", texts["d1"], "bea", Origin(source="manual"),
                                                         spans=[across], normalized=raw), "reject"),
         ("a bad annotator id", CandidateSet("d2", texts["d2"], "bad id!", Origin(source="manual")), "reject"),
         ("a wrong span text", CandidateSet("d2", texts["d2"], "cem", Origin(source="manual"),
                                            spans=[Span(id="s1", start=0, end=6, label="PERSON", text="Pevkux")]),
          "reject"),
         ("a manual set", plain_set, "reject"),
         ("the same set twice in one input", plain_set, "reject"),
         ("another set of that annotator in the same input", other, "reject"),
         ("a draft", CandidateSet("d2", texts["d2"], "dan", Origin(source="manual"), status="draft"), "reject")],
        [("another manual set, refused", other, "reject")],
        [("another manual set, kept", other, "keep")],
        [("another manual set, replacing", other, "replace")],
    ]
    outcomes = {}
    for steps in writes:
        with corpus_write(Corpus.open(corpus.root), "test") as write:
            for name, candidate, policy in steps:
                outcomes[name] = plain(write.sets.offer(candidate, policy))  # type: ignore[arg-type]
    lines = (corpus.root / "annotations.jsonl").read_text(encoding="utf-8")
    seen: dict[str, str] = {}
    numbered = re.sub(r"ann-[0-9a-f]{10}", lambda m: seen.setdefault(m.group(0), f"ann-#{len(seen) + 1}"), lines)
    stable = json.dumps(outcomes).replace(str(tmp_path), "TMP")
    stable = re.sub(r"ann-[0-9a-f]{10}", lambda m: seen.setdefault(m.group(0), f"ann-#{len(seen) + 1}"), stable)
    return {"outcomes": json.loads(stable), "file": [json.loads(line) for line in numbered.splitlines()]}


def test_the_write_path_decides_every_candidate_as_recorded(tmp_path: Path) -> None:
    assert _written(tmp_path) == json.loads(WRITTEN.read_text(encoding="utf-8"))


def write_written(tmp_path: Path) -> None:
    WRITTEN.write_text(json.dumps(_written(tmp_path), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                       encoding="utf-8")


ADJUDICATED = DATA / "adjudication.golden.json"
"""Gold, review items and report of every strategy on the sets of tests/data/base and on the
disputed sets the README's sandbox gives the bundled corpus (two annotators, one span apart)."""


def _adjudicated(tmp_path: Path) -> dict[str, object]:
    import re
    import shutil

    from newsgold.corpus import Corpus
    from newsgold.curation import adjudicate
    from test_readme import _annotation_sets

    from conftest import REPO

    runs = [("majority", {}), ("majority", {"min_agree": 1}), ("majority", {"min_agree": 3}),
            ("prefer", {"prefer": "alice"}), ("prefer", {"prefer": "ann-7c41e0d2aa"}), ("ground-truth", {})]
    found: dict[str, object] = {}
    for name, source in (("base", DATA / "base"), ("bundled", REPO / "corpus")):
        for strategy, options in runs if name == "base" else runs[:2]:  # the bundled sets: a larger majority case
            root = tmp_path / f"{name}-{strategy}-{len(found)}"
            shutil.copytree(source, root)
            if name == "bundled":
                _annotation_sets(root)  # from the bundled gold, which adjudication then replaces
            try:
                report = adjudicate(Corpus.open(root), strategy, replace=True, **options)  # type: ignore[arg-type]
            except Exception as exc:  # noqa: BLE001 - recorded, as the outcome of that run
                found[f"{name} {strategy} {options}"] = {"error": f"{type(exc).__name__}: {exc}"}
                continue
            again = adjudicate(Corpus.open(root), strategy, **options)  # type: ignore[arg-type]
            found[f"{name} {strategy} {options} again"] = json.loads(
                json.dumps(again.as_dict()).replace(str(root), "CORPUS"))
            gold = [json.loads(line) for line in (root / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
            review_file = root / "review.jsonl"
            review = ([json.loads(line) for line in review_file.read_text(encoding="utf-8").splitlines()]
                      if review_file.exists() else [])
            text = json.dumps({"report": report.as_dict(), "gold": gold, "review": review}).replace(str(root), "CORPUS")
            found[f"{name} {strategy} {options}"] = json.loads(re.sub(r"\d{8}T\d{6,12}Z", "TIME", text))
    root = tmp_path / "two-ground-truths"
    shutil.copytree(REPO / "corpus", root)
    _annotation_sets(root)
    lines = (root / "annotations.jsonl").read_text(encoding="utf-8").replace('"ground_truth":false', '"ground_truth":true')
    (root / "annotations.jsonl").write_text(lines, encoding="utf-8")
    report = adjudicate(Corpus.open(root), "ground-truth", replace=True)
    found["bundled ground-truth, two sets marked"] = json.loads(json.dumps(report.as_dict()).replace(str(root), "CORPUS"))
    return found


def test_every_strategy_adjudicates_as_recorded(tmp_path: Path) -> None:
    assert _adjudicated(tmp_path) == json.loads(ADJUDICATED.read_text(encoding="utf-8"))


def write_adjudicated(tmp_path: Path) -> None:
    runs = _adjudicated(tmp_path)  # one run a line: the file stays small and its diffs readable
    ADJUDICATED.write_text("{\n" + ",\n".join(
        f"{json.dumps(run)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}" for run, value in runs.items())
        + "\n}\n", encoding="utf-8")


AGREED = DATA / "agreement.golden.json"
"""Every figure of `agreement` on the base sets, the bundled corpus's disputed sets, and each
annotator pair alone."""


def _agreed(tmp_path: Path) -> dict[str, object]:
    import shutil

    from newsgold.corpus import Corpus
    from newsgold.curation import agreement
    from test_readme import _annotation_sets

    from conftest import REPO

    found: dict[str, object] = {}
    shutil.copytree(REPO / "corpus", tmp_path / "bundled")
    _annotation_sets(tmp_path / "bundled")
    _a_third_annotator_who_disagrees(tmp_path / "bundled")
    for name, root in (("base", DATA / "base"), ("bundled", tmp_path / "bundled")):
        corpus = Corpus.open(root)
        report = agreement(corpus)
        found[name] = report.as_dict(top=100)
        for first in report.annotators:
            found[f"{name} {first} alone"] = agreement(corpus, [first]).as_dict()
    return found


def _a_third_annotator_who_disagrees(root: Path) -> None:
    """`ann-c`: the gold with every third label swapped within its layer, every fifth span one code
    point shorter, other forms and stances, and every fourth relation gone."""
    from newsgold.corpus import Corpus
    from newsgold.schemas import AnnotationSet, Origin

    corpus = Corpus.open(root)
    scheme = corpus.scheme
    texts = {d.id: d.text for d in corpus.iter_documents()}
    values = list(scheme.stance_values)
    lines = []
    for gold in corpus.iter_gold():
        spans = []
        for n, span in enumerate(gold.spans):
            layer = [label.name for layer in scheme.layers for label in layer.labels
                     if scheme.layer_of[label.name] == scheme.layer_of[span.label]]
            label = layer[(layer.index(span.label) + 1) % len(layer)] if n % 3 == 0 else span.label
            end = span.end - 1 if n % 5 == 0 and span.end - span.start > 1 and not span.fragments else span.end
            attrs = {"form": "indirect"} if "form" in span.attrs and n % 2 else span.attrs
            if label != span.label:
                attrs = {}
            stance = {t: values[(values.index(v) + 1) % len(values)] for t, v in span.stance.items()} if n % 2 else span.stance
            if not scheme.labels[label].stance:
                stance = {}
            spans.append(span.model_copy(update={"label": label, "end": end, "text": texts[gold.doc_id][span.start:end],
                                                 "attrs": attrs, "stance": stance}))
        relations = [r for n, r in enumerate(gold.relations) if n % 4 != 3]
        stance = {t: values[(values.index(v) + 2) % len(values)] for t, v in gold.stance.items()}
        lines.append(AnnotationSet(doc_id=gold.doc_id, doc_sha256=gold.doc_sha256, annotator="ann-c",
                                   origin=Origin(source="manual"), spans=spans, relations=relations, stance=stance,
                                   attrs=gold.attrs).model_dump_json(by_alias=True, exclude_none=True))
    with open(root / "annotations.jsonl", "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def test_every_agreement_figure_is_as_recorded(tmp_path: Path) -> None:
    assert _agreed(tmp_path) == json.loads(AGREED.read_text(encoding="utf-8"))


def write_agreed(tmp_path: Path) -> None:
    AGREED.write_text(json.dumps(_agreed(tmp_path), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                      encoding="utf-8")
