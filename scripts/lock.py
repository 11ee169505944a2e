"""Refresh every lock of the project in one run (`make lock`): each environment's whole resolution,
with hashes, resolved by uv (`uv pip compile --universal`, so one lock serves every platform and
Python that newsgold supports).

- requirements/dev.lock: newsgold with every extra and the dev tools (`make test`, `make mutation`);
- requirements/all.lock: newsgold with every extra (`make demo`), within dev.lock's versions;
- requirements/core.lock: the core alone, within dev.lock's versions; its pins are written into
  .pre-commit-hooks.yaml, whose hooks install the core only;
- newsgold/studio/label-studio.lock: the Label Studio that newsgold starts (from label-studio.in;
  shipped with the package, so an installed newsgold installs the same server).

Run it after adding or raising a dependency, and commit what it changes in the same commit.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOOKS = REPO / ".pre-commit-hooks.yaml"
STUDIO = REPO / "newsgold" / "studio"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def compile_lock(source: str, out: str, *options: str) -> None:
    """Resolve `source` (a requirements file or pyproject.toml) into the lock `out`, with hashes."""
    command = [sys.executable, "-m", "uv", "pip", "compile", "--quiet", "--universal", "--generate-hashes",
               "--no-header", source, *options, "-o", out]
    subprocess.run(command, cwd=REPO, check=True)


def core_pins(lock: Path) -> list[str]:
    """`name==version` of every package of a lock, in its order."""
    return [f"{name}=={version}" for name, version in _PIN.findall(lock.read_text(encoding="utf-8"))]


def write_hook_pins(pins: list[str]) -> None:
    """Set the `additional_dependencies` of every hook in .pre-commit-hooks.yaml to `pins`."""
    text = HOOKS.read_text(encoding="utf-8")
    line = f"  additional_dependencies: [{', '.join(pins)}]"
    updated, count = re.subn(r"^  additional_dependencies: \[.*\]$", line, text, flags=re.MULTILINE)
    if count == 0:
        raise SystemExit(f"{HOOKS} has no `additional_dependencies: [...]` line to refresh")
    HOOKS.write_text(updated, encoding="utf-8")


def main() -> None:
    compile_lock("pyproject.toml", "requirements/dev.lock", "--extra", "dev", "--extra", "mutation")
    compile_lock("pyproject.toml", "requirements/all.lock", "--extra", "all", "-c", "requirements/dev.lock")
    compile_lock("pyproject.toml", "requirements/core.lock", "-c", "requirements/dev.lock")
    compile_lock(str(STUDIO / "label-studio.in"), str(STUDIO / "label-studio.lock"), "--python-version", "3.11")
    write_hook_pins(core_pins(REPO / "requirements" / "core.lock"))
    print("refreshed requirements/{dev,all,core}.lock, newsgold/studio/label-studio.lock and "
          ".pre-commit-hooks.yaml; commit them with the change that asked for it")


if __name__ == "__main__":
    main()
