"""The span boundary warnings of the guidelines (NG601-NG604), case by case."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgold.corpus import validate
from newsgold.corpus.boundaries import boundary_findings
from newsgold.schemas import AnnotationSet, Span, default_scheme

from helpers import corpus_with_texts, span, write_sets

TEXT = "Pevkur’s office in the U.K. said: “We stay.” Acme Inc. agreed, and NATO, too. Ann's"


def _rules(label: str, needle: str) -> list[str]:
    found = span(TEXT, "s1", label, needle)
    content = AnnotationSet(doc_id="d1", doc_sha256="0" * 64, annotator="a", origin={"source": "manual"},
                            spans=[Span(**found)])
    return [f.rule for f in boundary_findings(content, default_scheme())]


@pytest.mark.parametrize(("label", "needle", "rules"), [
    ("PERSON", "Pevkur", []),
    ("PERSON", "Pevkur’s", ["NG603"]),
    ("PERSON", "Ann's", ["NG603"]),
    ("GPE", "U.K.", []),                      # an abbreviation keeps its periods
    ("ORG", "Acme Inc.", []),
    ("ORG", "NATO,", ["NG604"]),
    ("GPE", "U.K. said:", ["NG604"]),
    ("ORG", " Acme", ["NG601"]),
    ("QUOTE", "“We stay.”", ["NG602"]),
    ("QUOTE", "We stay.", []),                 # the inner period belongs to the quote
    ("QUOTE", "“We stay.", []),                # only both outer marks together are the quotation marks
    ("SPEAKER", "Pevkur’s", []),               # the possessive rule is for the entity layer
    ("CUE", "said: ", ["NG601"]),
])
def test_boundary_rules(label: str, needle: str, rules: list[str]) -> None:
    assert _rules(label, needle) == rules


def test_warnings_leave_the_corpus_valid_and_strict_fails(tmp_path: Path, runner) -> None:
    from newsgold.cli import main

    corpus = corpus_with_texts(tmp_path / "c", {"d1": TEXT})
    write_sets(corpus, [{"doc_id": "d1", "annotator": "a", "spans": [span(TEXT, "p", "PERSON", "Pevkur’s")]}])
    report = validate(corpus.root)
    assert report.ok and [p.rule for p in report.warnings] == ["NG603"]
    text = runner.invoke(main, ["validate", "--corpus", str(corpus.root)])
    assert text.exit_code == 0 and "1 boundary warning" in text.output
    github = runner.invoke(main, ["validate", "--corpus", str(corpus.root), "--output-format", "github"])
    assert github.output.startswith("::warning file=")
    assert runner.invoke(main, ["validate", "--corpus", str(corpus.root), "--strict"]).exit_code == 1
