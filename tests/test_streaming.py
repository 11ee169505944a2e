"""Memory does not grow with the number of documents: each command runs in a fresh process on a
small and on a four times larger synthetic corpus, and its peak RSS may differ by little.

A fixed limit (`resource.setrlimit`) would test the machine as much as newsgold (numpy and spaCy
reserve address space as they load); the difference between two sizes tests only what grows.
The larger inputs are about 15 MB of JSON (4,000 characters and 15 spans a document). Measured
the same way on twice that text, the code before streaming went
from 97 to 372 MB importing the Label Studio export (400 and 1,600 documents) and from 280 to
1,192 MB writing the spaCy export; now both stay within a few MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from synthetic import make_corpus  # noqa: E402

SMALL, LARGE = 400, 1600
GROWTH_MB = 40
"""What the larger run may use beyond the smaller: indexes (about 100 bytes a document) and noise."""

RUN = """
import resource, sys, json
from pathlib import Path
from newsgold.corpus import Corpus, init_corpus
from newsgold.curation import adjudicate
from newsgold.exchange import export, import_label_studio, import_brat
import newsgold
seed_scheme = lambda: Corpus.open(Path(newsgold.__file__).resolve().parents[1] / "corpus").scheme  # the claims
command, source, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
if command == "import-label-studio":
    import_label_studio(init_corpus(out, name="in", scheme=seed_scheme()), source)
elif command == "import-brat":
    import_brat(init_corpus(out, name="in", scheme=seed_scheme()), source, set_from="folder")
elif command == "adjudicate":
    adjudicate(Corpus.open(source), "majority", replace=True)
elif command == "stats":  # as `newsgold stats --output-format json` prints it, every row included
    import contextlib, os
    from newsgold.cli import main
    with open(os.devnull, "w") as nowhere, contextlib.redirect_stdout(nowhere):
        main(["stats", "--corpus", str(source), "--output-format", "json"], standalone_mode=False)
else:
    export(Corpus.open(source), command.removeprefix("export-"), out, source="annotations", jobs=1)
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[int, Path]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("streaming")
    made = {}
    for size in (SMALL, LARGE):
        corpus = make_corpus(root / f"c{size}", size, chars=4000, spans=15)
        for name in ("label-studio", "brat"):
            _peak("export-" + name, corpus, root / f"{name}-{size}")
        made[size] = root
    return made


def _peak(command: str, source: Path, out: Path) -> float:
    run = subprocess.run([sys.executable, "-c", RUN, command, str(source), str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return float(json.loads(run.stdout.splitlines()[-1])["peak_mb"])


@pytest.mark.parametrize("command", ["import-label-studio", "import-brat", "export-label-studio", "export-spacy",
                                     "adjudicate", "stats"])
def test_peak_memory_does_not_grow_with_the_corpus(command: str, corpora: dict[int, Path], tmp_path: Path) -> None:
    peaks = {}
    for size, root in corpora.items():
        if command == "import-label-studio":
            source = root / f"label-studio-{size}" / "annotations.json"
        elif command == "import-brat":
            source = root / f"brat-{size}"
        else:
            source = root / f"c{size}"
        peaks[size] = _peak(command, source, tmp_path / f"out-{size}")
    assert peaks[LARGE] - peaks[SMALL] < GROWTH_MB, f"{command}: peak RSS {peaks} MB"


def test_stats_holds_no_row_per_document(tmp_path: Path) -> None:
    """`stats` and its per-document rows keep, per document, only where its sets are: Python's own
    allocations (tracemalloc, exact where RSS is noisy) grow by less than 800 bytes a document.
    Measured: 550 bytes streaming, 1,800 when the rows were held (as before)."""
    import tracemalloc

    from newsgold.corpus import Corpus, iter_document_stats, stats

    peaks = {}
    for size in (SMALL, LARGE):
        corpus = Corpus.open(make_corpus(tmp_path / f"c{size}", size, chars=500, spans=15))
        tracemalloc.start()
        try:
            assert stats(corpus).documents == size
            assert sum(1 for _ in iter_document_stats(corpus)) == size
            peaks[size] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert (peaks[LARGE] - peaks[SMALL]) / (LARGE - SMALL) < 800, peaks
