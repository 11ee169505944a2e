"""Library messages name parameters (`project_id=ID`, `replace=True`); the CLI shows the flags that
set them, found in the options the commands declare (no table of flags is kept by hand)."""

from __future__ import annotations

import re

import click


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


