"""Markdown reference tables generated from the models and the rule catalogue, for docs/format.md.

`python -m newsgold.schemas.reference docs/format.md` rewrites the part of the file between the
markers `<!-- reference:start -->` and `<!-- reference:end -->`; a test keeps it current.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from newsgold._io import atomic_write_bytes
from newsgold.rules import RULES
from newsgold.schemas.scheme import (AttributeDef, Cardinality, LabelDef, Layer, RelationDef, Roles, Scheme, StanceDef,
                                     StanceTarget, default_scheme)
from newsgold.schemas.annotation import AnnotationSet, Comment, GoldSet, Origin, Provenance, Relation, Span
from newsgold.schemas.document import Document, DocumentMeta, IngestSource
from newsgold.schemas.manifest import CorpusManifest

__all__ = ["reference_markdown", "update_reference"]

START = "<!-- reference:start -->"
END = "<!-- reference:end -->"

_MODELS: list[type[BaseModel]] = [
    CorpusManifest, Document, DocumentMeta, IngestSource, AnnotationSet, GoldSet, Span, Relation,
    Origin, Comment, Provenance,
]


_SCHEME_MODELS: list[type[BaseModel]] = [
    Scheme, Layer, LabelDef, AttributeDef, RelationDef, Cardinality, StanceDef, StanceTarget, Roles,
]


def _type_name(schema: dict[str, Any] | bool) -> str:
    if isinstance(schema, bool):
        return "any"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_name(s) for s in schema["anyOf"])
    if "const" in schema:
        return repr(schema["const"])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        items = schema.get("items") or schema.get("prefixItems")
        inner = _type_name(items) if isinstance(items, dict) else "…"
        return f"list[{inner}]"
    if kind == "object" and "additionalProperties" in schema:
        return f"dict[str, {_type_name(schema['additionalProperties'])}]"
    return str(kind)


def _model_table(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", []))
    rows = [f"### {model.__name__}", "", (model.__doc__ or "").strip(), "",
            "| field | type | required | meaning |", "| --- | --- | --- | --- |"]
    for name, prop in schema["properties"].items():
        description = prop.get("description", "").replace("|", "\\|").replace("\n", " ")
        constraint = f" (pattern `{prop['pattern']}`)" if "pattern" in prop else ""
        type_name = _type_name(prop).replace("|", "\\|")
        rows.append(f"| `{name}` | {type_name} | {'yes' if name in required else 'no'} | "
                    f"{description}{constraint} |")
    return "\n".join(rows)


def reference_markdown() -> str:
    """The generated part of docs/format.md: record fields and validation rules."""
    parts = ["## Records", ""]
    parts += [_model_table(model) + "\n" for model in _MODELS]
    parts += ["## Scheme fields", "",
              "The scheme (inline in `newsgold.json`, or a file it names) is checked by these models when "
              "the corpus is opened; docs/scheme.md says how to write one.", ""]
    parts += [_model_table(model) + "\n" for model in _SCHEME_MODELS]
    parts += ["## Validation rules", "",
              "Errors make a corpus invalid. Warnings (the span boundary conventions of "
              "docs/guidelines.md) are reported, and fail `validate --strict` only.", "",
              "| code | name | severity | what it means | what to do |", "| --- | --- | --- | --- | --- |"]
    parts += [f"| {r.code} | {r.name} | {r.severity} | {r.summary} | {r.fix} |" for r in RULES.values()]
    return "\n".join(parts) + "\n"


LABELS_START = "<!-- labels:start -->"
LABELS_END = "<!-- labels:end -->"


def labels_markdown(scheme: Scheme | None = None) -> str:
    """The guidelines' table of labels, their keys and attributes, from the scheme: the same text
    Label Studio shows as each label's hint and the same keys the labeling config sets, so the
    guidelines and the labeling page say one thing."""
    scheme = scheme or default_scheme()
    rows = ["| layer | label | key | what it marks (a label's text is its hint on the labeling page) |",
            "| --- | --- | --- | --- |"]
    for layer in scheme.layers:
        for label in layer.labels:
            key = scheme.hotkeys.get(label.name)
            rows.append(f"| {layer.name} | {label.name} | {key or '—'} | {label.description.replace('|', '/')} |")
            for attribute in label.attrs:
                values = ", ".join(f"`{v}`" for v in attribute.values)
                rows.append(f"| {layer.name} | {label.name} `{attribute.name}` ({values}) | | "
                            f"{attribute.description.replace('|', '/')} |")
    return "\n".join(rows) + "\n"


def _replace_between(text: str, start: str, end: str, content: str) -> str:
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{content}{end}{tail}"


def update_reference(path: Path) -> bool:
    """Rewrite the generated sections of `path` (the record reference, the label table); return True
    if it changed."""
    text = path.read_text(encoding="utf-8")
    updated = text
    if START in updated:
        updated = _replace_between(updated, START, END, reference_markdown())
    if LABELS_START in updated:
        updated = _replace_between(updated, LABELS_START, LABELS_END, labels_markdown())
    if updated == text:
        return False
    atomic_write_bytes(path, updated.encode("utf-8"))
    return True


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(f"{argument}: {'updated' if update_reference(Path(argument)) else 'current'}")
