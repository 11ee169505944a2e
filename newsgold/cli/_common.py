"""What the commands share: the error boundary, the corpus option, the console."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsgold._progress import reporting
from newsgold.errors import NewsgoldError

if TYPE_CHECKING:  # imported where they are used, so that `--version` and `--help` start fast
    from rich.console import Console

    from newsgold.corpus.outcomes import SetOutcome
    from newsgold.corpus.store import Corpus

MANIFEST_NAME = "newsgold.json"

UNEXPECTED = "Error: newsgold stopped on an unexpected error"

F = TypeVar("F", bound=Callable[..., Any])


def _reporter() -> Any:
    """Progress bars when stderr is a terminal (rich is loaded only then), else None."""
    if not sys.stderr.isatty():
        return None
    from newsgold.cli.progress import terminal_reporter

    return terminal_reporter()


def default_corpus_dir() -> Path:
    """The corpus a command uses when none is named: `.` if it is one, else `./corpus`."""
    return Path(".") if (Path(".") / MANIFEST_NAME).is_file() else Path("corpus")


def corpus_option(function: F) -> F:
    """Add `--corpus DIR` (default: `.` if it is a corpus, else `./corpus`)."""
    return click.option(
        "--corpus", "corpus_dir", type=click.Path(path_type=Path, file_okay=False),
        default=None, help="The corpus folder [default: . if it holds newsgold.json, else ./corpus].",
    )(function)


def corpus_argument(function: F) -> F:
    """Add `--corpus DIR` and, for scripts written before it, an optional positional DIR too
    (`newsgold validate DIR` keeps working); both name the same thing, so they may not differ.
    The command receives one `corpus_dir` (None: the default corpus)."""

    def merged(*args: Any, directory: Path | None = None, corpus_dir: Path | None = None, **kwargs: Any) -> Any:
        if directory is not None and corpus_dir is not None and directory.resolve() != corpus_dir.resolve():
            raise click.UsageError(f"DIR {directory} and --corpus {corpus_dir} name two corpora; give one")
        return function(*args, corpus_dir=corpus_dir or directory, **kwargs)

    functools.update_wrapper(merged, function)  # keeps the options already attached (__click_params__)
    with_option = corpus_option(merged)
    return click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False),
                          metavar="[DIR]")(with_option)  # type: ignore[return-value]


def open_corpus(corpus_dir: Path | None) -> Corpus:
    """Open the named corpus or the default one."""
    from newsgold.corpus.store import Corpus

    return Corpus.open(corpus_dir or default_corpus_dir())


def figure(value: object) -> str:
    """A figure for a table: three decimals, an em dash where it is undefined (None)."""
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def stdout_console() -> Console:
    """A console on stdout (no colour when piped)."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


class NewsgoldGroup(click.Group):
    """A click group that turns NewsgoldError into one line on stderr and its exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with reporting(_reporter()):
                return super().invoke(ctx)
        except NewsgoldError as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(f"Error: {as_flags(str(exc))}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted: nothing was written that was not complete.", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except OSError as exc:
            if ctx.find_root().params.get("debug"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}; check the path and its permissions "
                       "(nothing was changed)", err=True)
            sys.exit(2)
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(f"{UNEXPECTED} ({type(exc).__name__}: {exc}); this is a bug: run the "
                       "command again with --debug and report the traceback", err=True)
            sys.exit(1)


FLAGS: dict[str, str] = {
    "project_id": "--project", "title": "--title", "take_studio": "--take-studio", "prefer": "--prefer",
    "min_agree": "--min-agree", "force": "--force", "replace": "--replace", "review_path": "--review",
    "rejected_path": "--rejected", "skip_invalid": "--skip-invalid", "accept_loss": "--accept-loss",
    "mapping": "--mapping", "texts": "--texts", "predictions_as": "--predictions-as", "annotator": "--annotator",
    "name": "--name", "strategy": "--strategy", "out": "--out", "split": "--split", "rev": "--rev",
    "skip_stale": "--skip-stale", "url": "--url", "api_key": "--api-key",
}
"""Library messages name parameters (`project_id=ID`, `force=True`); the CLI shows its flags for them."""

_PARAMETER = re.compile(r"(?<![\w.\-/])(" + "|".join(FLAGS) + r")=(True\b)?(?=(.?))")


def _flag(match: re.Match[str]) -> str:
    flag = FLAGS[match.group(1)]
    if match.group(2):  # name=True: the flag alone
        return flag
    follows = match.group(3)
    return flag if follows in ("", " ", ")", ",", ";", ":") else flag + " "


def as_flags(message: str) -> str:
    """A library message with every parameter it names (`project_id=ID`) shown as its flag (`--project ID`)."""
    return _PARAMETER.sub(_flag, message)


REMEDIES: dict[str, str] = {
    "edited-locally": "take Label Studio's version with --take-studio {doc_id}",
    "held-by-another-set": "take Label Studio's version with --take-studio {doc_id}",
    "deleted-but-edited": "remove it with --take-studio {doc_id}",
    "hand-made": "replace it with --force",
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


jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None,
    help="Processes to work with [default: one per available CPU]; the result is the same for "
    "any number.")
