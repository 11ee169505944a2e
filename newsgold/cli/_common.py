"""What the commands share: the error boundary, the corpus option, the console."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from newsgold._progress import reporting
from newsgold.errors import MissingExtraError, NewsgoldError

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
        "--corpus", "corpus_dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
        default=None, help="The corpus folder [default: . if it holds newsgold.json, else ./corpus].",
    )(function)


class _UnlistedArgument(click.Argument):
    """A positional argument kept for old scripts: accepted, but not shown in the usage line."""

    def get_usage_pieces(self, ctx: click.Context) -> list[str]:
        return []


RENAMED_UNTIL = "0.3"
"""The release that drops the old spellings the CLI still accepts (with a warning)."""


def warn_renamed(old: str, new: str) -> None:
    """Say on stderr that an old spelling was used, and the one to use instead."""
    click.echo(f"warning: {old} is now {new}; the old spelling stops working in newsgold {RENAMED_UNTIL}",
               err=True)


def corpus_argument(function: F) -> F:
    """Add `--corpus DIR`, and accept the positional DIR of old scripts (`newsgold validate DIR`)
    with a warning; both name the same thing, so they may not differ. The command receives one
    `corpus_dir` (None: the default corpus)."""

    def merged(*args: Any, directory: Path | None = None, corpus_dir: Path | None = None, **kwargs: Any) -> Any:
        if directory is not None:
            if corpus_dir is not None and directory.resolve() != corpus_dir.resolve():
                raise click.UsageError(f"DIR {directory} and --corpus {corpus_dir} name two corpora; give one")
            context: click.Context | None = click.get_current_context()
            names: list[str] = []
            while context is not None and context.parent is not None:  # the root is `newsgold`, however invoked
                names.insert(0, context.info_name or "")
                context = context.parent
            name = " ".join(["newsgold", *names])
            warn_renamed(f"`{name} {directory}`", f"`{name} --corpus {directory}`")
        return function(*args, corpus_dir=corpus_dir or directory, **kwargs)

    functools.update_wrapper(merged, function)  # keeps the options already attached (__click_params__)
    with_option = corpus_option(merged)
    return click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False),
                          cls=_UnlistedArgument)(with_option)  # type: ignore[return-value]


def renamed_option(old_flag: str, new_flag: str, target: str, *, flag_value: str | None = None,
                   choices: Sequence[str] | None = None, multiple: bool = False) -> Callable[[F], F]:
    """Accept `old_flag`, hidden, as the old spelling of `new_flag` (the command's `target`
    parameter), with a warning. A flag (`--json`) stands for `flag_value`; else the old option
    takes the value itself (`multiple`: repeatable, its values added to the new option's). Giving
    both spellings with different values is a usage error."""
    hidden = "renamed_" + old_flag.lstrip("-").replace("-", "_")

    def decorate(function: F) -> F:
        def merged(*args: Any, **kwargs: Any) -> Any:
            given = kwargs.pop(hidden)
            if multiple:
                if given:
                    shown = " ".join(f"{old_flag} {value}" for value in given)
                    warn_renamed(shown, " ".join(f"{new_flag} {value}" for value in given))
                    kwargs[target] = tuple(kwargs[target]) + tuple(given)
                return function(*args, **kwargs)
            if given not in (None, False):
                value = flag_value if flag_value is not None else given
                context = click.get_current_context()
                source = context.get_parameter_source(target)
                if source is click.core.ParameterSource.COMMANDLINE and kwargs[target] != value:
                    raise click.UsageError(f"{old_flag} and {new_flag} disagree; give {new_flag} alone")
                shown = f"{new_flag} {value}"
                warn_renamed(old_flag if flag_value is not None else f"{old_flag} {value}", shown)
                kwargs[target] = value
            return function(*args, **kwargs)

        functools.update_wrapper(merged, function)
        if flag_value is not None:
            option = click.option(old_flag, hidden, is_flag=True, default=False, hidden=True)
        elif multiple:
            option = click.option(old_flag, hidden, multiple=True, hidden=True)
        else:
            option = click.option(old_flag, hidden, default=None, hidden=True,
                                  type=click.Choice(list(choices)) if choices else None)
        return option(merged)  # type: ignore[return-value]

    return decorate


OUTPUT_FORMATS = {
    "text": "text for people",
    "json": "one JSON document",
    "github": "GitHub workflow commands (annotations on the lines)",
    "markdown": "a Markdown report",
}
"""What `--output-format` can print; each command offers the ones that fit it."""


def output_format_option(*choices: str) -> Callable[[F], F]:
    """Add `--output-format` (how a command prints its results): text by default, or `choices`."""
    offered = ["text", *choices]
    return click.option(
        "--output-format", "output_format", type=click.Choice(offered), default="text", show_default=True,
        help="; ".join(f"{name}: {OUTPUT_FORMATS[name]}" for name in offered) + ".")


def set_option(help: str, default: str | None = None) -> Callable[[F], F]:
    """Add `--set NAME`: the name (annotator id) of the annotation sets a command reads or writes."""
    return click.option("--set", "set_name", default=default, show_default=default is not None,
                        metavar="NAME", help=help)


def open_corpus(corpus_dir: Path | None) -> Corpus:
    """Open the named corpus or the default one."""
    from newsgold.corpus.store import Corpus

    return Corpus.open(corpus_dir or default_corpus_dir())


def figure(value: object) -> str:
    """A figure for a table: three decimals, an em dash where it is undefined (None)."""
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def stdout_console() -> Console:
    """A console on stdout (no colour when piped). Without markup: what it prints holds names,
    titles and paths from the corpus and the server, whose brackets (`[/]`) are text, not style."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, markup=False)


EXTRA_OF_COMMAND: dict[str, str] = {"studio": "studio", "agreement": "agreement", "suggest": "suggest",
                                    "train": "suggest", "report": "report"}
"""The extra that a whole top-level command needs (the others need the core, or an extra for some
of their inputs and formats, which they name when asked for those)."""


def _missing_extra_line(ctx: click.Context, missing: MissingExtraError) -> str:
    """`newsgold COMMAND` needs newsgold's 'EXTRA' extra ...: pip install 'newsgold[EXTRA]'."""
    names = [_subcommand(ctx)]
    while ctx.parent is not None:  # the root is `newsgold`, however invoked
        names.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    return f"`{' '.join(filter(None, ['newsgold', *names]))}` {missing.needs}"


class NewsgoldGroup(click.Group):
    """A click group that turns NewsgoldError into one line on stderr and its exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with reporting(_reporter()):
                return super().invoke(ctx)
        except NewsgoldError as exc:
            if ctx.find_root().params.get("debug"):
                raise
            line = _missing_extra_line(ctx, exc) if isinstance(exc, MissingExtraError) else as_flags(str(exc))
            click.echo(f"Error: {line}", err=True)
            sys.exit(exc.exit_code)
        except ModuleNotFoundError as exc:  # a library of an extra that is not installed
            from newsgold.extras import missing_extra

            missing = missing_extra(exc)
            if ctx.find_root().params.get("debug"):
                raise
            if missing is None:  # a module of no extra: a broken install
                _unexpected(exc)
            extra = EXTRA_OF_COMMAND.get(_subcommand(ctx)) if ctx.parent is None else None
            if extra is not None:  # the extra the whole command needs, not only the library that failed first
                missing = MissingExtraError(extra, missing.module)
            click.echo(f"Error: {_missing_extra_line(ctx, missing)}", err=True)
            sys.exit(missing.exit_code)
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
            _unexpected(exc)

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        ctx.meta[f"{_LOADING}:{ctx.command_path}"] = args[0] if args else ""  # named in errors while loading it
        return super().resolve_command(ctx, args)


def _subcommand(ctx: click.Context) -> str:
    """The subcommand `ctx`'s group is running, or loading."""
    return ctx.invoked_subcommand or str(ctx.meta.get(f"{_LOADING}:{ctx.command_path}", ""))


_LOADING = "newsgold.loading"
"""Key of `ctx.meta` (shared by every context of a run) for the subcommand a group is loading."""


def _unexpected(exc: BaseException) -> NoReturn:
    click.echo(f"{UNEXPECTED} ({type(exc).__name__}: {exc}); this is a bug: run the "
               "command again with --debug and report the traceback", err=True)
    sys.exit(1)


HELP_OPTIONS: dict[str, list[str]] = {"help_option_names": ["-h", "--help"]}
"""The context settings of every command: `-h` and `--help`. Set on each command, not only on the
root group: click builds a command's help option once, from the first context it is used in, so a
command first called on its own (from Python, or by a test) would otherwise keep `--help` only."""

FLAGS: dict[str, str] = {
    "project_id": "--project", "title": "--title", "take_studio": "--take-studio", "prefer": "--prefer",
    "min_agree": "--min-agree", "force": "--force", "replace": "--replace", "review_path": "--review",
    "rejected_path": "--rejected", "skip_invalid": "--skip-invalid", "accept_loss": "--accept-loss",
    "mapping": "--mapping", "texts": "--texts", "set_name": "--set", "annotator": "--annotator",
    "annotator_from": "--annotator-from", "strategy": "--strategy", "out": "--out", "split": "--split", "rev": "--rev",
    "skip_stale": "--skip-stale", "url": "--url", "api_key": "--api-key", "label_studio": "--label-studio",
    "tagger_path": "--tagger", "database_url": "--database-url", "data_dir": "--data-dir", "port": "--port",
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
