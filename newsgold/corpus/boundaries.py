"""The span boundary rules of the guidelines (warnings NG601-NG604): where a span should start and end.

These are conventions, not the format: a span that breaks them is still a valid record. `validate`
reports them as warnings (`--strict` fails on them) and `studio pull` names each region that breaks
one, so annotators can fix it while the task is fresh.
"""

from __future__ import annotations

import re

from newsgold.corpus.checks import Finding
from newsgold.schemas.annotation import _SetContent
from newsgold.schemas.scheme import Scheme

__all__ = ["boundary_findings"]

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
    entity_labels = {label.name for layer in scheme.layers if layer.name == roles.entity_layer
                     for label in layer.labels}
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
