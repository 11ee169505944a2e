"""The sample records of docs/formats.md are the committed exports' own lines (scripts/format_samples.py)."""

from __future__ import annotations

import importlib.util
import re

from conftest import REPO


def _samples_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("format_samples", REPO / "scripts" / "format_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_sample_matches_the_committed_exports() -> None:
    text = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    assert _samples_module().refresh(text) == text, (
        "docs/formats.md samples differ from exports/: run python scripts/format_samples.py")


def test_every_line_format_has_a_sample() -> None:
    text = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    sampled = set(re.findall(r"<!-- sample: ([\w-]+)/", text))
    assert {"quotes", "stance", "ner-conll", "ner-hf", "attribution-hf", "attribution-conll"} <= sampled


def test_a_changed_export_line_is_caught(tmp_path) -> None:  # type: ignore[no-untyped-def]
    module = _samples_module()
    exports = tmp_path / "exports" / "quotes"
    exports.mkdir(parents=True)
    (exports / "gold.jsonl").write_text('{"a": "' + "x" * 200 + '", "b": [1, 2, 3]}\n')
    text = "<!-- sample: quotes/gold.jsonl 1 lists=2 -->\nstale\n<!-- /sample -->"
    refreshed = module.refresh(text, tmp_path / "exports")
    assert refreshed != text and '"b": [1, 2, "…"]' in refreshed and "x" * 89 + "…" in refreshed
