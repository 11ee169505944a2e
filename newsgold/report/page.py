"""The report as one self-contained HTML page: inline CSS and SVG, no script, no font, no request.

Sections: the corpus, the team, agreement, disputes, suggestions. Every figure comes from
`ReportData`; `stats` and `agreement` are also embedded whole as JSON (`<script
type="application/json" id="newsgold-figures">`, data the browser never runs) so that a reader or a
test can check the page against `newsgold stats --json` and `newsgold agreement --json`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from newsgold.report import charts
from newsgold.report.data import Dispute, ReportData
from newsgold.schemas.annotation import Span

__all__ = ["render"]

SECTIONS = (("corpus", "The corpus"), ("team", "The team"), ("agreement", "Agreement"),
            ("disputes", "Disputes"), ("suggestions", "Suggestions"))
STANCE_ORDER = ("favor", "against", "neutral")

CSS = """
:root { --ink: #1f2430; --muted: #5c6370; --line: #d9dde3; --panel: #f6f7f9; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1180px; padding: 0 24px 48px; }
header { border-bottom: 1px solid var(--line); padding: 20px 0 8px; }
h1 { font-size: 24px; margin: 0; } h2 { font-size: 20px; margin: 36px 0 8px; padding-top: 8px;
  border-top: 2px solid var(--ink); } h3 { font-size: 16px; margin: 20px 0 6px; }
nav a { margin-right: 16px; color: var(--muted); }
.numbers { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.number { background: var(--panel); border-radius: 6px; padding: 8px 14px; min-width: 130px; }
.number b { display: block; font-size: 22px; }
.number span { color: var(--muted); font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 16px; }
.chart svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: right; }
th:first-child, td:first-child, th.name, td.name { text-align: left; white-space: nowrap; }
th { background: var(--panel); }
.note { color: var(--muted); font-size: 13px; }
details { background: var(--panel); border-radius: 6px; padding: 8px 14px; margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; }
.versions { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.version { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.version h4 { margin: 0 0 6px; font-size: 14px; }
.version p { white-space: pre-wrap; margin: 0; font-size: 14px; }
td.text, th.text { text-align: left; white-space: normal; }
.span { border-radius: 3px; padding: 0 1px; }
.span.quote { background: none; border-bottom: 3px solid var(--quote); }
.span.speaker { outline: 2px solid var(--speaker); }
.legend span { margin-right: 10px; font-size: 13px; }
@media print { h2 { break-before: page; } nav { display: none; } details { display: block; } }
"""

DEFINITIONS = """
<details><summary>What the figures mean (docs/agreement.md)</summary>
<ul>
<li><b>Span F1, exact</b>: two annotators' spans match when they have the same start, end and label;
F1 = 2 &times; matched / (spans of the first + spans of the second).</li>
<li><b>Span F1, overlap</b>: spans of the same label match one-to-one by the largest overlap (an optimal
assignment); spans that do not overlap never match.</li>
<li><b>Cohen's kappa</b> (form, stance, document stance): agreement on the values of matched items,
corrected for the agreement their value frequencies would give by chance.</li>
<li><b>Krippendorff's alpha</b>: agreement across all annotators on each attribute (nominal), missing
values allowed.</li>
<li><b>Attribution agreement</b>: of the overlap-matched quotes either annotator linked to a speaker,
the share both linked to overlapping speaker mentions.</li>
<li><b>Disagreement</b> of a document: the mean over the parts that apply of 1 &minus; exact span F1,
the share of differing quote forms, of differing stance values, and 1 &minus; attribution agreement.</li>
</ul></details>
"""


CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; "
                           "base-uri 'none'; form-action 'none'")
"""What the page may load and run: its own inline styles and data images, nothing else; no script
at all, whatever a scheme or a corpus holds (a published report is a page others open)."""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _number(value: object, label: str) -> str:
    return f'<div class="number"><b>{_e(value)}</b><span>{_e(label)}</span></div>'


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], names: int = 1) -> str:
    """A table whose first `names` columns are names (left-aligned), the rest figures."""
    def cell(tag: str, n: int, value: object) -> str:
        kind = ' class="name"' if n < names else ""
        return f"<{tag}{kind}>{_e('–' if value is None else value)}</{tag}>"

    head = "".join(cell("th", n, h) for n, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", n, c) for n, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(svg: str) -> str:
    return f'<div class="chart">{svg}</div>'


def _sorted(counts: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _corpus(data: ReportData) -> str:
    s = data.stats
    parts = ['<div class="numbers">', _number(s["documents"], "documents"), _number(f"{s['characters']:,}", "characters"),
             _number(s["annotation_sets"], "annotation sets"), _number(s["gold_sets"], "gold sets"),
             _number(f"{100 * s['gold_coverage']:.0f} %", "of documents with gold"), "</div>", '<div class="charts">']
    parts.append(_chart(charts.bars("Documents per source", _sorted(data.sources))))
    parts.append(_chart(charts.bars("Documents per month published", dict(sorted(data.months.items())))))
    for layer, labels in data.layers.items():
        counts = {label: s["gold_labels"][label] for label in labels if label in s["gold_labels"]}
        if counts:
            parts.append(_chart(charts.bars(f"Gold spans per label, {layer} layer", _sorted(counts),
                                            data.label_colours)))
    if s["quote_forms"]:
        parts.append(_chart(charts.bars("Gold quotes per form", _sorted(s["quote_forms"]))))
    parts.append("</div>")
    for key, title in (("quote_stance", "Stance of gold quotes, per claim"),
                       ("document_stance", "Stance of gold documents, per claim")):
        if s[key]:
            parts.append(_chart(charts.stacked_bars(title, s[key], STANCE_ORDER)))
    return "".join(parts)


def _team(data: ReportData) -> str:
    s = data.stats
    if not s["annotators"]:
        return '<p class="note">No annotator has a set in this corpus yet (studio pull brings them in).</p>'
    rows = [(name, sets, data.documents_per_annotator.get(name, 0), data.drafts_per_annotator.get(name, 0))
            for name, sets in sorted(s["annotators"].items())]
    overlap = {f"{k} annotator{'s' if k != 1 else ''}": v for k, v in sorted(data.sets_per_document.items())}
    return "".join([
        '<div class="numbers">', _number(len(s["annotators"]), "annotators (pseudonyms)"),
        _number(sum(v for k, v in data.sets_per_document.items() if k >= 2), "documents with 2 or more"),
        _number(sum(data.drafts_per_annotator.values()), "drafts"),
        _number(len(data.conflicts), "open conflicts (studio status)"), "</div>",
        "".join(f'<p class="note">conflict: {_e(c)}</p>' for c in data.conflicts[:20]),
        _table(("annotator", "sets", "documents", "drafts"), rows),
        '<div class="charts">', _chart(charts.bars("Documents per annotator", _sorted(data.documents_per_annotator))),
        _chart(charts.bars("Documents by how many annotators have them", overlap)), "</div>"])


def _matrix(names: Sequence[str], pairs: Sequence[Mapping[str, Any]], pick: Any) -> list[list[float | None]]:
    where = {name: n for n, name in enumerate(names)}
    grid: list[list[float | None]] = [[1.0 if i == j else None for j in range(len(names))] for i in range(len(names))]
    for pair in pairs:
        value = pick(pair)
        i, j = where[pair["first"]], where[pair["second"]]
        grid[i][j] = grid[j][i] = value
    return grid


def _agreement(data: ReportData) -> str:
    a = data.agreement
    if not a["pairs"]:
        return ('<p class="note">Agreement needs documents annotated by two or more annotators '
                "(studio push --overlap 2).</p>" + DEFINITIONS)
    names = a["annotators"]
    parts = ['<div class="numbers">', _number(a["documents"], "documents two or more annotated"),
             _number(len(a["pairs"]), "annotator pairs"), "</div>", DEFINITIONS, '<div class="charts">']
    for mode in ("exact", "overlap"):
        grid = _matrix(names, a["pairs"], lambda p, m=mode: p["spans"][m].get("ALL", {}).get("f1"))
        parts.append(_chart(charts.heatmap(f"Span F1, {mode}, all labels", names, grid)))
    parts.append("</div>")
    labels = sorted({label for pair in a["pairs"] for label in pair["spans"]["exact"]})
    header = ["first", "second", "documents", *(f"{label} exact / overlap" for label in labels)]
    rows = [[p["first"], p["second"], p["documents"], *(
        f"{_f(p['spans']['exact'].get(label, {}).get('f1'))} / {_f(p['spans']['overlap'].get(label, {}).get('f1'))}"
        for label in labels)] for p in a["pairs"]]
    parts.append("<h3>Span F1 per label and pair</h3>" + _table(header, rows, names=2))
    rows = [[p["first"], p["second"], _f(p["form"]["kappa"]), _f(p["stance"]["kappa"]),
             _f(p["document_stance"]["kappa"]), _f(p["attribution"]["agreement"])] for p in a["pairs"]]
    parts.append("<h3>Attributes and attribution per pair</h3>" + _table(
        ("first", "second", "form kappa", "stance kappa", "document stance kappa", "attribution"), rows, names=2))
    parts.append("<h3>Krippendorff's alpha, all annotators</h3>" + _table(
        ("attribute", "alpha"), [(k, _f(v)) for k, v in sorted(a["alpha"].items())]))
    return "".join(parts)


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _marked(text: str, spans: Sequence[Span], colours: Mapping[str, str]) -> str:
    """`text` with each span drawn: an entity's background, a quote underlined, a speaker outlined."""
    cuts = sorted({0, len(text), *(o for s in spans for piece in s.pieces for o in piece)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if any(a <= start and end <= b for a, b in s.pieces)]
        piece = _e(text[start:end])
        if not covering:
            out.append(piece)
            continue
        classes, style = ["span"], []
        for span in covering:
            colour = colours.get(span.label, "#c8ccd4")
            if span.label == "QUOTE":
                classes.append("quote")
                style.append(f"--quote: {colour}")
            elif span.label == "SPEAKER":
                classes.append("speaker")
                style.append(f"--speaker: {colour}")
            else:
                style.append(f"background: {colour}40")
        title = ", ".join(sorted({s.label for s in covering}))
        out.append(f'<span class="{_e(" ".join(classes))}" style="{_e("; ".join(style))}" title="{_e(title)}">'
                   f'{piece}</span>')
    return "".join(out)


def _dispute(dispute: Dispute, colours: Mapping[str, str], items: Sequence[Mapping[str, Any]]) -> str:
    versions = "".join(
        f'<div class="version"><h4>{_e(name)} <span class="note">{len(spans)} spans</span></h4>'
        f"<p>{_marked(dispute.text, spans, colours)}</p></div>" for name, spans in dispute.spans.items())
    title = f" {_e(dispute.title)}" if dispute.title else ""
    decided = (f"gold: {GOLD_MADE.get(dispute.gold, dispute.gold)}" if dispute.gold is not None
               else "no gold yet: `newsgold adjudicate` decides what the annotators agree on")
    return (f"<h3>{_e(dispute.doc_id)}{title} <span class=\"note\">disagreement {dispute.disagreement:.3f}</span>"
            f'</h3><p class="note decided">{_e(decided)}</p><div class="versions">{versions}</div>'
            + _review_items(dispute, items))


GOLD_MADE = {"majority": "decided by adjudicate (majority of the annotators)",
             "prefer": "decided by adjudicate (the preferred annotator's version)",
             "ground-truth": "decided by adjudicate (the set marked ground truth)",
             "manual": "made or corrected by hand", "review": "decided by an adjudicator in review"}
"""How a document's gold was made, in words, by `provenance.method` (others are shown as they are)."""


def _span_at(text: str, where: Any) -> tuple[tuple[int, int], str] | None:
    """The bounds and text of a [start, end, label] of a review item, if it fits the document."""
    if isinstance(where, list) and len(where) >= 2 and all(isinstance(n, int) for n in where[:2]):
        start, end = where[0], where[1]
        if 0 <= start <= end <= len(text):
            return (start, end), text[start:end]
    return None


def _item_view(kind: str, where: Mapping[str, Any], text: str) -> tuple[tuple[int, int] | None, str]:
    """Where an undecided item of review.jsonl stands in the text (None: nowhere in particular) and
    what it is, in words, for each kind adjudicate writes."""
    if kind == "span":
        start, end = where.get("start"), where.get("end")
        bounds = (start, end) if isinstance(start, int) and isinstance(end, int) else None
        return bounds, f"{where.get('label', '')} “{where.get('text', '')}”"
    if kind == "relation":
        first, second = _span_at(text, where.get("from")), _span_at(text, where.get("to"))
        return (first[0] if first else None,
                f"{where.get('type', '')}: “{first[1] if first else '?'}” → “{second[1] if second else '?'}”")
    if kind in ("attribute", "span-stance"):
        span = where.get("span")
        found = _span_at(text, span)
        what = f"{where.get('name')} of" if kind == "attribute" else f"stance toward {where.get('target')} of"
        label = span[2] if isinstance(span, list) and len(span) > 2 else "span"
        return (found[0] if found else None), f"{what} the {label} “{found[1] if found else '?'}”"
    if kind == "document-stance":
        return None, f"the document's stance toward {where.get('target')}"
    return None, "the whole document"


def _review_items(dispute: Dispute, items: Sequence[Mapping[str, Any]]) -> str:
    """The document's undecided items of review.jsonl, each in its sentence's context."""
    if not items:
        return ""
    rows = []
    for item in items:
        bounds, what = _item_view(str(item.get("kind", "")), item.get("item") or {}, dispute.text)
        if bounds is not None and 0 <= bounds[0] <= bounds[1] <= len(dispute.text):
            start, end = bounds
            context = (f"{_e(what)}<br>…{_e(dispute.text[max(0, start - 50):start])}<b>{_e(dispute.text[start:end])}</b>"
                       f"{_e(dispute.text[end:end + 50])}…")
        else:
            context = _e(what)
        votes = "; ".join(f"{_e(value)}: {_e(', '.join(names))}" for value, names in (item.get("votes") or {}).items())
        rows.append(f"<tr><td class=\"text\">{_e(item.get('kind', ''))}</td><td class=\"text\">{context}</td>"
                    f"<td class=\"text\">{votes}</td><td class=\"text\">{_e(item.get('code') or '')}</td></tr>")
    return ('<h4>Undecided in review.jsonl</h4><table><thead><tr><th class="text">item</th><th class="text">'
            'in context</th><th class="text">votes</th><th class="text">why</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def _disputes(data: ReportData) -> str:
    if not data.disputes:
        return '<p class="note">No document has two annotators\' sets yet.</p>'
    legend = "".join(f'<span style="{_e(f"background: {c}40")}">{_e(label)}</span>'
                     for label, c in data.label_colours.items()
                     if label not in ("QUOTE", "SPEAKER"))
    return (f'<p class="note">The most disputed documents, each annotator\'s version side by side (colours as on '
            f'the labeling page; a QUOTE is underlined, a SPEAKER outlined).</p><p class="legend">{legend}</p>'
            + _review_summary(data)
            + "".join(_dispute(d, data.label_colours, data.review.get(d.doc_id, [])) for d in data.disputes))


def _review_summary(data: ReportData) -> str:
    if not data.review_found:
        return '<p class="note">No review.jsonl: `newsgold adjudicate` lists what it leaves undecided there.</p>'
    if not data.review_items and not data.review_unreadable:
        return '<p class="note">review.jsonl (the last adjudicate) leaves nothing undecided.</p>'
    unreadable = (f" {len(data.review_unreadable)} lines could not be read: {', '.join(data.review_unreadable[:10])}."
                  if data.review_unreadable else "")
    return (f'<p class="note">review.jsonl (the last adjudicate) leaves {data.review_items} items undecided in '
            f"{data.review_documents} documents; those of the documents below are listed under each.{_e(unreadable)}</p>")


def _suggestions(data: ReportData) -> str:
    if not data.suggestions:
        return '<p class="note">No suggestion sets (newsgold suggest makes them).</p>'
    parts = []
    for name, figures in data.suggestions.items():
        effort = figures["effort"]
        parts.append(f"<h3>Sets “{_e(name)}”, against gold</h3>")
        parts.append('<div class="numbers">' + _number(figures["documents"], "documents with gold")
                     + _number(_f(effort["ratio"]), "effort ratio (lower saves more)")
                     + _number(_f(figures["attribution_accuracy"]), "attribution accuracy") + "</div>")
        rows = [(label, c["gold"], c["suggested"], _f(c["exact"]["precision"]), _f(c["exact"]["recall"]),
                 _f(c["exact"]["f1"]), _f(c["overlap"]["f1"])) for label, c in sorted(figures["labels"].items())]
        parts.append(_table(("label", "gold", "suggested", "exact P", "exact R", "exact F1", "overlap F1"), rows))
        f1 = {label: c["exact"]["f1"] or 0.0 for label, c in sorted(figures["labels"].items()) if c["gold"]}
        parts.append(_chart(charts.bars("Exact F1 per label", f1, data.label_colours, share=True)))
    return "".join(parts)


def render(data: ReportData, version: str) -> str:
    """The whole page."""
    bodies = {"corpus": _corpus(data), "team": _team(data), "agreement": _agreement(data),
              "disputes": _disputes(data), "suggestions": _suggestions(data)}
    nav = "".join(f'<a href="#{key}">{_e(title)}</a>' for key, title in SECTIONS)
    sections = "".join(f'<section id="{key}"><h2>{_e(title)}</h2>{bodies[key]}</section>' for key, title in SECTIONS)
    figures = json.dumps({"stats": data.stats, "agreement": data.agreement}, sort_keys=True).replace("</", "<\\/")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="generator" content="newsgold {_e(version)}">'
            f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{_e(data.name)}: newsgold report</title><style>{CSS}</style></head><body>'
            f'<header><h1>{_e(data.name)}</h1><p class="note">made by newsgold {_e(version)}</p>'
            f"<nav>{nav}</nav></header>{sections}"
            f'<script type="application/json" id="newsgold-figures">{figures}</script></body></html>\n')
