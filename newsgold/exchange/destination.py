"""Where an export may be written: the rules that keep `--out` from destroying anything.

An export replaces its folder as a whole, so the folder must be missing, empty, or one an export
wrote (its `manifest.json` says so, and lists every file in it); anything else needs `replace`. Never, even with `replace`: the
corpus, a folder that contains it or the working directory, a folder holding a `newsgold.json`,
or a folder inside the corpus that no export wrote. Staging folders are named with the writing
process's id, so the next export can remove those whose writer was killed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from pathlib import Path

import orjson

from newsgold._io import TEMP_MARK, new_folder_mode
from newsgold.corpus.outputs import refuse_link_or_special
from newsgold.errors import CannotWriteError, UsageError

__all__ = ["ExportDestinationError", "check_destination", "refuse_link", "make_staging", "remove_stale_staging",
           "is_export_folder", "EXPORT_MANIFEST"]

EXPORT_MANIFEST = "manifest.json"
_MANIFEST_KEYS = {"format", "format_version", "newsgold_version", "corpus_fingerprint", "files"}


class ExportDestinationError(UsageError):
    """`--out` names a folder an export must not replace."""


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def is_export_folder(folder: Path) -> bool:
    """True if `folder` holds the `manifest.json` of a newsgold export."""
    return _export_manifest(folder) is not None


def _export_manifest(folder: Path) -> dict[str, object] | None:
    try:
        manifest = orjson.loads((folder / EXPORT_MANIFEST).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return manifest if isinstance(manifest, dict) and _MANIFEST_KEYS <= manifest.keys() else None


def _not_exported(folder: Path) -> list[str]:
    """The files below an export folder that its manifest does not list (someone else put them there)."""
    manifest = _export_manifest(folder)
    files = manifest.get("files") if manifest is not None else None
    listed = set(files) if isinstance(files, dict) else set()
    listed.add(EXPORT_MANIFEST)
    found = []
    for parent, folders, names in os.walk(folder):
        folders.sort()
        for name in sorted(names):
            relative = os.path.relpath(os.path.join(parent, name), folder)
            if relative.replace(os.sep, "/") not in listed:
                found.append(relative)
    return found


def _listing(folder: Path) -> str:
    names = sorted(entry.name for entry in os.scandir(folder))
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def refuse_link(out: Path) -> None:
    """Raise OutputPathError if `out` is a link (dangling or not), a pipe or a device: the rule every
    output path follows (`newsgold.corpus.outputs`); an export would fill, or replace, whatever a
    link points at."""
    refuse_link_or_special(out, "out")


def check_destination(out: Path, corpus_root: Path, *, replace: bool = False) -> bool:
    """Raise ExportDestinationError unless an export may replace folder `out` (see the module).
    Returns True when `out` holds files no export wrote and `replace` lets them go: the caller keeps
    that folder beside it (`newsgold.corpus.outputs.replaced_beside`) instead of removing it."""
    given = out
    refuse_link(given)
    out, root, cwd = _real(out), _real(corpus_root), _real(Path.cwd())
    if _within(root, out):
        what = "is the corpus" if out == root else f"contains the corpus {corpus_root}"
        raise ExportDestinationError(f"out={given} {what}; an export replaces its folder as a "
                                     "whole, so write it to a new folder, e.g. out=exports")
    if _within(cwd, out):
        raise ExportDestinationError(f"out={given} contains the current folder; an export "
                                     "replaces its folder as a whole: choose a new folder")
    if not os.path.lexists(out):
        return False
    if not out.is_dir():
        raise ExportDestinationError(f"out={given} exists and is not a folder; choose a folder")
    try:
        empty = not any(os.scandir(out))
    except OSError as exc:
        raise UsageError(f"out={given}: cannot list the folder: {exc.strerror}") from None
    if empty:
        return False
    if is_export_folder(out):
        extra = _not_exported(out)
        if extra and not replace:
            shown = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
            raise ExportDestinationError(
                f"out={given} is an earlier export, but holds files that no export wrote ({shown}); an "
                "export replaces its folder as a whole: move them, or pass replace=True to replace it")
        return bool(extra)
    if (out / "newsgold.json").exists():
        raise ExportDestinationError(f"out={given} holds a newsgold corpus (newsgold.json); "
                                     "an export never replaces one: choose another folder")
    if _within(out, root):
        raise ExportDestinationError(f"out={given} is a folder of the corpus that no export "
                                     "wrote; an export never replaces one: choose another folder")
    if not replace:
        raise ExportDestinationError(
            f"out={given} holds files that no newsgold export wrote ({_listing(out)}); an "
            "export replaces its folder as a whole: choose an empty or new folder, or pass "
            "replace=True to replace it")
    return True


def _stage_name(out: Path, kind: str) -> str:
    return f".{out.name}{TEMP_MARK}{kind}-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def make_staging(out: Path) -> Path:
    """Create the staging folder of an export to `out` beside it (with the user's umask)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = out.parent / _stage_name(out, "export")
        os.mkdir(staging, new_folder_mode())
    except OSError as exc:
        raise CannotWriteError(out, exc) from None
    return staging


def retired_name(out: Path) -> Path:
    """Where the folder an export replaces is moved before it is removed."""
    return out.parent / _stage_name(out, "old")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove the staging and retired folders of exports to `out` whose process is gone."""
    removed = []
    prefix = f".{out.name}{TEMP_MARK}"
    with contextlib.suppress(OSError):
        for entry in os.scandir(out.parent):
            if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
                continue
            parts = entry.name[len(prefix):-len(".tmp")].split("-")
            if len(parts) != 3 or parts[0] not in ("export", "old") or not parts[1].isdigit():
                continue
            if _alive(int(parts[1])) or not entry.is_dir(follow_symlinks=False):
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed
