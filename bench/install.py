"""Benchmark the environment a corpus repository's pre-commit hooks build: newsgold's core at the
versions of requirements/core.lock, as `.pre-commit-hooks.yaml` pins them, against the floor every
click and pydantic program pays (a virtual environment with pydantic and click alone, at the same
pinned versions), measured in one run, each install from a warm pip cache as a CI's second run is.

Prints wall seconds and the package count of each, and the modules `newsgold validate` imports
that belong to an extra (goal: none). Goals (issue "The same install on every machine"): the hook
environment at most 15 packages. Usage: python bench/install.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from newsgold.extras import EXTRA_OF_MODULE  # noqa: E402

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def _core_pins() -> dict[str, str]:
    return dict(PIN.findall((ROOT / "requirements" / "core.lock").read_text(encoding="utf-8")))


def _install(folder: Path, requirements: list[str]) -> tuple[float, int]:
    """Seconds to make a venv in `folder` and pip install `requirements` into it; packages installed."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    subprocess.run([str(folder / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", *requirements],
                   check=True, capture_output=True)
    seconds = time.monotonic() - started
    frozen = subprocess.run([str(folder / "bin" / "pip"), "list", "--format", "freeze", "--exclude", "pip",
                             "--exclude", "setuptools"], check=True, capture_output=True, text=True).stdout.split()
    return seconds, len(frozen)


def _validate_imports(python: Path) -> list[str]:
    code = ("import sys; from click.testing import CliRunner; from newsgold.cli import main; "
            f"r = CliRunner().invoke(main, ['validate', '--corpus', {str(ROOT / 'corpus')!r}]); "
            "assert r.exit_code == 0, r.output; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True).stdout.split()
    return sorted(set(loaded) & set(EXTRA_OF_MODULE))


def main() -> None:
    pins = _core_pins()
    with tempfile.TemporaryDirectory() as scratch:
        floor_pins = [f"{name}=={pins[name]}" for name in ("pydantic", "click")]
        _install(Path(scratch) / "warm", [*floor_pins, f"{ROOT}", *[f"{n}=={v}" for n, v in pins.items()]])
        floor, floor_count = _install(Path(scratch) / "floor", floor_pins)
        hooks, hooks_count = _install(Path(scratch) / "hooks", [str(ROOT), *[f"{n}=={v}" for n, v in pins.items()]])
        extras = _validate_imports(Path(scratch) / "hooks" / "bin" / "python")
    print(f"{'environment':42} {'seconds':>8} {'ratio':>6} {'packages':>9} {'goal':>6}")
    print(f"{'floor (pydantic + click)':42} {floor:8.1f} {1.0:6.2f} {floor_count:9d}")
    name = "pre-commit hooks (newsgold core, locked)"
    print(f"{name:42} {hooks:8.1f} {hooks / floor:6.2f} {hooks_count:9d} {'<= 15':>6}")
    print(f"modules of an extra that `newsgold validate` imports: {', '.join(extras) or 'none'} (goal: none)")


if __name__ == "__main__":
    main()
