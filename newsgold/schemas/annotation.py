"""Annotation sets (one annotator's work on one document) and gold sets (the adjudicated truth)."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, Strict

from newsgold.schemas.document import DOC_ID_PATTERN, SHA256_PATTERN
from newsgold.schemas.version import FORMAT_VERSION, FormatVersion

__all__ = [
    "Span",
    "Relation",
    "Origin",
    "Provenance",
    "AnnotationSet",
    "Comment",
    "GoldSet",
    "SET_STATUSES",
    "content_fingerprint",
    "is_annotator_id",
    "annotator_id_problem",
    "RESERVED_SET_NAMES",
    "item_key",
]

SPAN_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
ANNOTATOR_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$"

SET_STATUSES = ("draft", "submitted", "reviewed")

_ANNOTATOR = re.compile(ANNOTATOR_PATTERN)


RESERVED_SET_NAMES = ("gold",)
"""Names no annotation set takes: `gold` is how a command that takes a set name means the gold."""


def is_annotator_id(name: object) -> bool:
    """True if `name` is a valid annotator id (letters, digits and . _ @ + -, up to 128) that
    names no set of its own (not `gold`)."""
    return isinstance(name, str) and _ANNOTATOR.match(name) is not None and name not in RESERVED_SET_NAMES


def annotator_id_problem(name: object) -> str | None:
    """Why `name` cannot name an annotation set, in words (None if it can)."""
    if name in RESERVED_SET_NAMES:
        return f"{name!r} names the gold, not a set of annotations: choose another name"
    if not is_annotator_id(name):
        return (f"{name!r} is not an annotator id: use letters, digits and . _ @ + - (up to 128), "
                "starting with a letter or digit")
    return None


class Span(BaseModel):
    """A labelled stretch of the text: `text` must equal the document text [start:end)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: str = Field(pattern=SPAN_ID_PATTERN, description="Id unique within its set (e.g. s12).")
    start: int = Field(ge=0, description="First code point of the span (inclusive).")
    end: int = Field(ge=0, description="Code point after the span (exclusive); end > start.")
    label: str = Field(description="A span label of the scheme (e.g. QUOTE, PERSON).")
    text: str = Field(description="The covered text, equal to the document text [start:end).")
    attrs: dict[str, str] = Field(
        default_factory=dict,
        description="Attribute values allowed by the scheme for this label (e.g. form: direct).",
    )
    stance: dict[str, str] = Field(
        default_factory=dict,
        description="Stance toward each scheme target this span addresses: target id -> value.",
    )
    # A JSON array is the tuple's form, also when a set is validated from parsed JSON.
    fragments: list[Annotated[tuple[int, int], Strict(False)]] | None = Field(
        default=None,
        description="For a discontinuous span: its [start, end) pieces in text order, the first starting at "
        "`start` and the last ending at `end`, with text between them that is not part of the span "
        "(`text` still covers the whole stretch).",
    )
    score: float | None = Field(
        default=None, ge=0, le=1,
        description="Confidence of a suggested span, from a trained model (`newsgold suggest --model`); "
        "Label Studio shows it with the prediction. Annotators' and gold spans have none.")

    @property
    def pieces(self) -> list[tuple[int, int]]:
        """The [start, end) pieces of the span: its fragments, or the whole stretch."""
        return list(self.fragments) if self.fragments else [(self.start, self.end)]


def join_fragments(pieces: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """`[start, end)` pieces of `text` in text order, those with only whitespace between them joined:
    the fragments of a span (one fragment: a continuous span). brat writes one span across a line
    break as two pieces, and an annotator may select a quote in two regions around a line break."""
    ordered = sorted(pieces)
    joined = [ordered[0]]
    for a, b in ordered[1:]:
        if text[joined[-1][1]:a].strip():
            joined.append((a, b))
        else:
            joined[-1] = (joined[-1][0], max(b, joined[-1][1]))
    return joined


class Relation(BaseModel):
    """A typed, directed link between two spans of the same set."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    type: str = Field(description="A relation type of the scheme (e.g. attributed_to).")
    from_: str = Field(alias="from", description="Id of the span the relation starts at.")
    to: str = Field(description="Id of the span the relation points to.")


class Origin(BaseModel):
    """Where an annotation set came from, so that a later pull or import can find it again."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    source: Literal["manual", "label-studio", "import", "script", "suggestion"] = Field(
        description="How the set was made (`suggestion`: by `newsgold suggest`, which agreement and "
        "adjudication leave out)."
    )
    project_id: int | None = Field(default=None, description="Label Studio project id.")
    task_id: int | None = Field(default=None, description="Label Studio task id.")
    annotation_id: int | None = Field(default=None, description="Label Studio annotation id.")
    ground_truth: bool = Field(default=False, description="Marked as ground truth in Label Studio.")
    created_at: str | None = Field(default=None, description="When it was created (ISO 8601).")
    updated_at: str | None = Field(default=None, description="When it was last updated (ISO 8601).")
    content_sha256: str | None = Field(
        default=None,
        pattern=SHA256_PATTERN,
        description=(
            "Fingerprint of spans, relations, stance and attrs when the set was last pulled: "
            "a local set whose content no longer matches it was edited locally."
        ),
    )
    detail: str | None = Field(default=None, description="Free text: a path, a script, a note.")


class _SetContent(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    format_version: FormatVersion = Field(
        default=FORMAT_VERSION, description="Version of the newsgold corpus format."
    )
    doc_id: str = Field(pattern=DOC_ID_PATTERN, description="Id of the annotated document.")
    doc_sha256: str = Field(
        pattern=SHA256_PATTERN, description="sha256 of the text the annotations were made on."
    )
    spans: list[Span] = Field(default_factory=list, description="Labelled spans.")
    relations: list[Relation] = Field(default_factory=list, description="Relations between spans.")
    stance: dict[str, str] = Field(
        default_factory=dict,
        description="Document-level stance toward each scheme target: target id -> value.",
    )
    attrs: dict[str, str] = Field(
        default_factory=dict, description="Document-level attributes declared by the scheme."
    )


class Comment(BaseModel):
    """A comment on an annotation in Label Studio, for the adjudicator: one from Label Studio's
    comments (Enterprise; with its `comment_id`) or the note written in the labeling page's "Note
    for the adjudicator" box (no `comment_id`; it comes first)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    author: str = Field(pattern=ANNOTATOR_PATTERN,
                        description="Annotator id of who wrote it (a pseudonym, as the set's annotator).")
    text: str = Field(description="The comment.")
    created_at: str | None = Field(default=None, description="When it was written (ISO 8601).")
    resolved: bool = Field(default=False, description="Marked resolved in Label Studio.")
    comment_id: int | None = Field(default=None, description="Label Studio comment id.")


class AnnotationSet(_SetContent):
    """One annotator's annotations of one document: a line of `annotations.jsonl`."""

    annotator: str = Field(
        pattern=ANNOTATOR_PATTERN, description="Stable pseudonymous id of the annotator."
    )
    origin: Origin = Field(description="Where the set came from.")
    status: Literal["draft", "submitted", "reviewed"] = Field(
        default="submitted", description="draft: work in progress; submitted; reviewed."
    )
    comments: list[Comment] | None = Field(
        default=None, description="Comments left on the annotation in Label Studio, oldest first "
        "(`studio pull` stores them; not part of the annotations: agreement and adjudication ignore them, "
        "`show` and review.jsonl list them).")

    @property
    def key(self) -> tuple[str, str]:
        """(doc_id, annotator): the identity of the set in a corpus."""
        return (self.doc_id, self.annotator)

    @property
    def is_suggestion(self) -> bool:
        """Whether `newsgold suggest` made the set (nobody's annotations)."""
        return self.origin.source == "suggestion"

    @property
    def votes(self) -> bool:
        """Whether agreement and adjudication count the set: not a draft, not suggestions."""
        return self.status != "draft" and not self.is_suggestion


class Provenance(BaseModel):
    """How a gold set was made and where each of its items came from."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    method: Literal["manual", "majority", "prefer", "ground-truth", "import"] = Field(
        description="The adjudication strategy, or manual for hand-made gold."
    )
    annotators: list[str] = Field(
        default_factory=list, description="Annotators whose sets contributed."
    )
    min_agreement: int | None = Field(
        default=None, ge=1, description="For majority: how many annotators had to agree."
    )
    items: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "Item key -> annotators it came from. Keys: `span:ID`, `relation:TYPE:FROM:TO`, "
            "`stance:TARGET`, `attr:NAME`, `span:ID:attr:NAME`, `span:ID:stance:TARGET`."
        ),
    )
    note: str | None = Field(default=None, description="Free text: who adjudicated, and how.")
    content_sha256: str | None = Field(
        default=None,
        pattern=SHA256_PATTERN,
        description=(
            "Fingerprint of spans, relations, stance and attrs when a tool (adjudicate) wrote the set: "
            "gold whose content no longer matches it was corrected by hand, and no tool replaces it "
            "without `replace`."
        ),
    )


def item_key(kind: Literal["span", "relation", "stance", "attr"], *parts: str) -> str:
    """The key of a gold item in `Provenance.items`, the one grammar adjudication writes and the
    exports read: `span:ID`, `span:ID:attr:NAME`, `span:ID:stance:TARGET`, `relation:TYPE:FROM:TO`,
    `stance:TARGET` (document stance), `attr:NAME` (document attribute)."""
    return ":".join((kind, *parts))


class GoldSet(_SetContent):
    """The adjudicated annotations of one document: a line of `gold.jsonl`."""

    provenance: Provenance = Field(description="How this gold was made.")


def content_fingerprint(annotation_set: _SetContent) -> str:
    """Return the sha256 of a set's content (spans, relations, stance, attrs), order-independent."""
    content = {
        "spans": sorted(
            (s.model_dump(mode="json", exclude_none=True) for s in annotation_set.spans),
            key=lambda s: (s["start"], s["end"], s["label"], s["id"]),
        ),
        "relations": sorted(
            (r.type, r.from_, r.to) for r in annotation_set.relations
        ),
        "stance": annotation_set.stance,
        "attrs": annotation_set.attrs,
    }
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()
