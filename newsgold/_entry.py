"""The `newsgold` console script: Ctrl-C while the command is still starting exits 130, quietly.

Importing the CLI takes a moment; an interrupt then would print a traceback of whatever module
was loading. Nothing can be half-written before a command runs, so until the CLI is loaded an
interrupt ends the process at once with status 130; from then on the CLI handles it (a write in
progress is rolled back first).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from types import FrameType

STARTUP_PAUSE_ENV = "NEWSGOLD_TEST_STARTUP_PAUSE"
"""Seconds to wait before loading the CLI (tests only)."""


def _interrupted_while_starting(signum: int, frame: FrameType | None) -> None:
    sys.stderr.write("Interrupted while starting: nothing was done.\n")
    sys.stderr.flush()
    os._exit(130)


def run() -> None:
    """Load the CLI with start-up interrupts handled, then run it."""
    previous = signal.signal(signal.SIGINT, _interrupted_while_starting)
    pause = os.environ.get(STARTUP_PAUSE_ENV)
    if pause:  # tests: a start-up as slow as they need, to interrupt it for sure
        time.sleep(float(pause))
    from newsgold.cli import main

    signal.signal(signal.SIGINT, previous)
    main()
