"""The package's floors: no import runs upward, and siblings on one floor do not import each other.

Floors, bottom to top: the ground floor (errors, the rule catalogue, file I/O, parallel ranges),
schemas, corpus, formats, then the operations (studio, curation, exchange), then suggestions (which
score themselves with curation's span matching), then the CLI, and the console script's entry on
top. A module may import its own package and anything on a lower floor.
"""

from __future__ import annotations

import ast
from pathlib import Path


PACKAGE = Path(__file__).resolve().parents[1] / "newsgold"

FLOORS: dict[str, float] = {
    "newsgold": 0, "newsgold.errors": 0, "newsgold.rules": 0, "newsgold.extras": 0.2,
    "newsgold._progress": 0.3, "newsgold._io": 0.5, "newsgold._parallel": 0.7,
    "newsgold.schemas": 1,
    "newsgold.corpus": 2,
    "newsgold.formats": 3,
    "newsgold.studio": 4, "newsgold.curation": 4, "newsgold.exchange": 4,
    "newsgold.suggest": 4.5,
    "newsgold.report": 4.7,
    "newsgold.cli": 5,
    "newsgold._entry": 5.5, "newsgold.__main__": 6,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _room(module: str) -> str:
    """The floor entry a module belongs to: its longest prefix in FLOORS."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in FLOORS:
            return ".".join(parts[:n])
    raise AssertionError(f"{module} is on no floor: add it to FLOORS")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "newsgold" or name.startswith("newsgold.")}


def _arrows() -> list[tuple[str, str]]:
    return [(_module_name(path), target) for path in sorted(PACKAGE.rglob("*.py")) for target in _imports(path)]


def test_every_module_is_on_a_floor() -> None:
    for path in PACKAGE.rglob("*.py"):
        _room(_module_name(path))


def _wrong(arrows: list[tuple[str, str]]) -> list[str]:
    wrong = []
    for source, target in arrows:
        here, there = _room(source), _room(target)
        if here == there or target == "newsgold":
            continue
        if FLOORS[there] >= FLOORS[here]:
            wrong.append(f"{source} -> {target} (floor {FLOORS[here]} -> {FLOORS[there]})")
    return wrong


def test_no_import_runs_upward_or_sideways() -> None:
    wrong = _wrong(_arrows())
    assert not wrong, "imports that run upward or sideways:\n" + "\n".join(wrong)


def test_the_checker_flags_upward_and_sideways_arrows() -> None:
    assert _wrong([("newsgold.corpus.store", "newsgold.formats.brat")])
    assert _wrong([("newsgold.studio.pull", "newsgold.curation.adjudicate")])
    assert _wrong([("newsgold.schemas.reference", "newsgold.corpus.rules")])
    assert not _wrong([("newsgold.exchange.imports", "newsgold.formats.brat"),
                       ("newsgold.formats.labelstudio.convert", "newsgold.formats.labelstudio.offsets")])
    assert len(_arrows()) > 100
