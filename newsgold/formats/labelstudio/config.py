"""The Label Studio labeling config generated from a scheme, and the names of its controls."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

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

NOTE_HINT = ("Unsure about something? Say what and where: the adjudicator reads this note. "
             "It is saved with your annotation when you press Submit.")

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

LABEL_BAR_CLASS = "ng-labels"
REGION_GROUP_CLASS = "ng-region"
DOCUMENT_GROUP_CLASS = "ng-document"
NOTE_GROUP_CLASS = "ng-note"
"""The classes of the config's groups (the page's style below, and the browser tests, use them)."""

REGION_STANCE_HEADER = "Stance of the selected {label}"
DOCUMENT_STANCE_HEADER = "Stance of the whole article"
STANCE_HINT = "one value per claim; click it again to clear it"
GROUP_HEADER_STYLE = "font-size: 15px; font-weight: 700; margin: 4px 0 0"
ITEM_HEADER_STYLE = "font-size: 13px; font-weight: 500; line-height: 1.3; margin: 6px 0 0"
HINT_STYLE = "font-size: 12px; font-weight: 400; color: #666; margin: 0"


def _required_message(label: str, attr: str) -> str:
    """What the page says when Submit is refused for a missing required attribute: Label Studio shows
    one message for the control, not the region, so it says how to find the region that lacks it."""
    return (f"Choose the {attr} of every {label}: select each {label} in the Regions list and tick its "
            f"{attr} (a {label} in pieces carries it on its first piece)")


def _page_style(scheme: Scheme) -> str:
    """The page's CSS (Label Studio's Style tag): the label bar stays at the top of the article as it
    scrolls; the selected region's controls and the article's are two boxes of their own colours;
    compact headings so that a quote's form, its stance and the article's stance fit a 768-pixel
    screen; and, in the text, the quote role's regions underlined and the speaker role's outlined
    rather than filled, so that an entity inside a quote, or a speaker over a person, keeps its
    own colour instead of a blend that looks like a third label."""
    roles = scheme.resolved_roles
    colour = {name: label.color or "#888888" for name, label in scheme.labels.items()}
    rules = [
        f".{LABEL_BAR_CLASS} {{ position: sticky; top: 0; z-index: 5; background: var(--color-neutral-background, #fff); "
        "padding-bottom: 4px; }",
        f".{REGION_GROUP_CLASS}, .{DOCUMENT_GROUP_CLASS} {{ border-radius: 6px; padding: 4px 10px; margin: 0 0 10px; }}",
        f".{REGION_GROUP_CLASS} {{ background: #fff4e8; border-left: 4px solid {colour.get(roles.quote or '', '#ff7f0e')}; }}",
        f".{DOCUMENT_GROUP_CLASS} {{ background: #eef3fb; border-left: 4px solid #4a6fa5; }}",
        f".{REGION_GROUP_CLASS} .lsf-choices, .{DOCUMENT_GROUP_CLASS} .lsf-choices {{ margin: 2px 0 0 !important; }}",
        # Rows of 26 px, not Label Studio's 40: a quote's form, its stance under three claims, the
        # article's stance and the note fit a 1366x768 screen above the bottom bar.
        f".{REGION_GROUP_CLASS} .lsf-choice, .{DOCUMENT_GROUP_CLASS} .lsf-choice, "
        f".{REGION_GROUP_CLASS} .lsf-choice__item, .{DOCUMENT_GROUP_CLASS} .lsf-choice__item, "
        f".{REGION_GROUP_CLASS} .ant-checkbox-wrapper, .{DOCUMENT_GROUP_CLASS} .ant-checkbox-wrapper "
        "{ line-height: 26px !important; }",
        # Every choice here is single: round boxes say "one of these" (a ticked one still clears on a click).
        f".{REGION_GROUP_CLASS} .ant-checkbox-inner, .{DOCUMENT_GROUP_CLASS} .ant-checkbox-inner {{ border-radius: 50% !important; }}",
    ]
    if roles.quote in colour:
        rules.append(f'.lsf-richtext .htx-highlight[data-label$=":{roles.quote}"]:not(.__active) '
                     f"{{ background-color: transparent !important; border-bottom: 3px solid {colour[roles.quote]} !important; }}")
    if roles.speaker in colour:
        rules.append(f'.lsf-richtext .htx-highlight[data-label$=":{roles.speaker}"]:not(.__active) '
                     f"{{ background-color: transparent !important; border: 2px solid {colour[roles.speaker]} !important; "
                     "border-radius: 3px; }")
    return "\n".join(rules)


def label_config(scheme: Scheme) -> str:
    """Return the labeling config XML for `scheme`.

    Two columns. On the left, the span layers' Labels in a bar that stays at the top of the
    article as it scrolls, then the Text (character granularity, so a drag over exactly a span's
    characters gives exactly that span). On the right, in a column that stays in view: the
    Relations; a box with the selected region's controls (shown only while a region is selected):
    its label attributes (required: the annotation cannot be submitted without them) and, for a
    stance-bearing label, its stance under each claim (one value; a clicked value can be clicked
    again to clear it); a box of another colour with the whole article's stance under each claim
    and the document attributes; last, a note for the adjudicator (stored as a comment of the set,
    saved with the annotation on Submit). Every value is XML-escaped.
    """
    lines = ["<View>", f"  <Style>{escape(_page_style(scheme))}</Style>", '  <Header value="$title"/>',
             '  <View style="display: flex; align-items: flex-start">',
             f"    <View style={_q(TEXT_COLUMN_STYLE)}>", f"      <View className={_q(LABEL_BAR_CLASS)}>"]
    for layer in scheme.layers:
        lines.append(f"        <Labels name={_q(layer.name)} toName={_q(TEXT_NAME)}>")
        for label in layer.labels:
            colour = f" background={_q(label.color)}" if label.color else ""
            hint = f" hint={_q(label.description)}" if label.description else ""
            key = scheme.hotkeys.get(label.name)
            hotkey = f" hotkey={_q(key)}" if key else ""
            lines.append(f"          <Label value={_q(label.name)}{colour}{hotkey}{hint}/>")
        lines.append("        </Labels>")
    lines.append("      </View>")
    lines.append(f'      <Text name={_q(TEXT_NAME)} value="$text"/>')
    lines.append("    </View>")
    lines.append(f"    <View style={_q(CONTROL_COLUMN_STYLE)}>")
    lines.append("      <Relations>")
    lines.extend(f"        <Relation value={_q(r.name)}/>" for r in scheme.relations)
    lines.append(f'        <Relation value="{CONTINUES}"/>')  # the fragments of a discontinuous span
    lines.append("      </Relations>")
    lines.extend(_region_controls(scheme))
    lines.extend(_document_controls(scheme))
    lines.append(f"      <View className={_q(NOTE_GROUP_CLASS)}>")
    lines.append('        <Header value="Note for the adjudicator" size="5" style="' + GROUP_HEADER_STYLE + '"/>')
    lines.append(f"        <TextArea name={_q(NOTE_NAME)} toName={_q(TEXT_NAME)} rows=\"2\" editable=\"true\" "
                 f'showSubmitButton="false" placeholder={_q(NOTE_HINT)}/>')
    lines.append("      </View>")
    lines += ["    </View>", "  </View>", "</View>"]
    return "\n".join(lines) + "\n"


def _region_controls(scheme: Scheme) -> list[str]:
    """The box of the selected region's controls, one per label that has any (shown while a region
    of that label is selected): its attributes, then its stance under each claim."""
    lines: list[str] = []
    for label in scheme.labels.values():
        has_stance = scheme.stance is not None and label.stance
        if not label.attrs and not has_stance:
            continue
        when = f'visibleWhen="region-selected" whenLabelValue={_q(label.name)}'
        lines.append(f"      <View className={_q(REGION_GROUP_CLASS)} {when}>")
        for attr in label.attrs:
            required = (f' required="true" requiredMessage={_q(_required_message(label.name, attr.name))}'
                        if attr.required else "")
            lines.append(f"        <Header value={_q(f'{label.name} {attr.name}')} size=\"6\" style={_q(GROUP_HEADER_STYLE)}/>")
            lines.append(
                f"        <Choices name={_q(attr_control(label.name, attr.name))} toName={_q(TEXT_NAME)} "
                f'perRegion="true" choice="single" showInline="true"{required} {when}>'
            )
            hint = f" hint={_q(attr.description)}" if attr.description else ""  # shown on hover
            lines.extend(f"          <Choice value={_q(v)}{hint}/>" for v in attr.values)
            lines.append("        </Choices>")
        if has_stance and scheme.stance is not None:
            header = REGION_STANCE_HEADER.format(label=label.name)
            lines.append(f"        <Header value={_q(header)} size=\"5\" style={_q(GROUP_HEADER_STYLE)}/>")
            lines.append(f'        <Header value={_q(STANCE_HINT)} size="6" style={_q(HINT_STYLE)}/>')
            for target in scheme.stance.targets:
                lines.append(f"        <Header value={_q(target.claim)} size=\"6\" style={_q(ITEM_HEADER_STYLE)}/>")
                lines.append(
                    f"        <Choices name={_q(stance_control(target.id))} toName={_q(TEXT_NAME)} "
                    f'perRegion="true" choice="single" showInline="true" {when}>'
                )
                lines.extend(f"          <Choice value={_q(v)}/>" for v in scheme.stance.values)
                lines.append("        </Choices>")
        lines.append("      </View>")
    return lines


def _document_controls(scheme: Scheme) -> list[str]:
    """The box of the whole article's stance (under each claim) and attributes."""
    body: list[str] = []
    if scheme.stance is not None and scheme.stance.document_level:
        body.append(f"        <Header value={_q(DOCUMENT_STANCE_HEADER)} size=\"5\" style={_q(GROUP_HEADER_STYLE)}/>")
        body.append(f'        <Header value={_q(STANCE_HINT)} size="6" style={_q(HINT_STYLE)}/>')
        for target in scheme.stance.targets:
            body.append(f"        <Header value={_q(target.claim)} size=\"6\" style={_q(ITEM_HEADER_STYLE)}/>")
            body.append(f"        <Choices name={_q(doc_stance_control(target.id))} "
                        f'toName={_q(TEXT_NAME)} choice="single" showInline="true">')
            body.extend(f"          <Choice value={_q(v)}/>" for v in scheme.stance.values)
            body.append("        </Choices>")
    for attr in scheme.doc_attrs:
        body.append(f"        <Header value={_q(f'Article {attr.name}')} size=\"6\" style={_q(ITEM_HEADER_STYLE)}/>")
        body.append(f"        <Choices name={_q(doc_attr_control(attr.name))} toName={_q(TEXT_NAME)} "
                    'choice="single" showInline="true">')
        body.extend(f"          <Choice value={_q(v)}/>" for v in attr.values)
        body.append("        </Choices>")
    return [f"      <View className={_q(DOCUMENT_GROUP_CLASS)}>", *body, "      </View>"] if body else []
