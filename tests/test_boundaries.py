"""The span boundary warnings of the guidelines (NG601-NG604), case by case."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgold.corpus import validate
from newsgold.corpus.boundaries import boundary_findings
from newsgold.schemas import AnnotationSet, Span

from helpers import corpus_with_texts, span, write_sets, seed_scheme

TEXT = "Pevkur’s office in the U.K. said: “We stay.” Acme Inc. agreed, and NATO, too. Ann's"


def _rules(label: str, needle: str) -> list[str]:
    found = span(TEXT, "s1", label, needle)
    content = AnnotationSet(doc_id="d1", doc_sha256="0" * 64, annotator="a", origin={"source": "manual"},
                            spans=[Span(**found)])
    return [f.rule for f in boundary_findings(content, seed_scheme())]


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


# conform_span: spans written under other conventions moved to the rules ------------------------

POLNEAR_TEXT = ("“Ted Cruz is not my favorite by any means,” Graham, a former candidate, told reporters. "
                "Aides said that the party would lose. Pevkur’s office agreed.")


def _conformed(label: str, *needles: str) -> tuple[str, list[tuple[int, int]] | None] | None:
    from newsgold.corpus.boundaries import conform_span

    pieces = []
    for needle in needles:
        start = POLNEAR_TEXT.index(needle)
        pieces.append((start, start + len(needle)))
    first, last = pieces[0][0], pieces[-1][1]
    original = Span(id="s1", label=label, start=first, end=last, text=POLNEAR_TEXT[first:last],
                    fragments=pieces if len(pieces) > 1 else None)
    conformed = conform_span(original, POLNEAR_TEXT, seed_scheme())
    if conformed is None:
        return None
    assert conformed.text == POLNEAR_TEXT[conformed.start:conformed.end]
    content = AnnotationSet(doc_id="d1", doc_sha256="0" * 64, annotator="a", origin={"source": "manual"},
                            spans=[conformed])
    assert boundary_findings(content, seed_scheme()) == []  # what comes back keeps every rule
    assert conform_span(conformed, POLNEAR_TEXT, seed_scheme()) is conformed  # and stays as it is
    return conformed.text, conformed.fragments


@pytest.mark.parametrize(("label", "needles", "expected"), [
    ("QUOTE", ["“Ted Cruz is not my favorite by any means,” "], "Ted Cruz is not my favorite by any means,"),
    ("QUOTE", ["that the party would lose."], "the party would lose"),   # no complementizer, no final period
    ("QUOTE", ["the party would lose"], "the party would lose"),           # already conforming
    ("SPEAKER", ["Graham, a former candidate,"], "Graham, a former candidate"),
    ("PERSON", ["Pevkur’s"], "Pevkur"),
    ("ORG", ["office agreed."], "office agreed"),
    ("CUE", [" told "], "told"),
])
def test_conform_span_moves_ends_inward_to_the_rules(label: str, needles: list[str], expected: str) -> None:
    conformed = _conformed(label, *needles)
    assert conformed is not None and conformed[0] == expected


def test_conform_span_conforms_each_fragment_and_drops_what_is_left_empty() -> None:
    conformed = _conformed("QUOTE", "“Ted Cruz is not my favorite", "Aides said that the party would lose.")
    assert conformed is not None
    text, fragments = conformed
    assert fragments is not None and [POLNEAR_TEXT[a:b] for a, b in fragments] == [
        "“Ted Cruz is not my favorite", "Aides said that the party would lose"]
    assert _conformed("QUOTE", "“") is None and _conformed("CUE", " ") is None
