"""Benchmark how fast commands start: CPU time of `newsgold --version` and of
`newsgold validate --corpus corpus` (the bundled two documents), as ratios to the floor every
click and pydantic program pays, `python -c "import click, pydantic"`, measured pair by pair in one run.

Goals (issues "A surface that is fast", "One spelling per concept"): --version, --help and each
command's -h at most 1.5x the floor, validate at most 3x, a studio command up to its first request
(against a closed port) at most 2x.
CPU time (user + system of the child) is used rather than wall time: it does not depend on what
else the machine is doing. Usage: python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWSGOLD = [sys.executable, "-m", "newsgold"]
"""`python -m newsgold`, the console script's twin: it runs whichever newsgold PYTHONPATH names, so
the same script measures an older checkout for a before-and-after."""
COMMANDS = {
    "floor (import click, pydantic)": [sys.executable, "-c", "import click, pydantic"],
    "newsgold --version": [*NEWSGOLD, "--version"],
    "newsgold --help": [*NEWSGOLD, "--help"],
    "newsgold validate (2 documents)": [*NEWSGOLD, "validate", "--corpus", str(ROOT / "corpus")],
}
for _name in ("init", "ingest", "validate", "stats", "show", "schema", "agreement", "adjudicate", "export", "import",
              "diff", "report", "suggest", "train", "studio push", "studio pull", "studio status", "studio serve"):
    COMMANDS[f"newsgold {_name} -h"] = [*NEWSGOLD, *_name.split(), "-h"]
COMMANDS["studio status, to its first request"] = [*NEWSGOLD, "studio", "status", "--corpus", str(ROOT / "corpus")]
GOALS = {"newsgold --version": 1.5, "newsgold --help": 1.5, "newsgold validate (2 documents)": 3.0,
         **{name: 1.5 for name in COMMANDS if name.endswith(" -h")}, "studio status, to its first request": 2.0}
CLOSED = {"LABEL_STUDIO_URL": "http://127.0.0.1:9", "LABEL_STUDIO_API_KEY": "unused"}
"""`studio status` against a closed port: what it costs up to the request that finds no server."""


def _run(argv: list[str]) -> float:
    """CPU seconds (user + system) of one run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # From a neutral folder: `python -m` puts the current folder first on sys.path.
    studio = "status" in argv and "-h" not in argv
    subprocess.run(argv, check=not studio, capture_output=True, cwd=tempfile.gettempdir(),
                   env={**os.environ, **CLOSED} if studio else None)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for argv in COMMANDS.values():  # warm the file cache once
        _run(argv)
    for _ in range(args.runs):  # interleaved, so that a busy moment affects every command alike
        for name, argv in COMMANDS.items():
            cpu[name].append(_run(argv))
    floor = statistics.median(cpu["floor (import click, pydantic)"])
    print(f"{'command':34} {'CPU ms (median)':>16} {'ratio':>7} {'goal':>6}")
    for name in COMMANDS:
        median = statistics.median(cpu[name])
        goal = GOALS.get(name)
        print(f"{name:34} {median * 1000:16.0f} {median / floor:7.2f} {goal if goal else '':>6}")


if __name__ == "__main__":
    main()
