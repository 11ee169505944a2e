"""The span boundary rules of the guidelines (warnings NG601-NG604): where a span should start and end.

These are conventions, not the format: a span that breaks them is still a valid record. `validate`
reports them as warnings (`--strict` fails on them) and `studio pull` names each region that breaks
one, so annotators can fix it while the task is fresh.
"""

from __future__ import annotations

import re

from newsgold.corpus.checks import Finding
from newsgold.schemas.annotation import Span, _SetContent, join_fragments
from newsgold.schemas.scheme import Scheme

__all__ = ["boundary_findings", "conform_span"]

OPENING_MARKS = "\"'“‘„‚«‹「『"
CLOSING_MARKS = "\"'”’“‘»›」』"
POSSESSIVE = re.compile(r"['’]s$")
ABBREVIATION = re.compile(r"(?:^|\s)(?:(?:[A-Za-z]\.)+|[A-Z][a-z]{1,3}\.)$")
"""A name's own final period: initials and dotted acronyms (U.K., D.C.) or a short capitalised
abbreviation (Inc., Ltd., Jr., Co.)."""
TRAILING = ",;:!?)]}\"'”’»"


def boundary_findings(content: _SetContent, scheme: Scheme) -> list[Finding]:
    """The boundary rules each span of `content` breaks, with the span's index."""
    roles = scheme.resolved_roles
    entity_labels = _entity_labels(scheme)
    findings = []
    for i, span in enumerate(content.spans):
        text = span.text
        where = f"spans[{i}].text"
        if text[:1].isspace() or text[-1:].isspace():
            findings.append(Finding("NG601", where, f"{span.label} span {span.id} {text!r} starts or ends "
                                    "with whitespace", span=i))
        if span.label == roles.quote and len(text) > 1 and text[0] in OPENING_MARKS and text[-1] in CLOSING_MARKS:
            findings.append(Finding("NG602", where, f"quote {span.id} includes its quotation marks "
                                    f"({text[0]}…{text[-1]})", span=i))
        if span.label in entity_labels:
            stripped = text.rstrip()
            if POSSESSIVE.search(stripped):
                findings.append(Finding("NG603", where, f"{span.label} span {span.id} {text!r} includes "
                                        "the possessive 's", span=i))
            elif stripped[-1:] in TRAILING or (stripped.endswith(".") and not ABBREVIATION.search(stripped)):
                findings.append(Finding("NG604", where, f"{span.label} span {span.id} {text!r} ends with "
                                        f"{stripped[-1]!r}", span=i))
    return findings


def _entity_labels(scheme: Scheme) -> set[str]:
    """The labels of the scheme's entity layer (`roles.entity_layer`)."""
    layer_name = scheme.resolved_roles.entity_layer
    return {label.name for layer in scheme.layers if layer.name == layer_name for label in layer.labels}


COMPLEMENTIZER = re.compile(r"^(?:that|whether|if)\s+", re.IGNORECASE)
SPEAKER_TRAILING = re.compile(r"[\s,;:]+$")


def conform_span(span: Span, text: str, scheme: Scheme) -> Span | None:
    """`span` with its ends moved inward to the boundary rules of the guidelines, or None when
    nothing would be left: whitespace off both ends (NG601); a QUOTE piece without its outer
    quotation marks (NG602) or, when it has none, without a leading `that` and a final period; an
    entity without a possessive 's (NG603) or a final punctuation mark that is not its own (NG604);
    a SPEAKER without a trailing comma, colon or semicolon; a QUOTE piece of marks alone is dropped. Ends only move inward, so a conforming
    span comes back unchanged. For spans written under other conventions (PolNeAR's Content keeps
    its quotation marks and final period) before they are compared with newsgold's."""
    roles = scheme.resolved_roles
    entity_labels = _entity_labels(scheme)
    pieces = []
    for start, end in span.pieces:
        start, end = _trim_space(text, start, end)
        if span.label == roles.quote:
            start, end = _conform_quote(text, start, end)
        elif span.label in entity_labels:
            start, end = _conform_entity(text, start, end)
        elif span.label == roles.speaker:
            match = SPEAKER_TRAILING.search(text[start:end])
            end = start + match.start() if match else end
            start, end = _trim_space(text, start, end)
        if end > start:
            pieces.append((start, end))
    if not pieces:
        return None
    pieces = join_fragments(pieces, text)
    if pieces == span.pieces:
        return span
    first, last = pieces[0][0], pieces[-1][1]
    return span.model_copy(update={"start": first, "end": last, "text": text[first:last],
                                   "fragments": pieces if len(pieces) > 1 else None})


def _trim_space(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _conform_quote(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    if not any(character.isalnum() for character in piece):
        return start, start  # marks or punctuation alone: no content
    if len(piece) > 1 and piece[0] in OPENING_MARKS:
        closing = len(piece) - 1
        while closing > 0 and piece[closing] in ".,;:" and piece[closing - 1] in CLOSING_MARKS:
            closing -= 1  # “… means,”. with the reporter's period after the mark
        if piece[closing] in CLOSING_MARKS:  # and again inside: ''…'' is two straight marks a side
            return _conform_quote(text, *_trim_space(text, start + 1, start + closing))
    if (start > 0 and text[start - 1] in OPENING_MARKS) or text[end:end + 1] in CLOSING_MARKS:
        return start, end  # the words between quotation marks: their own punctuation stays
    match = COMPLEMENTIZER.match(piece)
    if match and match.end() < len(piece):  # and what follows `that` may be a quotation in its marks
        return _conform_quote(text, start + match.end(), end)
    if text[start:end].endswith(".") and not ABBREVIATION.search(text[start:end]):
        end -= 1
    return _trim_space(text, start, end)


def _conform_entity(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    possessive = POSSESSIVE.search(piece)
    if possessive and possessive.start() > 0:
        return _trim_space(text, start, start + possessive.start())
    while end > start and (text[end - 1] in TRAILING or (text[end - 1] == "." and not ABBREVIATION.search(
            text[start:end]))):
        end -= 1
    return _trim_space(text, start, end)
