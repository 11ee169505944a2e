"""`newsgold validate [--corpus DIR]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_argument, default_corpus_dir, jobs_option, output_format_option, removed_option


@click.command("validate", context_settings=HELP_OPTIONS)
@corpus_argument
@output_format_option("json", "github")
@removed_option("--format", "--output-format", takes_value=True)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on span boundary warnings (NG6xx) too.")
@jobs_option
def validate_cli(corpus_dir: Path | None, output_format: str, strict: bool, jobs: int | None) -> None:
    """Check every record of a corpus and report every problem with file, line and rule code.

    Span boundary conventions of the guidelines (NG6xx) are warnings: reported, and failing only
    with --strict. Exit status: 0 valid, 1 invalid, 2 usage error or unreadable input.
    """
    from newsgold.corpus.validate import render_problems, validate

    report = validate(corpus_dir or default_corpus_dir(), jobs=jobs)
    rendered = render_problems(report, output_format)  # type: ignore[arg-type]
    if output_format == "text":
        for line in rendered.splitlines()[:-1]:
            click.echo(line)
        click.echo(rendered.splitlines()[-1], err=not report.ok)
    elif rendered:
        click.echo(rendered)
    sys.exit(0 if report.ok and not (strict and report.warnings) else 1)
