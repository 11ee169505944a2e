"""The committed JSON Schema files are current, and agree with the models."""

from __future__ import annotations

import json

import jsonschema
import pytest

from newsgold.schemas import json_schemas

from conftest import DATA, REPO
from helpers import seed_scheme

REGENERATE = "newsgold schema --out schemas   (or: make schemas)"


@pytest.mark.parametrize("name", sorted(json_schemas()))
def test_committed_schema_is_current(name: str) -> None:
    path = REPO / "schemas" / name
    assert path.is_file(), f"schemas/{name} is missing; regenerate with: {REGENERATE}"
    committed = json.loads(path.read_text())
    assert committed == json_schemas()[name], f"schemas/{name} is stale; regenerate with: {REGENERATE}"


def test_no_stray_schema_files() -> None:
    assert sorted(p.name for p in (REPO / "schemas").iterdir()) == sorted(json_schemas())


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json_schemas()[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize(("file", "schema"), [
    ("documents.jsonl", "document.schema.json"),
    ("annotations.jsonl", "annotation-set.schema.json"),
    ("gold.jsonl", "gold-set.schema.json"),
])
def test_records_validate_against_published_schema(file: str, schema: str) -> None:
    validator = _validator(schema)
    for line in (DATA / "base" / file).read_text().splitlines():
        validator.validate(json.loads(line))


def test_published_schema_rejects_unknown_fields() -> None:
    validator = _validator("document.schema.json")
    record = json.loads((DATA / "base" / "documents.jsonl").read_text().splitlines()[0])
    record["author"] = "x"
    assert not validator.is_valid(record)


def test_manifest_and_scheme_validate() -> None:
    manifest = json.loads((REPO / "corpus" / "newsgold.json").read_text())
    _validator("corpus-manifest.schema.json").validate(manifest)
    _validator("scheme.schema.json").validate(manifest["scheme"])


def test_format_reference_is_current() -> None:
    from newsgold.schemas.reference import END, START, reference_markdown

    text = (REPO / "docs" / "format.md").read_text()
    generated = text.split(START, 1)[1].split(END, 1)[0]
    assert generated == "\n" + reference_markdown(), (
        "docs/format.md is stale; regenerate with: python -m newsgold.schemas.reference docs/format.md")


def test_the_guidelines_label_table_is_the_schemes_own_text() -> None:
    """One source: the guidelines' label table and the labeling page's hints both come from the scheme."""
    from newsgold.formats.labelstudio.config import label_config
    from newsgold.schemas import default_scheme
    from newsgold.schemas.reference import LABELS_END, LABELS_START, labels_markdown

    text = (REPO / "docs" / "guidelines.md").read_text()
    generated = text.split(LABELS_START, 1)[1].split(LABELS_END, 1)[0]
    assert generated == "\n" + labels_markdown(), (
        "docs/guidelines.md's label table is stale; regenerate with: python -m newsgold.schemas.reference "
        "docs/format.md docs/guidelines.md")
    import xml.etree.ElementTree as ElementTree

    hints = {element.get("value"): element.get("hint")
             for element in ElementTree.fromstring(label_config(seed_scheme())).iter("Label")}
    for layer in seed_scheme().layers:
        for label in layer.labels:
            assert label.description in generated and hints[label.name] == label.description


def test_the_label_keys_in_the_guidelines_are_the_keys_of_the_labeling_page() -> None:
    """The key column is the `hotkey` the config sets; a new entity label shifts both together."""
    import xml.etree.ElementTree as ElementTree

    from newsgold.formats.labelstudio.config import label_config
    from newsgold.schemas import default_scheme
    from newsgold.schemas.reference import labels_markdown

    def keys_in(scheme):  # type: ignore[no-untyped-def]
        config = {e.get("value"): e.get("hotkey") for e in ElementTree.fromstring(label_config(scheme)).iter("Label")}
        table = {row.split(" | ")[1]: row.split(" | ")[2] for row in labels_markdown(scheme).splitlines()[2:]
                 if "`" not in row.split(" | ")[1] and row.split(" | ")[2] != "—"}  # attributes: no key
        return config, table

    config, table = keys_in(seed_scheme())
    assert config == table == {"PERSON": "1", "ORG": "2", "GPE": "3", "NORP": "4", "QUOTE": "5", "SPEAKER": "6",
                               "CUE": "7"}
    data = seed_scheme().model_dump(mode="json", by_alias=True)
    data["layers"][0]["labels"] += [{"name": f"EXTRA{n}", "description": "more", "attrs": [], "stance": False}
                                    for n in range(4)]
    from newsgold.schemas.scheme import Scheme

    config, table = keys_in(Scheme.model_validate(data))
    assert config["QUOTE"] == table["QUOTE"] == "9" and config["CUE"] is None and "CUE" not in table


def test_every_key_a_page_names_is_the_key_of_its_label() -> None:
    """Where a page names a key with its label (`5` (QUOTE)), it is the key the labeling page sets."""
    import re

    from newsgold.schemas import default_scheme

    keys = seed_scheme().hotkeys
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    named = [(page.name, key, label) for page in pages
             for key, label in re.findall(r"`(\d)` \(([A-Z]+)\)", page.read_text(encoding="utf-8"))]
    assert len(named) >= 3  # the Label Studio walkthrough's steps
    assert [(page, key, label) for page, key, label in named if keys.get(label) != key] == []
