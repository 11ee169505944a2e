"""The Label Studio labeling config generated from a scheme, and the names of its controls."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from newsgold.schemas.scheme import Scheme

CONTINUES = "continues"
"""The relation joining the regions of one discontinuous span (see `convert.set_to_results`)."""

__all__ = [
    "TEXT_NAME",
    "label_config",
    "attr_control",
    "stance_control",
    "doc_stance_control",
    "doc_attr_control",
    "parse_control",
    "NOTE_NAME",
]

TEXT_NAME = "text"
"""Name of the Text object every control points at."""

NOTE_NAME = "doc_note"
"""Name of the TextArea where an annotator leaves a note for the adjudicator: `studio pull` stores
it as a comment of the set (Label Studio Community has no comments API, so this is the one way a
doubt reaches the adjudicator there)."""

NOTE_HINT = ("Unsure about something? Say what and where: the adjudicator reads this note "
             "(it is saved when you submit).")

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
    if name.startswith(f"{_ATTR}__"):  # the label may start or end with `_`; the attribute starts with a letter
        label, separator, attr = name[len(_ATTR) + 2:].rpartition("__")
        return (_ATTR, label, attr) if separator and label and attr[:1].isalpha() else None
    parts = name.split("__")
    if parts[0] in (_STANCE, _DOC_STANCE, _DOC_ATTR) and len(parts) == 2:
        return (parts[0], parts[1])
    return None


def _q(value: str) -> str:
    return quoteattr(value)


TEXT_COLUMN_STYLE = "flex: 3; min-width: 0; padding-right: 1em"
CONTROL_COLUMN_STYLE = ("flex: 2; min-width: 18em; position: sticky; top: 0; align-self: flex-start; "
                        "max-height: calc(100vh - 120px); overflow-y: auto; padding-left: 1em; border-left: 1px solid #ddd")
"""Two columns: the article on the left, the controls beside it in a column that stays in view
(sticky) however far the article scrolls. The column is at most the height Label Studio leaves
between its header and its bottom bar (48 and about 60 pixels), and scrolls on its own beyond that:
a taller column would be pushed up at the end of the article, and its last controls hidden."""


def label_config(scheme: Scheme) -> str:
    """Return the labeling config XML for `scheme`.

    Two columns: the span layers' Labels above the Text on the left (character granularity, so
    a drag over exactly a span's characters gives exactly that span); on the right, in a column
    that stays in view, the Relations, the per-region Choices of label attributes (required: the
    annotation cannot be submitted without them) and of stance per target (shown only when a
    region of a stance-bearing label is selected; a clicked value can be clicked again to clear
    it), then the document-level stance and attributes, each under the claim or name it is
    about, and last a note for the adjudicator (stored as a comment of the set). Every value is
    XML-escaped.
    """
    lines = ["<View>", '  <Header value="$title"/>', '  <View style="display: flex; align-items: flex-start">',
             f"    <View style={_q(TEXT_COLUMN_STYLE)}>"]
    for layer in scheme.layers:
        lines.append(f"      <Labels name={_q(layer.name)} toName={_q(TEXT_NAME)}>")
        for label in layer.labels:
            colour = f" background={_q(label.color)}" if label.color else ""
            hint = f" hint={_q(label.description)}" if label.description else ""
            key = scheme.hotkeys.get(label.name)
            hotkey = f" hotkey={_q(key)}" if key else ""
            lines.append(f"        <Label value={_q(label.name)}{colour}{hotkey}{hint}/>")
        lines.append("      </Labels>")
    lines.append(f'      <Text name={_q(TEXT_NAME)} value="$text"/>')
    lines.append("    </View>")
    lines.append(f"    <View style={_q(CONTROL_COLUMN_STYLE)}>")
    lines.append("      <Relations>")
    lines.extend(f"        <Relation value={_q(r.name)}/>" for r in scheme.relations)
    lines.append(f'        <Relation value="{CONTINUES}"/>')  # the fragments of a discontinuous span
    lines.append("      </Relations>")
    for label in scheme.labels.values():
        for attr in label.attrs:
            required = (f' required="true" requiredMessage={_q(f"Choose the {attr.name} of every {label.name}")}'
                        if attr.required else "")
            lines.append(f'      <View visibleWhen="region-selected" whenLabelValue={_q(label.name)}>')
            lines.append(f"        <Header value={_q(f'{label.name} {attr.name}')} size=\"6\"/>")
            lines.append(
                f"        <Choices name={_q(attr_control(label.name, attr.name))} toName={_q(TEXT_NAME)} "
                f'perRegion="true" choice="single" showInline="true"{required} '
                f"visibleWhen=\"region-selected\" whenLabelValue={_q(label.name)}>"
            )
            hint = f" hint={_q(attr.description)}" if attr.description else ""  # shown on hover
            lines.extend(f"          <Choice value={_q(v)}{hint}/>" for v in attr.values)
            lines.append("        </Choices>")
            lines.append("      </View>")
    if scheme.stance is not None:
        stance_labels = [label.name for label in scheme.labels.values() if label.stance]
        only = f" whenLabelValue={_q(stance_labels[0])}" if len(stance_labels) == 1 else ""
        for target in scheme.stance.targets:
            lines.append(f'      <View visibleWhen="region-selected"{only}>')
            lines.append(f"        <Header value={_q(f'Stance: {target.claim}')} size=\"6\"/>")
            lines.append(
                f"        <Choices name={_q(stance_control(target.id))} toName={_q(TEXT_NAME)} "
                f'perRegion="true" choice="single" showInline="true" visibleWhen="region-selected"{only}>'
            )
            lines.extend(f"          <Choice value={_q(v)}/>" for v in scheme.stance.values)
            lines.append("        </Choices>")
            lines.append("      </View>")
        if scheme.stance.document_level:
            lines.append('      <Header value="Document stance" size="5"/>')
            for target in scheme.stance.targets:
                lines.append(f"      <Header value={_q(target.claim)} size=\"6\"/>")
                lines.append(f"      <Choices name={_q(doc_stance_control(target.id))} "
                             f'toName={_q(TEXT_NAME)} choice="single" showInline="true">')
                lines.extend(f"        <Choice value={_q(v)}/>" for v in scheme.stance.values)
                lines.append("      </Choices>")
    for attr in scheme.doc_attrs:
        lines.append(f"      <Header value={_q(f'Document {attr.name}')} size=\"6\"/>")
        lines.append(f"      <Choices name={_q(doc_attr_control(attr.name))} toName={_q(TEXT_NAME)} "
                     'choice="single" showInline="true">')
        lines.extend(f"        <Choice value={_q(v)}/>" for v in attr.values)
        lines.append("      </Choices>")
    lines.append('      <Header value="Note for the adjudicator" size="6"/>')
    lines.append(f"      <TextArea name={_q(NOTE_NAME)} toName={_q(TEXT_NAME)} rows=\"3\" editable=\"true\" "
                 f'transcription="true" maxSubmissions="1" placeholder={_q(NOTE_HINT)}/>')
    lines += ["    </View>", "  </View>", "</View>"]
    return "\n".join(lines) + "\n"
