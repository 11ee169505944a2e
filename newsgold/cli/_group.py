"""The CLI's error boundary: the group that turns every newsgold error into one line and an exit
status, names a missing extra, and installs the progress bars and the library's notices."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from newsgold._progress import notifying, reporting
from newsgold.cli._flags import as_flags
from newsgold.errors import MissingExtraError, NewsgoldError

UNEXPECTED = "Error: newsgold stopped on an unexpected error"


def _reporter() -> Any:
    """Progress bars when stderr is a terminal (rich is loaded only then), else None."""
    if not sys.stderr.isatty():
        return None
    from newsgold.cli.progress import terminal_reporter

    return terminal_reporter()


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


