"""Pydantic v2 models of every newsgold record and of the annotation scheme."""

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
from newsgold.schemas.jsonschema import RECORD_MODELS, json_schemas, write_json_schemas
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
