"""The report's charts: matplotlib figures rendered to inline SVG.

matplotlib is the plotting library of the scientific Python stack, kept for decades, and renders SVG
without a browser, a server or a network: the report opens offline and prints sharp. Text stays text
(`svg.fonttype: none`, the reader's sans-serif), ids are seeded (`svg.hashsalt`) so the same corpus
gives the same file, and the SVG carries no date. Imported only when a report is written.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["bars", "heatmap", "stacked_bars"]

NEUTRAL = "#8a94a6"
STANCE_COLOURS = {"favor": "#2a9d8f", "against": "#e76f51", "neutral": "#b0b7c3"}
_STYLE: Any = {"svg.fonttype": "none", "svg.hashsalt": "newsgold", "font.family": "sans-serif", "font.size": 9,
          "axes.spines.top": False, "axes.spines.right": False, "axes.titlesize": 10, "axes.titleweight": "bold",
          "text.parse_math": False}
"""The charts' look; `text.parse_math` off: names are text ("The $10 Store & $5 Daily"), never TeX."""


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # no XML prolog or doctype inside the HTML


def _figure(height: float, width: float = 4.2, integer: bool = True) -> tuple[Any, Any]:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(width, height))
    axes = figure.subplots()
    if integer:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers
    return figure, axes


def bars(title: str, counts: Mapping[str, float], colours: Mapping[str, str] | None = None,
         xlabel: str = "", share: bool = False) -> str:
    """Horizontal bars, one per key in the order given, each with its value at its end; `share`:
    the values are 0-1 figures (written with two decimals, on an axis from 0 to 1), else counts."""
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        names = list(counts)
        figure, axes = _figure(0.6 + 0.28 * max(len(names), 1), integer=not share)
        values = [counts[name] for name in names]
        from matplotlib.colors import is_color_like

        shown = [colour if is_color_like(colour := (colours or {}).get(name, NEUTRAL)) else NEUTRAL for name in names]
        axes.barh(range(len(names)), values, color=shown)
        axes.set_yticks(range(len(names)), names)
        axes.invert_yaxis()
        for y, value in enumerate(values):
            axes.text(value, y, f" {value:.2f}" if share else f" {value:g}", va="center")
        if share:
            axes.set_xlim(0, 1.15)
        axes.set_title(title, loc="left")
        axes.set_xlabel(xlabel)
        axes.margins(x=0.15)
        return _svg(figure)


def stacked_bars(title: str, rows: Mapping[str, Mapping[str, int]], order: Sequence[str]) -> str:
    """One horizontal bar per row, split into the values of `order` (stance: favor, against, neutral)."""
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        names = list(rows)
        figure, axes = _figure(1.2 + 0.32 * max(len(names), 1), width=6.2)
        left = [0] * len(names)
        for value in order:
            widths = [rows[name].get(value, 0) for name in names]
            axes.barh(range(len(names)), widths, left=left, color=STANCE_COLOURS.get(value, NEUTRAL), label=value)
            for y, (start, width) in enumerate(zip(left, widths, strict=True)):
                if width:
                    axes.text(start + width / 2, y, str(width), ha="center", va="center", color="white")
            left = [a + b for a, b in zip(left, widths, strict=True)]
        axes.set_yticks(range(len(names)), [_wrap(name) for name in names])
        axes.invert_yaxis()
        axes.set_title(title, loc="left")
        axes.legend(loc="upper left", frameon=False, ncols=len(order), bbox_to_anchor=(0, -0.12))
        return _svg(figure)


def heatmap(title: str, names: Sequence[str], values: Sequence[Sequence[float | None]]) -> str:
    """A square matrix of pair figures (0-1), each cell written; None cells left blank."""
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        size = max(len(names), 1)
        figure, axes = _figure(1.2 + 0.45 * size, width=1.8 + 0.55 * size)
        axes.xaxis.set_major_locator(matplotlib.ticker.FixedLocator(range(size)))
        grid = [[float("nan") if v is None else v for v in row] for row in values]
        axes.imshow(grid, vmin=0, vmax=1, cmap="viridis")
        for y, row in enumerate(values):
            for x, value in enumerate(row):
                if value is not None:
                    axes.text(x, y, f"{value:.2f}", ha="center", va="center",
                              color="black" if value > 0.6 else "white")
        axes.set_xticks(range(len(names)), names, rotation=45, ha="right")
        axes.set_yticks(range(len(names)), names)
        axes.set_title(title, loc="left")
        axes.spines[:].set_visible(False)
        return _svg(figure)


def _wrap(text: str, width: int = 40) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
