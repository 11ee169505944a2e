"""What the commands share: the error boundary, the corpus option, the console."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from newsgold._progress import notifying, reporting
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
    """A positional argument that is not shown in the usage line (a removed spelling, refused)."""

    def get_usage_pieces(self, ctx: click.Context) -> list[str]:
        return []


def _command_name() -> str:
    """`newsgold COMMAND [SUBCOMMAND]`, however the command was invoked."""
    context: click.Context | None = click.get_current_context()
    names: list[str] = []
    while context is not None and context.parent is not None:  # the root is `newsgold`, however invoked
        names.insert(0, context.info_name or "")
        context = context.parent
    return " ".join(["newsgold", *names])


def corpus_argument(function: F) -> F:
    """Add `--corpus DIR`, and refuse the positional DIR of 0.1 (`newsgold validate DIR`) with a
    usage error that gives the spelling to use: one spelling per concept (docs/versioning.md)."""

    def merged(*args: Any, directory: Path | None = None, **kwargs: Any) -> Any:
        if directory is not None:
            raise click.UsageError(f"the corpus is named with --corpus: `{_command_name()} --corpus {directory}` "
                                   "(the positional DIR was removed in 0.2)")
        return function(*args, **kwargs)

    functools.update_wrapper(merged, function)  # keeps the options already attached (__click_params__)
    with_option = corpus_option(merged)
    return click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False),
                          cls=_UnlistedArgument)(with_option)  # type: ignore[return-value]


def removed_option(old_flag: str, new: str, *, takes_value: bool = False) -> Callable[[F], F]:
    """Refuse `old_flag`, a spelling removed in 0.2, with a usage error naming `new`, the one to
    use. Hidden from the help; it never does anything, so a concept keeps one working spelling."""
    hidden = "removed_" + old_flag.lstrip("-").replace("-", "_")

    def decorate(function: F) -> F:
        def merged(*args: Any, **kwargs: Any) -> Any:
            given = kwargs.pop(hidden)
            if given not in (None, False, ()):
                shown = f"{old_flag} {given[0] if isinstance(given, tuple) else given}" if takes_value else old_flag
                raise click.UsageError(f"{shown} is spelled {new} since 0.2 (docs/versioning.md lists the "
                                       "spellings that changed)")
            return function(*args, **kwargs)

        functools.update_wrapper(merged, function)
        if takes_value:
            option = click.option(old_flag, hidden, multiple=True, hidden=True)
        else:
            option = click.option(old_flag, hidden, is_flag=True, default=False, hidden=True)
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


def print_json(report: object, *, failed: bool = False) -> None:
    """Print `report` (a Report, a record, a model, or plain data) as one JSON document on stdout,
    every field as plain values; exit 1 when `failed` (what the text output would exit with)."""
    import orjson

    from newsgold.corpus.outcomes import plain

    data = plain(report)
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode())
    if failed:
        sys.exit(1)


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
            with reporting(_reporter()), notifying(_say):
                return super().invoke(ctx)
        except NewsgoldError as exc:
            if ctx.find_root().params.get("debug"):
                raise
            line = _missing_extra_line(ctx, exc) if isinstance(exc, MissingExtraError) else as_flags(str(exc), ctx)
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


def _say(message: str) -> None:
    """Where the library's notices go: a line on stderr."""
    click.echo(message, err=True)


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

def option_flags(command: click.Command) -> dict[str, str]:
    """The flag of each visible option of `command`, by the name of its parameter (`project_id`:
    `--project`): the CLI's own declarations, so that no table of flags is kept by hand."""
    return {param.name: max(param.opts, key=len) for param in command.params
            if isinstance(param, click.Option) and not param.hidden and param.name}


def _commands_below(command: click.Command, context: click.Context) -> list[click.Command]:
    if not isinstance(command, click.Group):
        return [command]
    found: list[click.Command] = []
    for name in command.list_commands(context):
        sub = command.get_command(context, name)
        if sub is not None:
            found += _commands_below(sub, click.Context(sub, parent=context, info_name=name))
    return found


def _flags_in(ctx: click.Context | None) -> dict[str, str]:
    """Parameter name -> flag, for a message of the command `ctx` runs: its own options first, then
    those of every other command (a message may name what another command takes)."""
    if ctx is None:
        return {}
    root = ctx.find_root()
    flags: dict[str, str] = {}
    for command in _commands_below(root.command, root):
        for name, flag in option_flags(command).items():
            flags.setdefault(name, flag)
    current: click.Context | None = ctx
    while current is not None:
        if not isinstance(current.command, click.Group):
            flags.update(option_flags(current.command))
        current = current.parent
    return flags


_PARAMETER = re.compile(r"(?<![\w.\-/])([a-z][a-z_]*)=(True\b)?(?=(.?))")


def as_flags(message: str, ctx: click.Context | None = None) -> str:
    """A library message with every parameter it names (`project_id=ID`, `replace=True`) shown as the
    flag that sets it (`--project ID`, `--replace`), found in the options the commands declare."""
    if "=" not in message:
        return message
    flags = _flags_in(ctx or click.get_current_context(silent=True))

    def flag(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in flags:
            return match.group(0)
        if match.group(2):  # name=True: the flag alone
            return flags[name]
        return flags[name] if match.group(3) in ("", " ", ")", ",", ";", ":") else flags[name] + " "

    return _PARAMETER.sub(flag, message)


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


jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None,
    help="Processes to work with [default: one per available CPU]; the result is the same for "
    "any number.")
