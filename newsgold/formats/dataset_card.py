"""The `README.md` dataset card of the Hugging Face exports (`ner-hf`, `attribution-hf`).

The card's YAML header is what `datasets.load_dataset(FOLDER)` reads: `configs` map split names to
files and `dataset_info.features` types every column, so tag columns load as `ClassLabel` with
their names and no cast is needed. The body says what the data is, how it was made and what each
column holds. The YAML is written here (block style, strings JSON-quoted, which YAML accepts) so
that exporting needs no YAML library.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from newsgold.schemas.scheme import Scheme

__all__ = ["CardFacts", "CardFormat", "dataset_card", "class_label", "to_yaml"]

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def class_label(names: Sequence[str]) -> dict[str, Any]:
    """A `datasets` ClassLabel feature of `names` (index = integer id), for `dataset_info.features`."""
    return {"class_label": {"names": {str(i): name for i, name in enumerate(names)}}}


@runtime_checkable
class CardFormat(Protocol):
    """A format whose folder is a Hugging Face dataset: it says how to type its columns."""

    name: str
    description: str
    task_category: str
    task_ids: tuple[str, ...]

    def card_features(self, scheme: Scheme, source: str) -> list[dict[str, Any]]:
        """`dataset_info.features` of its rows (see `class_label`)."""
        ...

    def card_columns(self, source: str) -> dict[str, str]:
        """Column -> what it holds, in words."""
        ...


@dataclass(frozen=True)
class CardFacts:
    """What a card says about one export."""

    corpus: str
    corpus_description: str
    license: str | None
    format: str
    format_description: str
    task_category: str
    task_ids: Sequence[str]
    features: list[dict[str, Any]]
    columns: Mapping[str, str]
    """Column -> what it holds, for the body."""
    files: Mapping[str, tuple[str, int, int]]
    """Split name -> (file name, records, bytes)."""
    scheme: str
    source: str
    newsgold_version: str
    corpus_fingerprint: str
    tag_names: Mapping[str, Sequence[str]]


def _hf_split(split: str) -> str:
    return "train" if split == "all" else split


def dataset_card(facts: CardFacts) -> str:
    """The whole README.md: YAML header, then a description a reader can act on."""
    loadable = {split: entry for split, entry in facts.files.items() if entry[1] > 0}
    header = {
        "pretty_name": f"{facts.corpus} ({facts.format})",
        "license": facts.license or "unknown",
        "task_categories": [facts.task_category],
        "task_ids": list(facts.task_ids),
        "tags": ["newsgold", "news", "quote-attribution"],
        "configs": [{"config_name": "default",
                     "data_files": [{"split": _hf_split(split), "path": name}
                                    for split, (name, _, _) in loadable.items()]}],
        "dataset_info": {
            "features": facts.features,
            "splits": [{"name": _hf_split(split), "num_bytes": size, "num_examples": records}
                       for split, (_, records, size) in loadable.items()],
        },
    }
    empty = [split for split in facts.files if split not in loadable]
    splits = ", ".join(f"`{_hf_split(split)}` ({name}, {records} rows)" for split, (name, records, _) in facts.files.items())
    lines = [
        "---", to_yaml(header).rstrip("\n"), "---", "",
        f"# {facts.corpus}: {facts.format}", "",
        facts.corpus_description or f"The {facts.source} annotations of the newsgold corpus `{facts.corpus}`.", "",
        f"{facts.format_description}. Splits: {splits}."
        + (f" Empty splits (left out of `configs`, as `datasets` cannot load an empty file): "
           f"{', '.join(f'`{s}`' for s in empty)}." if empty else ""), "",
        "```python",
        "import datasets",
        "dataset = datasets.load_dataset(\"PATH/TO/THIS/FOLDER\")",
        "```", "",
        "## How it was made", "",
        f"Exported by newsgold {facts.newsgold_version} (`newsgold export --format {facts.format}`) from the "
        f"{facts.source} sets of corpus `{facts.corpus}` (annotation scheme `{facts.scheme}`; sha256 of the corpus "
        f"files read: `{facts.corpus_fingerprint}`). `manifest.json` beside this card lists every file with its "
        "sha256. Tokens and sentences come from spaCy's rule-based tokenizer and sentencizer, cut at every "
        "annotated span's edges, with no sentence boundary inside a span and no token boundary inside a "
        "grapheme cluster, so every span is rebuilt exactly from its tags (newsgold docs/formats.md).", "",
        f"Licence: {facts.license or 'not stated by the corpus (set `license` in its newsgold.json)'}.", "",
        "## Columns", "",
        "| column | holds |", "| --- | --- |",
        *[f"| `{column}` | {what} |" for column, what in facts.columns.items()], "",
        "## Tags", "",
    ]
    for column, names in facts.tag_names.items():
        lines.append(f"`{column}`: " + ", ".join(f"{i} `{name}`" for i, name in enumerate(names)))
        lines.append("")
    return "\n".join(lines)


def to_yaml(value: Any, indent: int = 0) -> str:
    """Block-style YAML of dicts, lists, strings, numbers and booleans (strings JSON-quoted)."""
    pad = " " * indent
    if isinstance(value, Mapping):
        if not value:
            return pad + "{}\n"
        out = []
        for key, item in value.items():
            if _scalar(item) or (not item and isinstance(item, (list, dict))):
                out.append(f"{pad}{_key(key)}: {_scalar_text(item)}\n")
            else:
                out.append(f"{pad}{_key(key)}:\n{to_yaml(item, indent + 2)}")
        return "".join(out)
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            if _scalar(item):
                out.append(f"{pad}- {_scalar_text(item)}\n")
            else:
                nested = to_yaml(item, indent + 2)
                out.append(f"{pad}- {nested[indent + 2:]}")
        return "".join(out)
    return pad + _scalar_text(value) + "\n"


def _key(key: Any) -> str:
    text = str(key)
    return text if _PLAIN_KEY.fullmatch(text) else json.dumps(text)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _scalar_text(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value)
