"""File helpers under the exports: hashing through a memory map, appending a file to another."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from newsgold._io import JOURNAL_NAME, append_file, count_newlines, finish_commit, hash_file
from newsgold.errors import UnreadableInputError


@pytest.mark.parametrize("size", [0, 1, 4096, 3 * 2**20 + 17])
def test_hash_file_is_the_sha256_of_the_bytes(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    (tmp_path / "f").write_bytes(data)
    digest = hashlib.sha256()
    with open(tmp_path / "f", "rb") as f:
        hash_file(f, digest)
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def _no_kernel_copy(*_: object) -> int:
    raise OSError(errno.EXDEV, "Invalid cross-device link")


@pytest.mark.parametrize("kernel_copy", ["available", "missing", "failing"])
@pytest.mark.parametrize("size", [0, 10, 2**20 + 3])
def test_append_file_keeps_buffered_writes_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    kernel_copy: str, size: int) -> None:
    if kernel_copy == "missing":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    elif kernel_copy == "failing":
        monkeypatch.setattr(os, "copy_file_range", _no_kernel_copy, raising=False)
    part = os.urandom(size)
    (tmp_path / "part").write_bytes(part)
    with open(tmp_path / "out", "wb") as out:
        out.write(b"head")  # still in the buffer when the part is appended
        for copies in (1, 2):
            with open(tmp_path / "part", "rb") as source:
                append_file(source, out)
            assert out.tell() == 4 + copies * size
        out.write(b"tail")
    assert (tmp_path / "out").read_bytes() == b"head" + part + part + b"tail"


def test_count_newlines_counts_before_an_offset(tmp_path: Path) -> None:
    data = b"a\n\nbb\n" * 300_000 + b"tail"  # over 1 MiB: several blocks
    (tmp_path / "f").write_bytes(data)
    assert count_newlines(tmp_path / "f") == data.count(b"\n")
    for end in (0, 1, 2, 3, 2**20 + 5, len(data), len(data) + 10):
        assert count_newlines(tmp_path / "f", end) == data[:end].count(b"\n")


def test_a_folders_checksums_find_every_changed_missing_or_added_file(tmp_path: Path) -> None:
    from newsgold._io import verify_checksums, write_checksums
    from newsgold.errors import UsageError

    (tmp_path / "sub").mkdir()
    (tmp_path / "a.bin").write_bytes(b"model")
    (tmp_path / "sub" / "b.cfg").write_text("[nlp]\n")
    write_checksums(tmp_path)
    verify_checksums(tmp_path, "model")
    (tmp_path / "sub" / "b.cfg").write_text("[nlp] \n")
    with pytest.raises(UsageError, match=r"sub/b.cfg is not the file that was trained"):
        verify_checksums(tmp_path, "model")
    (tmp_path / "sub" / "b.cfg").write_text("[nlp]\n")
    (tmp_path / "c").write_text("")
    with pytest.raises(UsageError, match=r"c is not the file that was trained"):
        verify_checksums(tmp_path, "model")
    (tmp_path / "c").unlink()
    (tmp_path / "a.bin").unlink()
    with pytest.raises(UsageError, match=r"a.bin is missing"):
        verify_checksums(tmp_path, "model")


def test_the_next_writer_removes_a_killed_writers_backup_temp_file(tmp_path: Path) -> None:
    """An `adjudicate --replace` killed while staging its backup of replaced gold left a temp file in
    `.newsgold/replaced/`; the next writer removes it as it removes the others (issue 41, item 11)."""
    import shutil

    from newsgold.corpus import Corpus, ingest

    from conftest import REPO

    root = tmp_path / "c"
    shutil.copytree(REPO / "corpus", root)
    (root / ".newsgold" / "replaced").mkdir(parents=True)
    stale = root / ".newsgold" / "replaced" / ".adjudicate-20261207T000000Z.jsonl.ngtmp-x1y2z3.tmp"
    stale.write_text('{"half": ')
    kept = root / ".newsgold" / "replaced" / "adjudicate-20261207T000000Z.jsonl"
    kept.write_text("{}\n")
    (tmp_path / "a.txt").write_text("One more article.")
    ingest(Corpus.open(root), [tmp_path / "a.txt"])
    assert not stale.exists() and kept.read_text() == "{}\n"


@pytest.mark.parametrize("fault", [KeyboardInterrupt, OSError])
def test_a_journaled_commit_interrupted_after_its_first_rename_leaves_every_file_new(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: type[BaseException]) -> None:
    """Ctrl-C (or a passing error) between two renames of a commit of several files: the commit
    finishes its renames from the journal before the interrupt goes on, so the files are all new,
    never some of each; a rollback then removes nothing that is in place."""
    from newsgold._io import JOURNAL_NAME, Transaction

    for name in ("a", "b", "c"):
        (tmp_path / name).write_text("old")
    txn = Transaction(journal=tmp_path / JOURNAL_NAME)
    for name in ("a", "b", "c"):
        txn.write_bytes(tmp_path / name, b"new")
    real_replace, calls = os.replace, []

    def replace_once_failing(source: object, target: object) -> None:
        calls.append(target)
        if len(calls) == 3:  # the journal's own rename, a's, then b's
            raise fault() if fault is KeyboardInterrupt else OSError(5, "Input/output error")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace_once_failing)
    if fault is KeyboardInterrupt:
        with pytest.raises(KeyboardInterrupt):
            txn.commit()
    else:
        txn.commit()  # the journal's renames went through: committed
    txn.rollback()  # what a caller does after an exception: it must not undo the finished commit
    assert [(tmp_path / name).read_text() for name in ("a", "b", "c")] == ["new", "new", "new"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "c"]


@pytest.mark.parametrize("content", [
    b"{oops",
    b'{"renames": 5}',
    b'{"other": []}',
    b'{"renames": [["../outside.txt", "gold.jsonl"]]}',
    b'{"renames": [[".gold.jsonl.ngtmp-x.tmp", "../../victim.txt"]]}',
    b'{"renames": [[".gold.jsonl.ngtmp-x.tmp", "/tmp/victim.txt"]]}',
    b'{"renames": [["notes.txt", "gold.jsonl"]]}',
    b'{"renames": [["sub/.gold.jsonl.ngtmp-x.tmp", "gold.jsonl"]]}',
])
def test_a_damaged_or_hostile_journal_is_refused_and_moves_nothing(tmp_path: Path, content: bytes) -> None:
    """A journal newsgold did not write (damaged, or naming renames out of the folder or of files
    that are not its temp files) stops with one readable error and moves no file."""
    (tmp_path / "sub").mkdir()
    for name in ("outside.txt", "notes.txt", ".gold.jsonl.ngtmp-x.tmp", "sub/.gold.jsonl.ngtmp-x.tmp", "gold.jsonl"):
        (tmp_path / name).write_text(name)
    journal = tmp_path / JOURNAL_NAME
    journal.write_bytes(content)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(UnreadableInputError, match=r"journal of an unfinished commit .*nothing was changed\. Move it aside"):
        finish_commit(journal)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_journal_as_a_commit_writes_it_is_finished(tmp_path: Path) -> None:
    (tmp_path / ".gold.jsonl.ngtmp-ab_1.tmp").write_text("new")
    (tmp_path / "gold.jsonl").write_text("old")
    (tmp_path / JOURNAL_NAME).write_bytes(b'{"renames": [[".gold.jsonl.ngtmp-ab_1.tmp", "gold.jsonl"]]}')
    assert finish_commit(tmp_path / JOURNAL_NAME) == [tmp_path / "gold.jsonl"]
    assert (tmp_path / "gold.jsonl").read_text() == "new" and not (tmp_path / JOURNAL_NAME).exists()
