"""Render a document with its spans for the terminal (`newsgold show`)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from newsgold.schemas.annotation import Comment, _SetContent
from newsgold.schemas.document import Document
from newsgold.schemas.scheme import Scheme

__all__ = ["render_document"]

_ENTITY_STYLES = ("bold blue", "bold green", "bold magenta", "bold yellow")
_QUOTE_STYLE = "on grey23"


def _label_styles(scheme: Scheme) -> dict[str, str]:
    """Label -> style: the quote role a background, entity labels colours in scheme order,
    speaker and cue their own; other labels bold."""
    roles = scheme.resolved_roles
    styles = {label: "bold" for label in scheme.labels}
    entities = [label.name for layer in scheme.layers if layer.name == roles.entity_layer for label in layer.labels]
    for n, label in enumerate(entities):
        styles[label] = _ENTITY_STYLES[n % len(_ENTITY_STYLES)]
    for role_label, style in ((roles.speaker, "bold red underline"), (roles.cue, "italic cyan"),
                              (roles.quote, _QUOTE_STYLE)):
        if role_label is not None:
            styles[role_label] = style
    return styles


def render_document(document: Document, annotations: _SetContent | None, scheme: Scheme,
                    *, title: str = "", comments: Sequence[Comment] = ()) -> Group:
    """Return a rich renderable: the text with spans highlighted, a legend, a quote table, and
    `comments` (left in Label Studio) last.

    Quotes have a background; entity, speaker and cue labels their own colours and a
    `[LABEL]` tag after each span. The table links every quote to its speaker and cue.
    """
    text = Text(document.text)
    parts: list[RenderableType] = []
    heading = Text(f"{document.id}", style="bold")
    if document.meta.title:
        heading.append(f"  {document.meta.title}", style="dim")
    if title:
        heading.append(f"  [{title}]", style="dim italic")
    parts.append(heading)
    if annotations is None:
        parts.append(text)
        parts.append(Text("(no annotations)", style="dim"))
        parts += _comment_table(comments)
        return Group(*parts)

    roles = scheme.resolved_roles
    styles = _label_styles(scheme)
    spans = sorted(annotations.spans, key=lambda s: (s.start, -s.end))
    for span in spans:
        if span.label == roles.quote:
            text.stylize(_QUOTE_STYLE, span.start, span.end)
    for span in spans:
        if span.label != roles.quote:
            text.stylize(styles.get(span.label, "bold"), span.start, span.end)
    # Rebuild the text with a tag after each span end; styles travel with the slices.
    tagged = Text()
    cursor = 0
    ends: dict[int, list[str]] = {}
    for span in spans:
        tag = f"Q {span.id}" if span.label == roles.quote else span.label
        ends.setdefault(span.end, []).append(tag)
    for position in sorted(ends):
        tagged.append_text(text[cursor:position])
        for tag in ends[position]:
            tagged.append(f"[{tag}]", style="dim")
        cursor = position
    tagged.append_text(text[cursor:])
    parts.append(tagged)

    legend = Text("legend: ")
    for label in scheme.labels:
        legend.append(label, style=styles[label])
        legend.append(" ")
    parts.append(legend)

    by_id = {s.id: s for s in annotations.spans}
    links: dict[str, dict[str, str]] = {}
    for relation in annotations.relations:
        links.setdefault(relation.from_, {})[relation.type] = relation.to
    quotes = [s for s in spans if s.label == roles.quote]
    if quotes:
        table = Table(title="Quotes", show_lines=True, expand=True)
        for column in ("id", "quote", "form", "speaker", "cue", "stance"):
            table.add_column(column, overflow="fold")
        for quote in quotes:
            link = links.get(quote.id, {})
            speaker = by_id.get(link.get(roles.attribution or "", ""))
            speaker_text = speaker.text if speaker else "—"
            if speaker is not None:
                entity = by_id.get(links.get(speaker.id, {}).get(roles.reference or "", ""))
                if entity is not None and entity.text != speaker.text:
                    speaker_text += f" → {entity.text}"
            cue = by_id.get(link.get(roles.cue_link or "", ""))
            stance = ", ".join(f"{t}: {v}" for t, v in quote.stance.items()) or "—"
            form = quote.attrs.get(roles.form, "—") if roles.form else "—"
            table.add_row(quote.id, quote.text, form, speaker_text,
                          cue.text if cue else "—", stance)
        parts.append(table)
    if annotations.stance:
        doc_stance = Table(title="Document stance")
        doc_stance.add_column("target")
        doc_stance.add_column("stance")
        for target, value in annotations.stance.items():
            doc_stance.add_row(target, value)
        parts.append(doc_stance)
    parts += _comment_table(comments)
    return Group(*parts)


def _comment_table(comments: Sequence[Comment]) -> list[RenderableType]:
    if not comments:
        return []
    table = Table(title="Comments from Label Studio", expand=True)
    for column in ("by", "comment", "when", "resolved"):
        table.add_column(column, overflow="fold")
    for comment in comments:
        table.add_row(comment.author, comment.text, comment.created_at or "—", "yes" if comment.resolved else "no")
    return [table]
