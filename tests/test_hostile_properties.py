"""Arbitrary outside data never escapes as anything but a NewsgoldError (property-based)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgold.corpus import init_corpus, validate
from newsgold.exchange.imports import import_label_studio
from newsgold.errors import NewsgoldError
from newsgold.formats.brat import read_ann
from newsgold.formats.labelstudio.convert import results_to_content
from helpers import seed_scheme

TEXT = "Hanno Pevkur said: “Every NATO country has personnel in Ukraine.” 🇺🇦\n"
SCHEME = seed_scheme()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)

# Values shaped like Label Studio results, so that the deep paths are reached too.
region_values = st.fixed_dictionaries({}, optional={
    "start": json_values | st.integers(-5, 80), "end": json_values | st.integers(-5, 80),
    "text": json_values | st.sampled_from(["Hanno Pevkur", "said", ""]),
    "labels": json_values | st.lists(st.sampled_from(["PERSON", "QUOTE", "SPEAKER", "ALIEN"]), max_size=2),
    "choices": json_values | st.lists(st.sampled_from(["direct", "indirect", "support"]), max_size=2),
})
results = st.fixed_dictionaries({}, optional={
    "id": json_values | st.sampled_from(["r1", "r2"]), "type": st.sampled_from(["labels", "choices", "relation"]) | json_values,
    "value": region_values | json_values, "from_name": json_values | st.sampled_from(["entity", "form__QUOTE"]),
    "from_id": json_values | st.sampled_from(["r1", "r2"]), "to_id": json_values | st.sampled_from(["r1", "r2"]),
    "labels": json_values, "direction": json_values | st.sampled_from(["right", "left", "bi"]),
})


@settings(max_examples=300, deadline=None)
@given(st.lists(results | json_values, max_size=5) | json_values)
def test_label_studio_results_of_any_shape(value: object) -> None:
    """The conversion used by import and pull: errors are collected, nothing raises."""
    converted = results_to_content(value, TEXT, SCHEME)  # type: ignore[arg-type]
    for span in converted.spans:
        assert TEXT[span.start:span.end] == span.text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({"id": json_values, "data": json_values | st.just({"text": TEXT}),
                                       "annotations": json_values | st.lists(
                                           st.fixed_dictionaries({"id": json_values, "result": st.lists(results, max_size=3),
                                                                  "created_at": json_values}) | json_values, max_size=2)}))
       | json_values)
def test_label_studio_import_of_any_json(tmp_path_factory, export: object) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("ls")
    corpus = init_corpus(folder / "c", scheme=seed_scheme())
    (folder / "export.json").write_text(json.dumps(export))
    before = _files(folder / "c")
    try:
        written = import_label_studio(corpus, folder / "export.json").written
    except NewsgoldError:
        written = False
    if written:  # what was stored is valid
        assert validate(folder / "c").ok
    else:  # nothing stored: not a byte changed, not a file added
        assert _files(folder / "c") == before
    shutil.rmtree(folder)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


brat_lines = st.one_of(
    st.text(max_size=40),
    st.builds(lambda i, label, a, b, shown: f"T{i}\t{label} {a} {b}\t{shown}",
              st.integers(-1, 3), st.sampled_from(["PERSON", "QUOTE", "X"]), st.integers(-3, 80),
              st.integers(-3, 80), st.text(max_size=10)),
    st.builds(lambda i, kind, rest: f"{kind}{i}\t{rest}", st.integers(0, 3),
              st.sampled_from(["A", "R", "E", "N", "M", "#", "*"]), st.text(max_size=30)),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(brat_lines, max_size=6))
def test_brat_lines_of_any_shape(lines: list[str]) -> None:
    try:
        parsed = read_ann("\n".join(lines), TEXT, "x.ann")
    except NewsgoldError:
        return
    for span in parsed.spans:
        assert TEXT[span.start:span.end] == span.text
