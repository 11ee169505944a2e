"""Declared means used, used means declared; every environment installs from a lock that agrees
with pyproject.toml; the core stays light.

deptry reads the package's imports and pyproject.toml (its settings there name the dev extras and
the one package imported by a dependency, not by newsgold). The locks are checked as text: every
requirement of pyproject.toml is met by the version its lock pins (a raised dependency without
`make lock` fails here), every pin has hashes, the locks agree with each other, and the pre-commit
hooks pin exactly the core lock.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from newsgold.extras import EXTRA_OF_MODULE

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
LOCKS = {name: REPO / "requirements" / f"{name}.lock" for name in ("core", "all", "dev")}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$", re.MULTILINE)
ENVIRONMENT = {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "linux",
               "platform_system": "Linux", "platform_machine": "x86_64", "implementation_name": "cpython",
               "platform_python_implementation": "CPython", "os_name": "posix", "extra": ""}
"""The machine the locks are checked for (markers of a universal lock choose among its pins)."""


def pins(lock: Path) -> dict[str, str]:
    """Canonical name -> version that `lock` installs on ENVIRONMENT."""
    from packaging.markers import Marker

    found = {}
    for name, version, marker in _PIN.findall(lock.read_text(encoding="utf-8")):
        if not marker or Marker(marker).evaluate(ENVIRONMENT):
            found[canonicalize_name(name)] = version
    return found


def requirements(extra: str | None) -> list[Requirement]:
    """pyproject.toml's requirements of the core (None) or of one extra, self-references expanded."""
    listed = PYPROJECT["project"]["dependencies"] if extra is None else PYPROJECT["project"]["optional-dependencies"][extra]
    found = []
    for line in listed:
        requirement = Requirement(line)
        if requirement.name == "newsgold":
            for inner in sorted(requirement.extras):
                found += requirements(inner)
        else:
            found.append(requirement)
    return found


def test_deptry_finds_every_import_declared_and_every_declared_dependency_imported() -> None:
    done = subprocess.run([sys.executable, "-m", "deptry", "newsgold"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("lock, extras", [("core", [None]),
                                          ("all", [None, "all"]),
                                          ("dev", [None, "all", "dev", "mutation"])])
def test_each_lock_meets_every_requirement_of_its_environment(lock: str, extras: list[str | None]) -> None:
    pinned = pins(LOCKS[lock])
    for extra in extras:
        for requirement in requirements(extra):
            if requirement.marker is not None and not requirement.marker.evaluate(ENVIRONMENT):
                continue
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{requirement} is not in {LOCKS[lock].name}: run `make lock`"
            assert Version(pinned[name]) in requirement.specifier, \
                f"{LOCKS[lock].name} pins {name}=={pinned[name]}, not {requirement}: run `make lock`"


def test_the_locks_agree_and_pin_every_package_with_hashes() -> None:
    core, every, dev = (pins(LOCKS[name]) for name in ("core", "all", "dev"))
    assert core.items() <= every.items() <= dev.items()
    for path in [*LOCKS.values(), REPO / "newsgold" / "studio" / "label-studio.lock"]:
        for block in re.split(r"\n(?=[A-Za-z0-9])", path.read_text(encoding="utf-8")):
            if "==" in block.split("\n")[0]:
                assert "--hash=sha256:" in block, f"{path.name}: {block.splitlines()[0]} has no hash"


def test_the_core_is_light_and_the_hooks_install_exactly_the_core_lock() -> None:
    core = pins(LOCKS["core"])
    assert len(core) + 1 <= 15, f"the core installs {len(core) + 1} packages with newsgold: {sorted(core)}"
    assert not {"spacy", "scipy", "matplotlib", "label-studio-sdk", "numpy", "pandas"} & set(core)
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    listed = re.findall(r"additional_dependencies: \[(.*)\]", hooks)
    assert len(listed) == hooks.count("- id:")
    for line in listed:
        hook_pins = {canonicalize_name(p.split("==")[0]): p.split("==")[1] for p in line.split(", ")}
        assert hook_pins == core, "the hooks' pins are not requirements/core.lock's: run `make lock`"


def test_every_library_of_an_extra_names_the_extra_that_brings_it() -> None:
    from importlib.metadata import packages_distributions

    distributions = packages_distributions()
    for module, extra in EXTRA_OF_MODULE.items():
        declared = {canonicalize_name(r.name) for r in requirements(extra)}
        brought = {canonicalize_name(d) for d in distributions.get(module, [])}
        assert brought, f"{module} is installed by no distribution here"
        if not brought & declared:  # a library the extra brings through another (thinc under spacy)
            assert module in ("thinc", "htmldate", "justext"), f"{module} ({brought}) is not in the {extra} extra"
    for extra in PYPROJECT["project"]["optional-dependencies"]:
        if extra in ("all", "dev", "mutation"):
            continue
        for requirement in requirements(extra):
            modules = [m for m, ds in distributions.items()
                       if canonicalize_name(requirement.name) in {canonicalize_name(d) for d in ds}]
            assert any(m in EXTRA_OF_MODULE for m in modules), f"{requirement.name} of {extra} is in no EXTRA_OF_MODULE"
