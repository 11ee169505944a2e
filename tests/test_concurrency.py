"""One writer at a time, and `kill -9` at any moment leaves every file old or new.

These run the real `newsgold` command in separate processes, as two people (or a CI job and a
person) would.
"""

from __future__ import annotations

import json
import shutil
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from newsgold.corpus import Corpus, validate
from newsgold.corpus.lock import corpus_lock

from conftest import DATA

NEWSGOLD = [sys.executable, "-m", "newsgold"]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NEWSGOLD, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def _batch(path: Path, prefix: str, count: int, size: int = 200) -> Path:
    with path.open("w") as f:
        for n in range(count):
            f.write(json.dumps({"id": f"{prefix}-{n}", "text": f"{prefix} article {n}. " + "words " * size}) + "\n")
    return path


def test_eight_concurrent_ingests_keep_every_document(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    assert _run("init", "--corpus", str(corpus)).returncode == 0
    batches = [_batch(tmp_path / f"b{n}.jsonl", f"b{n}", 150) for n in range(8)]
    processes = [subprocess.Popen([*NEWSGOLD, "ingest", str(batch), "--corpus", str(corpus)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "NEWSGOLD_LOCK_TIMEOUT": "120"})
                 for batch in batches]
    results = [(p.wait(timeout=180), p.stdout.read(), p.stderr.read()) for p in processes]  # type: ignore[union-attr]
    assert all(code == 0 for code, _, _ in results), results
    ids = [d.id for d in Corpus.open(corpus).iter_documents()]
    assert len(ids) == len(set(ids)) == 8 * 150
    assert validate(corpus).ok
    assert any("another newsgold command is writing" in err for _, _, err in results)


def _hold_lock(corpus: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from newsgold.corpus.lock import corpus_lock\n"
         "with corpus_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
         str(corpus)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@pytest.mark.parametrize("argv", [
    ["ingest", "{a}", "--corpus", "{c}"],
    ["adjudicate", "--corpus", "{c}", "--replace"],
    ["import", "{brat}", "--format", "brat", "--corpus", "{c}"],
    ["suggest", "--corpus", "{c}"],
])  # studio pull and push take the lock only after they have talked to the server (test_labelstudio_sync.py)
def test_a_second_writer_waits_then_gives_up_and_changes_nothing(argv: list[str], tmp_path: Path) -> None:
    corpus = tmp_path / "c"

    shutil.copytree(DATA / "base", corpus)
    (tmp_path / "a.txt").write_text("A new article.")
    (tmp_path / "brat").mkdir()
    (tmp_path / "brat" / "b1.txt").write_text("Hanno Pevkur said it.\n")
    (tmp_path / "brat" / "b1.ann").write_text("T1\tPERSON 0 12\tHanno Pevkur\n")
    before = {p.name: p.read_bytes() for p in corpus.iterdir() if p.is_file()}
    holder = _hold_lock(corpus)
    try:
        started = time.monotonic()
        args = [a.replace("{c}", str(corpus)).replace("{a}", str(tmp_path / "a.txt"))
                .replace("{brat}", str(tmp_path / "brat")) for a in argv]
        result = _run(*args, env={"NEWSGOLD_LOCK_TIMEOUT": "1", "LABEL_STUDIO_URL": "http://127.0.0.1:9",
                                  "LABEL_STUDIO_API_KEY": "k"})
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"Waiting for {corpus}: another newsgold command is writing to it")
    assert lines[-1].startswith(f"Error: {corpus}: another newsgold command is writing to this corpus (waited 1 s)")
    assert waited >= 1
    assert {p.name: p.read_bytes() for p in corpus.iterdir() if p.is_file()} == before


def test_the_lock_is_reentrant_and_released(tmp_path: Path) -> None:
    with corpus_lock(tmp_path), corpus_lock(tmp_path):
        pass
    holder = _hold_lock(tmp_path)
    holder.kill()
    holder.wait()
    with corpus_lock(tmp_path, timeout=0):  # a killed holder leaves no stale lock
        pass


# kill -9 ----------------------------------------------------------------------------------------

def _snapshot(corpus: Path) -> dict[str, bytes]:
    return {str(p.relative_to(corpus)): p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 documents with one set and gold each (built through the library)."""
    root = tmp_path_factory.mktemp("big") / "c"
    assert _run("init", "--corpus", str(root)).returncode == 0
    assert _run("ingest", str(_batch(root.parent / "docs.jsonl", "d", 3000, 60)), "--corpus", str(root)).returncode == 0
    corpus = Corpus.open(root)
    lines = []
    for document in corpus.iter_documents():
        start = document.text.index("article")
        span = {"id": "s1", "start": start, "end": start + 7, "label": "ORG", "text": "article"}
        lines.append(json.dumps({"doc_id": document.id, "doc_sha256": document.sha256, "annotator": "alice",
                                 "origin": {"source": "manual"}, "spans": [span]}))
    (root / "annotations.jsonl").write_text("\n".join(lines) + "\n")
    # A stored salt: the killed run and the reference run then give every person the same pseudonym.
    (root / ".newsgold").mkdir(exist_ok=True)
    (root / ".newsgold" / "pseudonyms.json").write_text('{"salt": "0123456789abcdef0123456789abcdef"}\n')
    assert _run("adjudicate", "--corpus", str(root), "--strategy", "prefer", "--prefer", "alice").returncode == 0
    return root


PULL = """
import json, sys
sys.path.insert(0, {tests!r})
from fake_studio import FakeStudio
from newsgold.corpus import Corpus
from newsgold.studio import pull
corpus = Corpus.open(sys.argv[1])
tasks = [json.loads(line) for line in open(sys.argv[2])]
pull(corpus, FakeStudio(corpus.name, tasks, [{{"id": 5, "email": "alice@newsgold.test"}}]))
""".format(tests=str(Path(__file__).parent))

POINTS = {"ingest": ("staged", "committing"), "import": ("staged", "renaming", "committing"),
          "adjudicate": ("staged", "renaming", "committing"), "suggest": ("staged", "committing"),
          "pull": ("staged", "renaming", "committing"), "export": ("staged",)}
"""Where each command is killed: with every file of its commit staged and none in place; (for a
commit of several files) with the first in place and the others not; and moments after it starts
putting files in place (a kill that would land inside a copy if a commit copied instead of renaming)."""


def _inputs(folder: Path, corpus: Path) -> dict[str, list[str]]:
    """The command line of each command, with its input made in `folder` (once)."""
    more = folder / "more.jsonl"
    if not more.exists():
        _batch(more, "more", 3000, 60)
        (folder / "brat").mkdir()
        for n in range(1500):
            (folder / "brat" / f"b{n}.txt").write_text(f"Hanno Pevkur said it {n}.\n")
            (folder / "brat" / f"b{n}.ann").write_text("T1\tPERSON 0 12\tHanno Pevkur\n")
        tasks = []
        for n, document in enumerate(Corpus.open(corpus).iter_documents()):
            if n == 500:
                break
            start = document.text.index("words")
            result = [{"id": "r1", "from_name": "entity", "to_name": "text", "type": "labels",
                       "value": {"start": start, "end": start + 5, "text": "words", "labels": ["ORG"]}}]
            tasks.append({"id": 100 + n, "updated_at": "2026-12-01T10:00:00Z",
                          "data": {"doc_id": document.id, "doc_sha256": document.sha256, "text": document.text},
                          "annotations": [{"id": 1000 + n, "completed_by": 5, "result": result,
                                           "updated_at": "2026-12-01T10:00:00Z"}], "drafts": []})
        (folder / "tasks.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tasks))
    return {
        "ingest": [*NEWSGOLD, "ingest", str(more), "--corpus", "{c}"],
        "import": [*NEWSGOLD, "import", str(folder / "brat"), "--format", "brat", "--corpus", "{c}", "--set", "bob"],
        "adjudicate": [*NEWSGOLD, "adjudicate", "--corpus", "{c}", "--replace", "--strategy", "prefer", "--prefer", "alice",
                       "--review", "{c}/review.jsonl"],
        "suggest": [*NEWSGOLD, "suggest", "--corpus", "{c}"],
        "pull": [sys.executable, "-c", PULL, "{c}", str(folder / "tasks.jsonl")],
        "export": [*NEWSGOLD, "export", "--corpus", "{c}", "--format", "all", "--out", "{o}"],
    }


@pytest.fixture(scope="module")
def finished(big_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """What each command writes when it is left to finish: computed once per command, on demand."""
    folder = tmp_path_factory.mktemp("finished")
    done: dict[str, dict[str, bytes]] = {}

    class Lazy(dict):  # type: ignore[type-arg]
        def __missing__(self, command: str) -> dict[str, bytes]:
            corpus = folder / command / "c"
            shutil.copytree(big_corpus, corpus)
            argv = [a.replace("{c}", str(corpus)).replace("{o}", str(folder / command / "out"))
                    for a in _inputs(big_corpus.parent, big_corpus)[command]]
            result = subprocess.run(argv, capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, result.stderr
            self[command] = _snapshot(corpus)
            return self[command]

    return Lazy(done)


def _kill_at(argv: list[str], point: str, mark: Path) -> None:
    """Run `argv` until it stops at `point` (see newsgold._io.PAUSE_ENV), then kill -9 it there."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "NEWSGOLD_TEST_PAUSE": f"{point}:{mark}"})
    deadline = time.monotonic() + 300
    while not mark.exists():
        assert process.poll() is None, f"{argv[2:4]} ended before {point}: {process.stderr.read()}"  # type: ignore[union-attr]
        assert time.monotonic() < deadline, f"{argv[2:4]} never reached {point}"
        time.sleep(0.002 if point == "committing" else 0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize(("command", "point"), [(c, p) for c, points in POINTS.items() for p in points])
def test_kill_9_mid_write_leaves_old_or_new_files_and_a_valid_corpus(command: str, point: str, big_corpus: Path,
                                                                     finished: dict[str, dict[str, bytes]],
                                                                     tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(big_corpus, corpus)
    before = _snapshot(corpus)
    out = tmp_path / "out"
    # What a finished run leaves in the corpus (an export writes nothing there: its own files only).
    complete = before if command == "export" else finished[command]
    argv = [a.replace("{c}", str(corpus)).replace("{o}", str(out)) for a in _inputs(big_corpus.parent, big_corpus)[command]]
    _kill_at(argv, point, tmp_path / "paused")
    after = _snapshot(corpus)
    temps = [name for name in after if ".ngtmp-" in Path(name).name]
    # The kill came mid-write: staged files (or an export's staging folder) are there, and at
    # `renaming` some of the commit is in place while the rest is not.
    if command == "export":
        assert [p for p in out.iterdir() if ".ngtmp-" in p.name], "no staging folder: not killed mid-write"
    elif point != "committing":  # (a kill moments into the renames may come after the last one)
        assert temps, "no staged file: the command was not killed mid-write"
    if point == "renaming":  # the mark names the file already in place
        in_place = str(Path((tmp_path / "paused").read_text()).relative_to(corpus))
        assert after[in_place] == complete[in_place] and temps, "not killed between two renames"
    # Every file is the old version or the complete new one; anything else is a temp file.
    for name, content in after.items():
        if name not in temps and name != ".newsgold-journal.json":  # the renames still to make
            assert content in (before.get(name), complete.get(name)), f"{name} is neither old nor new"
    if point == "renaming":  # a commit of several files left its journal: what names its renames
        assert (corpus / ".newsgold-journal.json").is_file()
    assert validate(corpus).ok, [p.as_text() for p in validate(corpus).problems][:3]
    # Once the corpus is opened again, a commit of several files is all old or all new, never some
    # of each: the journal's renames are finished first (issue 41, item 1).
    recovered = {n: c for n, c in _snapshot(corpus).items() if ".ngtmp-" not in Path(n).name}
    if point == "renaming":
        assert recovered == complete, sorted(n for n in complete if recovered.get(n) != complete[n])
    else:
        assert recovered in (before, complete), sorted(n for n in recovered if recovered[n] != before.get(n))
    if point == "renaming":  # and killed after each later rename of the commit too: all new once opened
        renames = orjson.loads(after[".newsgold-journal.json"])["renames"]
        for later in range(2, len(renames)):
            again = tmp_path / f"c{later}"
            shutil.copytree(big_corpus, again)
            argv = [a.replace("{c}", str(again)).replace("{o}", str(out))
                    for a in _inputs(big_corpus.parent, big_corpus)[command]]
            _kill_at(argv, f"renaming-{later}", tmp_path / f"paused{later}")
            assert (again / ".newsgold-journal.json").is_file()
            assert validate(again).ok
            assert {n: c for n, c in _snapshot(again).items() if ".ngtmp-" not in Path(n).name} == complete
    if out.exists():  # each format's folder is missing or complete
        for folder in out.iterdir():
            assert folder.name.startswith(".") or (folder / "manifest.json").is_file()
    # The next writer removes the temp files of the killed one; the next export its staging folders.
    (tmp_path / "x.txt").write_text("One more article.")
    assert _run("ingest", str(tmp_path / "x.txt"), "--corpus", str(corpus)).returncode == 0
    assert not [p for p in corpus.rglob("*") if ".ngtmp-" in p.name]
    if command == "export":
        assert _run("export", "--corpus", str(corpus), "--format", "all", "--out", str(out)).returncode == 0
        assert not [p for p in out.rglob("*") if ".ngtmp-" in p.name]
        assert not [p for p in out.parent.iterdir() if ".ngtmp-" in p.name]


@pytest.mark.parametrize("command", ["ingest", "adjudicate", "pull"])
def test_ctrl_c_mid_write_exits_130_and_changes_nothing(command: str, big_corpus: Path, tmp_path: Path) -> None:
    """Ctrl-C (SIGINT) while a writer has staged its files: exit 130 with one line, every corpus file
    as it was, no temp file left (issue 41, item 12)."""
    corpus = tmp_path / "c"
    shutil.copytree(big_corpus, corpus)
    before = _snapshot(corpus)
    argv = [a.replace("{c}", str(corpus)).replace("{o}", str(tmp_path / "out"))
            for a in _inputs(big_corpus.parent, big_corpus)[command]]
    mark = tmp_path / "paused"
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NEWSGOLD_TEST_PAUSE": f"staged:{mark}"})
    deadline = time.monotonic() + 300
    while not mark.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    if command == "pull":  # a Python caller of the library: the interrupt is Python's own
        assert process.returncode != 0 and "KeyboardInterrupt" in err
    else:
        assert process.returncode == 130, err
        assert err.strip() == "Interrupted: nothing was written that was not complete."
    assert _snapshot(corpus) == before
