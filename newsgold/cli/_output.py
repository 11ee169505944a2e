"""How the commands print: one JSON document, a console without markup, figures, outcome lines with
what to do next, and the sets a command left out."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from newsgold.cli._flags import as_flags

if TYPE_CHECKING:
    from rich.console import Console

    from newsgold.corpus.outcomes import SetOutcome


def print_json(report: object, *, failed: bool = False) -> None:
    """Print `report` (a Report, a record, a model, or plain data) as one JSON document on stdout,
    every field as plain values; exit 1 when `failed` (what the text output would exit with)."""
    import orjson

    from newsgold.corpus.outcomes import plain

    data = plain(report)
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode())
    if failed:
        sys.exit(1)


def figure(value: object) -> str:
    """A figure for a table: three decimals, an em dash where it is undefined (None)."""
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def stdout_console() -> Console:
    """A console on stdout (no colour when piped). Without markup: what it prints holds names,
    titles and paths from the corpus and the server, whose brackets (`[/]`) are text, not style."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, markup=False)


REMEDIES: dict[str, str] = {
    "edited-locally": "take Label Studio's version with --replace --doc {doc_id}",
    "held-by-another-set": "take Label Studio's version with --replace --doc {doc_id}",
    "deleted-but-edited": "remove it with --replace --doc {doc_id}",
    "hand-made": "replace it with --replace",
    "differs": "remove or rename the set in the corpus first, or import with --skip-invalid",
}
"""What to do next, as the CLI says it, for the outcome codes that leave something undone."""


def outcome_line(outcome: SetOutcome) -> str:
    """One line for an outcome: where, which set, why, and what to do next (with the CLI's flags)."""
    text = as_flags(outcome.as_text())
    remedy = REMEDIES.get(outcome.code)
    return f"{text} ({remedy.format(doc_id=outcome.doc_id)})" if remedy else text


def echo_left_out(sets: Sequence[object], why: str, shown: int = 10) -> None:
    """Say on stderr which sets (`doc_id/annotator`) a command left out, and why."""
    if sets:
        more = " ..." if len(sets) > shown else ""
        click.echo(f"left out {len(sets)} set(s) {why}: {', '.join(map(str, sets[:shown]))}{more}", err=True)


def echo_stale_sets(stale_sets: Sequence[object]) -> None:
    """Say on stderr which sets a command left out because their text changed since (NG207)."""
    echo_left_out(stale_sets, "made on a text that has changed since (NG207)")


def echo_draft_sets(draft_sets: Sequence[object]) -> None:
    """Say on stderr which draft sets a command left out."""
    echo_left_out(draft_sets, "that are drafts (status draft)")


