"""Pydantic v2 models of every newsgold record and of the annotation scheme."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsgold.schemas.annotation import (
    AnnotationSet,
    Comment,
    GoldSet,
    Origin,
    Provenance,
    Relation,
    Span,
    content_fingerprint,
)
from newsgold.schemas.document import Document, DocumentMeta, IngestSource, text_sha256
from newsgold.schemas.manifest import CorpusManifest
from newsgold.schemas.scheme import (
    AttributeDef,
    Cardinality,
    LabelDef,
    Layer,
    RelationDef,
    Scheme,
    StanceDef,
    StanceTarget,
    default_scheme,
)
from newsgold.schemas.version import FORMAT_VERSION

if TYPE_CHECKING:
    from newsgold.schemas.jsonschema import RECORD_MODELS, json_schemas, write_json_schemas


def __getattr__(name: str) -> Any:
    """The JSON Schema output (`json_schemas`, `write_json_schemas`, `RECORD_MODELS`), loaded when used."""
    if name not in ("RECORD_MODELS", "json_schemas", "write_json_schemas"):
        raise AttributeError(f"module 'newsgold.schemas' has no attribute {name!r}")
    from newsgold.schemas import jsonschema

    return getattr(jsonschema, name)

__all__ = [
    "FORMAT_VERSION",
    "AnnotationSet",
    "AttributeDef",
    "Cardinality",
    "Comment",
    "CorpusManifest",
    "Document",
    "DocumentMeta",
    "GoldSet",
    "IngestSource",
    "LabelDef",
    "Layer",
    "Origin",
    "Provenance",
    "RECORD_MODELS",
    "Relation",
    "RelationDef",
    "Scheme",
    "Span",
    "StanceDef",
    "StanceTarget",
    "content_fingerprint",
    "default_scheme",
    "json_schemas",
    "text_sha256",
    "write_json_schemas",
]
