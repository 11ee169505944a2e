"""`newsgold diff`: what changed in gold (or annotation sets) between two corpus states."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsgold.cli._common import HELP_OPTIONS, default_corpus_dir, open_corpus, output_format_option, removed_option
from newsgold.errors import UsageError

if TYPE_CHECKING:
    from newsgold.corpus.diff import SetDiff


@click.command("diff", context_settings=HELP_OPTIONS)
@click.argument("old", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.argument("new", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--rev", "rev", default=None, metavar="A..B",
              help="Compare the corpus at two git revisions instead of two folders.")
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="With --rev: the corpus folder in the git work tree [default: . or ./corpus].")
@click.option("--annotations", is_flag=True, help="Compare the annotation sets instead of gold.")
@click.option("--report-link", "report_link", metavar="URL", default=None,
              help="With --output-format markdown: link the corpus report (`newsgold report`) there, such as "
                   "the CI run's artifact.")
@output_format_option("json", "github", "markdown")
@removed_option("--format", "--output-format", takes_value=True)
def diff_cli(old: Path | None, new: Path | None, rev: str | None, corpus_dir: Path | None,
             annotations: bool, report_link: str | None, output_format: str) -> None:
    """Per document: spans, relations, attributes and stance added, removed and changed.

    `newsgold diff OLD NEW` compares two corpus folders; `newsgold diff --rev main..HEAD` the corpus
    at two git revisions. Exit 0 whatever changed (read the output).
    """
    from newsgold.corpus.revisions import corpus_at, parse_range
    from newsgold.corpus.diff import diff_corpora

    source = "annotations" if annotations else "gold"
    if report_link is not None and output_format != "markdown":
        raise UsageError("--report-link goes into the markdown output: add --output-format markdown")
    with ExitStack() as stack:
        if rev is not None:
            if old is not None:
                raise UsageError("give two folders or --rev A..B, not both")
            root = corpus_dir or default_corpus_dir()
            first, second = parse_range(rev)
            before = stack.enter_context(corpus_at(root, first))
            after = stack.enter_context(corpus_at(root, second))
            shown_root = root
        else:
            if old is None or new is None:
                raise UsageError("give two corpus folders (newsgold diff OLD NEW) or --rev A..B")
            before, after = open_corpus(old), open_corpus(new)
            shown_root = new
        diffs = list(diff_corpora(before, after, source))  # type: ignore[arg-type]
        _print(diffs, output_format, Path(after.root), shown_root, report_link)


def _shown(path: str, root: Path, shown_root: Path) -> str:
    try:
        return str(shown_root / Path(path).relative_to(root))
    except ValueError:
        return path


def _print(diffs: list[SetDiff], output: str, root: Path, shown_root: Path, report_link: str | None = None) -> None:
    import orjson

    if output == "json":
        click.echo(orjson.dumps([d.as_dict() | {"file": _shown(d.file, root, shown_root)} for d in diffs],
                                option=orjson.OPT_INDENT_2).decode())
        return
    if output == "github":
        for d in diffs:
            place = f"file={_shown(d.file, root, shown_root)}" + (f",line={d.line}" if d.line else "")
            message = "%0A".join(c.text.replace("%", "%25") for c in d.changes)
            click.echo(f"::notice {place},title={d.record}: {len(d.changes)} changes::{message}")
        return
    if output == "markdown":
        changes = sum(len(d.changes) for d in diffs)
        click.echo(f"### newsgold diff: {changes} changes in {len(diffs)} sets\n")
        if report_link:
            click.echo(f"The corpus at this revision: [newsgold report]({report_link})\n")
        for d in diffs:
            click.echo(f"- **{d.record}**")
            for change in d.changes:
                click.echo(f"  - {change.text}")
        return
    for d in diffs:
        click.echo(d.summary())
    click.echo(f"{len(diffs)} sets changed" if diffs else "no changes")
