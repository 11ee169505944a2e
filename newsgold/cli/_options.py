"""The options the commands share, spelled once: the corpus, the set, the output format, the
processes, the help; and the refusal of the spellings removed in 0.2."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from newsgold.corpus.store import Corpus

MANIFEST_NAME = "newsgold.json"

F = TypeVar("F", bound=Callable[..., Any])


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


def set_option(help: str, default: str | None = None) -> Callable[[F], F]:
    """Add `--set NAME`: the name (annotator id) of the annotation sets a command reads or writes."""
    return click.option("--set", "set_name", default=default, show_default=default is not None,
                        metavar="NAME", help=help)


def open_corpus(corpus_dir: Path | None) -> Corpus:
    """Open the named corpus or the default one."""
    from newsgold.corpus.store import Corpus

    return Corpus.open(corpus_dir or default_corpus_dir())


HELP_OPTIONS: dict[str, list[str]] = {"help_option_names": ["-h", "--help"]}
"""The context settings of every command: `-h` and `--help`. Set on each command, not only on the
root group: click builds a command's help option once, from the first context it is used in, so a
command first called on its own (from Python, or by a test) would otherwise keep `--help` only."""

jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None,
    help="Processes to work with [default: one per available CPU]; the result is the same for "
    "any number.")
