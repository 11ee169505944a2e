"""JSON Schema (2020-12) of every record type, generated from the models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel

from newsgold._io import atomic_write_bytes
from newsgold.schemas.annotation import AnnotationSet, GoldSet
from newsgold.schemas.document import Document
from newsgold.schemas.manifest import CorpusManifest
from newsgold.schemas.scheme import Scheme

__all__ = ["RECORD_MODELS", "json_schemas", "write_json_schemas"]

RECORD_MODELS: dict[str, type[BaseModel]] = {
    "document": Document,
    "annotation-set": AnnotationSet,
    "gold-set": GoldSet,
    "corpus-manifest": CorpusManifest,
    "scheme": Scheme,
}
"""File stem in `schemas/` -> the model it documents."""

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schemas() -> dict[str, dict[str, Any]]:
    """Return file name -> JSON Schema for every record type (validation mode, 2020-12)."""
    schemas = {}
    for stem, model in RECORD_MODELS.items():
        schema = {"$schema": _DIALECT, "$id": f"https://newsgold.dev/schemas/{stem}.schema.json"}
        schema.update(model.model_json_schema(by_alias=True, mode="validation"))
        schemas[f"{stem}.schema.json"] = schema
    return schemas


def write_json_schemas(out: Path) -> list[Path]:
    """Write every JSON Schema into folder `out` (created if missing); return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = out / name
        atomic_write_bytes(path, orjson.dumps(schema, option=orjson.OPT_INDENT_2) + b"\n")
        written.append(path)
    return written
