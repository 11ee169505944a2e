"""Every validation rule fires on its own bad-input file, at the right line, with exit status 1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from newsgold.errors import UnreadableInputError

from newsgold.cli import main
from newsgold.corpus import RULES, validate

from conftest import DATA

CASES = sorted((DATA / "invalid").iterdir())


def _case_id(path: Path) -> str:
    return path.name


def _parse(path: Path) -> tuple[str, str, int]:
    file_stem, code, line, *_ = path.name.split(".")
    target = "newsgold.json" if file_stem == "newsgold" else f"{file_stem}.jsonl"
    return target, code, int(line.removeprefix("line"))


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_rule_fires_at_its_line(case: Path, tiny: Path, runner) -> None:
    target, code, line = _parse(case)
    shutil.copyfile(case, tiny / target)
    report = validate(tiny)
    hits = [p for p in report.problems if p.rule == code]
    assert hits, f"expected {code}, got {[p.as_text() for p in report.problems]}"
    assert hits[0].file == str(tiny / target)
    assert hits[0].line == (line or None)
    result = runner.invoke(main, ["validate", "--corpus", str(tiny)])
    assert f"[{code}]" in result.output
    if RULES[code].severity == "warning":  # reported; the corpus stays valid unless --strict
        assert result.exit_code == 0 and report.ok and f"{tiny / target}:{line}: warning:" in result.output
        assert runner.invoke(main, ["validate", "--corpus", str(tiny), "--strict"]).exit_code == 1
    else:
        assert result.exit_code == 1


def test_every_rule_has_a_case() -> None:
    covered = {_parse(case)[1] for case in CASES}
    # NG003 (unreadable scheme file) is covered by its own test below; NG603 (a possessive 's)
    # needs a text with one, in tests/test_boundaries.py.
    assert set(RULES) - covered == {"NG003", "NG603"}


def test_unreadable_scheme_path(tiny: Path) -> None:
    manifest = json.loads((tiny / "newsgold.json").read_text())
    manifest["scheme"] = "missing-scheme.json"
    (tiny / "newsgold.json").write_text(json.dumps(manifest))
    with pytest.raises(UnreadableInputError, match=r"cannot read the scheme: no such file.*\[NG003\]"):
        validate(tiny)
    result = CliRunner().invoke(main, ["validate", "--corpus", str(tiny)])
    assert result.exit_code == 2 and "[NG003]" in result.output


def test_base_corpus_is_valid(tiny: Path, runner) -> None:
    report = validate(tiny)
    assert report.ok, [p.as_text() for p in report.problems]
    assert (report.documents, report.annotation_sets, report.gold_sets) == (2, 3, 2)
    result = runner.invoke(main, ["validate", "--corpus", str(tiny)])
    assert result.exit_code == 0
    assert "valid" in result.output


def test_reports_every_problem_not_just_the_first(tiny: Path) -> None:
    lines = (tiny / "annotations.jsonl").read_text().splitlines()
    record = json.loads(lines[0])
    record["spans"][0]["text"] = "wrong"
    record["spans"][5]["label"] = "LOC"
    lines[0] = json.dumps(record)
    lines[2] = "{not json"
    (tiny / "annotations.jsonl").write_text("\n".join(lines) + "\n")
    report = validate(tiny)
    assert sorted((p.rule, p.line) for p in report.problems) == [
        ("NG101", 3), ("NG204", 1), ("NG301", 1)]
    problem = next(p for p in report.problems if p.rule == "NG204")
    assert problem.record == "d1/alice"
    assert problem.field == "spans[0].text"


def test_line_numbers_count_blank_lines(tiny: Path) -> None:
    docs = (tiny / "documents.jsonl").read_text().splitlines()
    (tiny / "documents.jsonl").write_text(docs[0] + "\n\n\n" + docs[1].replace('"d2"', '"d1"') + "\n")
    (tiny / "annotations.jsonl").write_text("")
    (tiny / "gold.jsonl").write_text("")
    [problem] = validate(tiny).problems
    assert (problem.rule, problem.line) == ("NG201", 4)


def test_json_output_is_machine_readable(tiny: Path, runner) -> None:
    shutil.copyfile(DATA / "invalid" / "annotations.NG204.line2.span-text.jsonl", tiny / "annotations.jsonl")
    result = runner.invoke(main, ["validate", "--corpus", str(tiny), "--output-format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["valid"] is False
    [problem] = payload["problems"]
    assert problem == {
        "rule": "NG204",
        "file": str(tiny / "annotations.jsonl"),
        "line": 2,
        "record": "d1/alice",
        "field": "spans[0].text",
        "message": "span s1 text 'Hanno Pevkur ' != document text 'Hanno Pevkur' at [0,12)",
        "fix": RULES["NG204"].fix,
        "severity": "error",
    }


def test_github_output_is_workflow_commands(tiny: Path, runner) -> None:
    shutil.copyfile(DATA / "invalid" / "documents.NG202.line2.sha-mismatch.jsonl", tiny / "documents.jsonl")
    result = runner.invoke(main, ["validate", "--corpus", str(tiny), "--output-format", "github"])
    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith(f"::error file={tiny / 'documents.jsonl'},line=2,title=NG202 sha256-mismatch::")


def test_missing_corpus_is_a_usage_error(tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["validate", "--corpus", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "is not a newsgold corpus" in result.output
    assert "Traceback" not in result.output


def test_a_mistyped_corpus_path_names_the_corpus_beside_it_not_init(tiny: Path, runner) -> None:
    typo = runner.invoke(main, ["validate", "--corpus", str(tiny.parent / "tinny")])
    assert typo.exit_code == 2 and typo.output.strip().endswith(f"did you mean {tiny}?")
    assert "init" not in typo.output  # a new corpus at the typo is not what anyone wants
    elsewhere = runner.invoke(main, ["validate", "--corpus", str(tiny.parent / "unrelated")])
    assert f"make a new corpus there with `newsgold init --corpus {tiny.parent / 'unrelated'}`" in elsewhere.output
    folder = runner.invoke(main, ["validate", "--corpus", str(tiny.parent)])
    assert f"make it one with `newsgold init --corpus {tiny.parent}`" in folder.output


def test_sharded_documents_are_read(tiny: Path) -> None:
    lines = (tiny / "documents.jsonl").read_text().splitlines(keepends=True)
    (tiny / "documents.jsonl").unlink()
    (tiny / "documents").mkdir()
    (tiny / "documents" / "a.jsonl").write_text(lines[0])
    (tiny / "documents" / "b.jsonl").write_text(lines[1])
    report = validate(tiny)
    assert report.ok and report.documents == 2
