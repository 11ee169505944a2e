"""Where a command may write a file of its own (a review file, the rejected pieces of an import, a
report) or fill a folder (a trained model or tagger).

One rule for every such path: it is never a link (newsgold never writes through one, dangling or
not), never (or inside) a file or folder of the corpus (the manifest, the scheme, documents,
annotation sets, gold, `.newsgold/` and its state files, the corpus folder itself), never a named
pipe, socket or device; an existing file or folder that a newsgold command of the same kind wrote
is replaced, anything else only with `replace` (the command's documented flag). Exports, which write
whole folders, follow `newsgold.exchange.destination`, which applies the same rule to links.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path
from typing import Literal

import orjson

from newsgold.corpus.store import Corpus
from newsgold.errors import UsageError

__all__ = ["FolderKind", "OutputKind", "OutputPathError", "check_output_file", "check_output_folder",
           "refuse_link_or_special"]

OutputKind = Literal["review", "rejected", "report"]
FolderKind = Literal["model", "tagger"]

_KEYS: dict[str, set[str]] = {
    "review": {"doc_id", "kind", "item", "votes", "reason", "code"},
    "rejected": {"where", "reason", "item"},
}
"""The keys every line of a JSONL file of each kind has: how a file of another kind is told apart."""

REPORT_MARKS = (b'<meta name="generator" content="newsgold', b'<p class="note">made by newsgold')
"""What the head of a page `newsgold report` wrote holds (the second in reports before 0.2)."""


class OutputPathError(UsageError):
    """A command was asked to write its own file where it would destroy something."""


def _real(path: Path) -> str:
    return os.path.realpath(path)


def _corpus_files(corpus: Corpus) -> set[str]:
    root = Path(_real(corpus.root))
    named = [corpus.manifest_path, corpus.annotations_path, corpus.gold_path, corpus.root / "documents.jsonl",
             corpus.state_dir, *corpus.document_paths()]
    if isinstance(corpus.manifest.scheme, str):
        named.append(corpus.root / corpus.manifest.scheme)
    if corpus.state_dir.is_dir():
        named.extend(p for p in corpus.state_dir.iterdir() if p.is_file())
    return {_real(p) for p in named} | {str(root), str(root / "documents")}


def _of_kind(path: Path, kind: OutputKind) -> bool:
    """Whether an existing regular file is empty or a file of `kind` (its first lines have the
    kind's keys; a report's head names newsgold)."""
    if kind == "report":
        try:
            with open(path, "rb") as f:
                head = f.read(4096)
        except OSError:
            return False
        return not head or any(mark in head for mark in REPORT_MARKS)
    try:
        with open(path, "rb") as f:
            lines = [line for line in (f.readline() for _ in range(3)) if line.strip()]
    except OSError:
        return False
    for line in lines:
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            return False
        if not (isinstance(record, dict) and _KEYS[kind] <= record.keys()):
            return False
    return True


def refuse_link_or_special(path: Path, parameter: str) -> None:
    """The part of the rule every output path shares, a file's, a model's or an export's: no link
    (dangling or not), no pipe, socket or device. OutputPathError names `parameter`."""
    if os.path.islink(path):
        raise OutputPathError(f"{parameter}={path} is a link; newsgold never writes through a link (it would "
                              "write where the link points): name the file or folder itself")
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputPathError(f"{parameter}={path}: {exc.strerror}") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OutputPathError(f"{parameter}={path} is a named pipe, socket or device, not a file; name a file")


def check_output_file(corpus: Corpus | None, path: Path, *, parameter: str, kind: OutputKind,
                      replace: bool = False) -> bool:
    """Raise OutputPathError unless a command (on `corpus`, if it has one) may write its `kind` file
    at `path` (named by the caller's `parameter`): see the module for the rule. `replace` lets it
    replace a regular file of another kind; then True is returned, and the caller keeps that file
    (`keep_beside`) before it writes."""
    refuse_link_or_special(path, parameter)
    real = _real(path)
    if corpus is not None and real in _corpus_files(corpus):
        raise OutputPathError(f"{parameter}={path} is {'a link to ' if real != os.path.abspath(path) else ''}"
                              f"a file or folder of the corpus {corpus.root}; writing there would destroy "
                              f"it: name a new file, e.g. {parameter}={kind}.jsonl")
    if os.path.isdir(real):
        example = "report.html" if kind == "report" else f"{kind}.jsonl"
        raise OutputPathError(f"{parameter}={path} is a folder; name a file in it, e.g. "
                              f"{parameter}={Path(path) / example}")
    foreign = os.path.lexists(real) and not _of_kind(Path(real), kind)
    if foreign and not replace:
        raise OutputPathError(f"{parameter}={path} holds a file that no newsgold {kind} wrote; name a new file, "
                              "or pass replace=True to replace it (it is kept beside)")
    return foreign


def replaced_beside(path: Path) -> Path:
    """A free name beside `path` for what `replace` lets go there: `PATH.replaced-TIME` (a file a
    report replaces, a folder an export takes the place of)."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    kept, number = path.parent / f"{path.name}.replaced-{stamp}", 1
    while os.path.lexists(kept):
        number += 1
        kept = path.parent / f"{path.name}.replaced-{stamp}-{number}"
    return kept


def keep_beside(path: Path) -> Path:
    """Keep the file at `path`, which a write is about to replace, as `replaced_beside(path)`
    (a hard link where the file system allows, else a copy). Returns where it is kept."""
    kept = replaced_beside(path)
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)
    return kept


FOLDER_FILES: dict[str, tuple[str, ...]] = {"model": ("meta.json", "config.cfg"),
                                            "tagger": ("roles.json", "roles.crfsuite")}
"""What a saved spaCy pipeline folder and a role tagger's folder hold: how each is told apart."""
MODEL_FILES = FOLDER_FILES["model"]


def check_output_folder(corpus: Corpus, path: Path, *, parameter: str, kind: FolderKind = "model") -> None:
    """Raise OutputPathError unless a `kind` may be saved into folder `path`: no link, not the
    corpus, a folder around it or of it, and missing, empty, or an earlier one of its kind."""
    refuse_link_or_special(path, parameter)
    real, root = Path(_real(path)), Path(_real(corpus.root))
    if real == root or root in real.parents or real in root.parents or str(real) in _corpus_files(corpus):
        raise OutputPathError(f"{parameter}={path} is, holds or lies inside the corpus {corpus.root}; save the "
                              f"{kind} in a folder of its own, e.g. {parameter}=models/{corpus.name}")
    if os.path.lexists(real) and not os.path.isdir(real):
        raise OutputPathError(f"{parameter}={path} exists and is not a folder; name a folder")
    if (os.path.isdir(real) and any(os.scandir(real))
            and not all((real / name).is_file() for name in FOLDER_FILES[kind])):
        raise OutputPathError(f"{parameter}={path} holds files that are not a saved {kind}; name a new or empty "
                              f"folder (an earlier {kind} is replaced)")
