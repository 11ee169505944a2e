"""The Label Studio labeling config generated from a scheme, and the names of its controls."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from newsgold.schemas.scheme import Scheme

__all__ = [
    "TEXT_NAME",
    "label_config",
    "attr_control",
    "stance_control",
    "doc_stance_control",
    "doc_attr_control",
    "parse_control",
]

TEXT_NAME = "text"
"""Name of the Text object every control points at."""

_ATTR, _STANCE, _DOC_STANCE, _DOC_ATTR = "attr", "stance", "doc_stance", "doc_attr"


def attr_control(label: str, attr: str) -> str:
    """Control name of a per-region attribute (e.g. `attr__QUOTE__form`)."""
    return f"{_ATTR}__{label}__{attr}"


def stance_control(target: str) -> str:
    """Control name of the per-region stance toward `target`."""
    return f"{_STANCE}__{target}"


def doc_stance_control(target: str) -> str:
    """Control name of the document-level stance toward `target`."""
    return f"{_DOC_STANCE}__{target}"


def doc_attr_control(attr: str) -> str:
    """Control name of a document-level attribute."""
    return f"{_DOC_ATTR}__{attr}"


def parse_control(name: str) -> tuple[str, ...] | None:
    """Split a control name made by this module: ("attr", LABEL, ATTR), ("stance", TARGET), ..."""
    parts = name.split("__")
    if parts[0] == _ATTR and len(parts) == 3:
        return (_ATTR, parts[1], parts[2])
    if parts[0] in (_STANCE, _DOC_STANCE, _DOC_ATTR) and len(parts) == 2:
        return (parts[0], parts[1])
    return None


def _q(value: str) -> str:
    return quoteattr(value)


def label_config(scheme: Scheme) -> str:
    """Return the labeling config XML for `scheme`.

    One Labels control per span layer, Relations for the relation types, per-region Choices for
    label attributes and for stance on each target (shown only when a region of a stance-bearing
    label is selected), document-level Choices for document stance and attributes, and a Text
    object with word granularity. Every value is XML-escaped.
    """
    lines = ["<View>", '  <Header value="$title"/>']
    for layer in scheme.layers:
        lines.append(f"  <Labels name={_q(layer.name)} toName={_q(TEXT_NAME)}>")
        for label in layer.labels:
            colour = f" background={_q(label.color)}" if label.color else ""
            hint = f" hint={_q(label.description)}" if label.description else ""
            lines.append(f"    <Label value={_q(label.name)}{colour}{hint}/>")
        lines.append("  </Labels>")
    lines.append(f'  <Text name={_q(TEXT_NAME)} value="$text" granularity="word"/>')
    if scheme.relations:
        lines.append("  <Relations>")
        lines.extend(f"    <Relation value={_q(r.name)}/>" for r in scheme.relations)
        lines.append("  </Relations>")
    for label in scheme.labels.values():
        for attr in label.attrs:
            lines.append(f"  <Header value={_q(f'{label.name} {attr.name}')}/>")
            lines.append(
                f"  <Choices name={_q(attr_control(label.name, attr.name))} toName={_q(TEXT_NAME)} "
                f'perRegion="true" choice="single-radio" visibleWhen="region-selected" '
                f"whenLabelValue={_q(label.name)}>"
            )
            lines.extend(f"    <Choice value={_q(v)}/>" for v in attr.values)
            lines.append("  </Choices>")
    if scheme.stance is not None:
        stance_labels = [label.name for label in scheme.labels.values() if label.stance]
        only = f" whenLabelValue={_q(stance_labels[0])}" if len(stance_labels) == 1 else ""
        for target in scheme.stance.targets:
            lines.append(f"  <Header value={_q(f'Stance: {target.claim}')}/>")
            lines.append(
                f"  <Choices name={_q(stance_control(target.id))} toName={_q(TEXT_NAME)} "
                f'perRegion="true" choice="single-radio" visibleWhen="region-selected"{only}>'
            )
            lines.extend(f"    <Choice value={_q(v)}/>" for v in scheme.stance.values)
            lines.append("  </Choices>")
        if scheme.stance.document_level:
            for target in scheme.stance.targets:
                lines.append(f"  <Header value={_q(f'Document stance: {target.claim}')}/>")
                lines.append(f"  <Choices name={_q(doc_stance_control(target.id))} "
                             f'toName={_q(TEXT_NAME)} choice="single-radio">')
                lines.extend(f"    <Choice value={_q(v)}/>" for v in scheme.stance.values)
                lines.append("  </Choices>")
    for attr in scheme.doc_attrs:
        lines.append(f"  <Header value={_q(f'Document {attr.name}')}/>")
        lines.append(f"  <Choices name={_q(doc_attr_control(attr.name))} toName={_q(TEXT_NAME)} "
                     'choice="single-radio">')
        lines.extend(f"    <Choice value={_q(v)}/>" for v in attr.values)
        lines.append("  </Choices>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"
