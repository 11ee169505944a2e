"""The catalogue of validation rules: a stable code, a name, and what to do when it fires.

Codes never change meaning; new rules get new codes. `docs/format.md` lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Rule", "RULES", "Severity", "rule"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    """A validation rule. An `error` makes a corpus invalid; a `warning` is reported, and fails
    `validate --strict` only (the span boundary rules of the guidelines)."""

    code: str
    name: str
    summary: str
    fix: str
    severity: Severity = "error"


_CATALOGUE = [
    # The corpus folder and its manifest.
    Rule("NG001", "manifest-invalid", "newsgold.json is not a valid corpus manifest",
         "fix newsgold.json (its fields: docs/format.md; `newsgold schema` writes its JSON Schema)"),
    Rule("NG002", "scheme-invalid", "the annotation scheme is not valid",
         "fix the scheme at the path named (its fields: docs/scheme.md; `newsgold schema` writes its "
         "JSON Schema)"),
    Rule("NG003", "file-unreadable", "a corpus file cannot be read (missing, not a file, or not UTF-8)",
         "check that the path names a regular file and save it as UTF-8 (without a byte order mark)"),
    # One record, checked by its model.
    Rule("NG101", "json-invalid", "the line is not valid JSON",
         "fix the JSON syntax of this line"),
    Rule("NG102", "wrong-type", "a field has the wrong type",
         "give the field a value of the type the schema expects"),
    Rule("NG103", "unknown-field", "a field the format does not define",
         "remove the field or move it into meta.extra"),
    Rule("NG104", "missing-field", "a required field is missing", "add the field"),
    Rule("NG105", "invalid-value", "a field's value is out of its allowed range or pattern",
         "correct the value"),
    Rule("NG106", "format-version", "a record of an unsupported format version",
         "use a newsgold release that reads this version (docs/versioning.md); 1.0 is the only "
         "format so far, so a record of another version was not written by newsgold"),
    # Identity and text integrity.
    Rule("NG201", "duplicate-document", "two documents share an id",
         "give each document a unique id, or remove the copy"),
    Rule("NG202", "sha256-mismatch", "a document's sha256 is not the hash of its text",
         "the text was changed after ingest: restore it, or re-ingest with --replace"),
    Rule("NG203", "offsets-invalid", "span offsets out of the text or end <= start",
         "fix the offsets (code points, half-open) or re-pull from Label Studio"),
    Rule("NG204", "span-text-mismatch", "a span's text is not the document text at its offsets",
         "re-pull from Label Studio or fix the offsets"),
    Rule("NG205", "duplicate-span-id", "two spans of one set share an id",
         "give each span of the set a unique id"),
    Rule("NG206", "unknown-document", "annotations of a document the corpus does not hold",
         "ingest the document, or remove the annotations"),
    Rule("NG207", "stale-annotations", "annotations made on another version of the text",
         "re-annotate the document, or re-ingest the text they were made on"),
    Rule("NG208", "duplicate-set", "two annotation sets of one annotator (or two gold sets) for one document",
         "keep one of them"),
    Rule("NG209", "duplicate-span", "one set holds the same span (label, start, end) twice",
         "keep one of them, and point its relations at the one you keep"),
    Rule("NG210", "fragments-invalid", "a discontinuous span's fragments are not in order within it",
         "list two or more [start, end) pieces in text order, apart, from the span's start to its end"),
    # The scheme.
    Rule("NG301", "unknown-label", "a span label the scheme does not declare",
         "use a label of the scheme, or add it to the scheme"),
    Rule("NG302", "unknown-attribute", "an attribute the scheme does not declare for the label",
         "remove the attribute, or declare it in the scheme"),
    Rule("NG303", "attribute-value", "an attribute value the scheme does not allow",
         "use one of the values the scheme lists"),
    Rule("NG304", "attribute-missing", "a gold span lacks a required attribute",
         "set the attribute"),
    Rule("NG305", "stance-not-allowed", "stance on a label (or document) that takes none",
         "remove the stance, or allow it in the scheme"),
    Rule("NG306", "unknown-target", "stance toward a target the scheme does not declare",
         "use a target id of the scheme, or add the target"),
    Rule("NG307", "stance-value", "a stance value the scheme does not allow",
         "use one of the scheme's stance values"),
    # Relations.
    Rule("NG401", "unknown-relation", "a relation type the scheme does not declare",
         "use a relation type of the scheme"),
    Rule("NG402", "relation-end-missing", "a relation end names no span of the set",
         "point the relation at a span id of the same set"),
    Rule("NG403", "relation-labels", "a relation joins labels the scheme does not allow",
         "join spans of the label pairs the scheme lists"),
    Rule("NG404", "cardinality", "a span has too many or too few relations of a type",
         "add or remove relations to meet the scheme's cardinality"),
    Rule("NG405", "duplicate-relation", "the same relation twice", "remove the copy"),
    # Structure within a layer.
    Rule("NG501", "crossing-spans", "two spans of one layer cross (overlap without nesting)",
         "make the spans nest or not overlap"),
    # Span boundaries, as docs/guidelines.md draws them (warnings).
    Rule("NG601", "span-whitespace", "a span starts or ends with whitespace",
         "move the boundary onto the first or last character that is not a space", "warning"),
    Rule("NG602", "quote-marks-included", "a quote includes its outer quotation marks",
         "leave the opening and closing quotation marks outside the quote", "warning"),
    Rule("NG603", "entity-possessive", "an entity includes a possessive 's",
         "end the entity before the apostrophe", "warning"),
    Rule("NG604", "entity-trailing-punctuation", "an entity ends with punctuation that is not part of the name",
         "end the entity before the punctuation (abbreviations such as U.K. keep their periods)", "warning"),
]

RULES: dict[str, Rule] = {r.code: r for r in _CATALOGUE}
"""Rule code -> rule."""


def rule(code: str) -> Rule:
    """Return the rule with `code`; KeyError if there is none."""
    return RULES[code]
