"""Where a command may write a file of its own (a review file, the rejected pieces of an import).

One rule for every such file: it may never be (or reach through links) a file or folder of the
corpus (the manifest, the scheme, documents, annotation sets, gold, `.newsgold/` and its state
files, the corpus folder itself), nor a folder, nor an existing file of another kind; an existing
file of its own kind is replaced. A folder a command fills (a trained model) may not be or hold the
corpus, nor be a folder of it, nor hold files of another kind. Exports, which write whole folders, follow
`newsgold.exchange.destination`, which refuses the corpus too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import orjson

from newsgold.corpus.store import Corpus
from newsgold.errors import UsageError

__all__ = ["OutputKind", "OutputPathError", "check_output_file", "check_output_folder"]

OutputKind = Literal["review", "rejected"]

_KEYS: dict[str, set[str]] = {
    "review": {"doc_id", "kind", "item", "votes", "reason", "code"},
    "rejected": {"where", "reason", "item"},
}
"""The keys every line of a file of each kind has: how a file of another kind is told apart."""


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
    """Whether an existing file is empty or a file of `kind` (its first lines have the kind's keys)."""
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


def check_output_file(corpus: Corpus, path: Path, *, parameter: str, kind: OutputKind) -> None:
    """Raise OutputPathError unless a command on `corpus` may write its `kind` file at `path`
    (named by the caller's `parameter`): see the module for the rule."""
    real = _real(path)
    if real in _corpus_files(corpus):
        raise OutputPathError(f"{parameter}={path} is {'a link to ' if real != os.path.abspath(path) else ''}"
                              f"a file or folder of the corpus {corpus.root}; writing there would destroy "
                              f"it: name a new file, e.g. {parameter}={kind}.jsonl")
    if os.path.isdir(real):
        raise OutputPathError(f"{parameter}={path} is a folder; name a file in it, e.g. "
                              f"{parameter}={Path(path) / (kind + '.jsonl')}")
    if os.path.lexists(real) and not _of_kind(Path(real), kind):
        raise OutputPathError(f"{parameter}={path} holds a file that is not a {kind} file; name a new "
                              "file (an existing one of its kind is replaced)")


MODEL_FILES = ("meta.json", "config.cfg")
"""What a saved spaCy pipeline folder holds: how a model folder is told apart from any other."""


def check_output_folder(corpus: Corpus, path: Path, *, parameter: str) -> None:
    """Raise OutputPathError unless a model may be saved into folder `path`: not the corpus, a folder
    around it or of it, and missing, empty, or an earlier model (it holds `meta.json` and `config.cfg`)."""
    real, root = Path(_real(path)), Path(_real(corpus.root))
    if real == root or root in real.parents or real in root.parents or str(real) in _corpus_files(corpus):
        raise OutputPathError(f"{parameter}={path} is, holds or lies inside the corpus {corpus.root}; save the "
                              f"model in a folder of its own, e.g. {parameter}=models/{corpus.name}")
    if os.path.lexists(real) and not os.path.isdir(real):
        raise OutputPathError(f"{parameter}={path} exists and is not a folder; name a folder")
    if os.path.isdir(real) and any(os.scandir(real)) and not all((real / name).is_file() for name in MODEL_FILES):
        raise OutputPathError(f"{parameter}={path} holds files that are not a saved model; name a new or empty "
                              "folder (an earlier model is replaced)")
