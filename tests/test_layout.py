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


def _modules() -> set[str]:
    return {_module_name(path) for path in PACKAGE.rglob("*.py")}


def _imports(path: Path, modules: set[str] | None = None) -> set[str]:
    """Every newsgold module `path` imports: absolute and relative imports, `from newsgold import X`
    (the module X, when X is one), and the string an `importlib.import_module(...)` call names."""
    modules = _modules() if modules is None else modules
    me = _module_name(path)
    package = me.split(".") if path.name == "__init__.py" else me.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            submodules = {f"{module}.{alias.name}" for alias in node.names} & modules
            found.update(submodules)
            if len(submodules) < len(node.names):  # names defined by the module itself
                found.add(module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif (isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))
              and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "import_module"):
            found.update(arg.value.partition(":")[0] for arg in node.args
                         if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return {name for name in found if name == "newsgold" or name.startswith("newsgold.")}


def _arrows() -> list[tuple[str, str]]:
    modules = _modules()
    return [(_module_name(path), target) for path in sorted(PACKAGE.rglob("*.py"))
            for target in _imports(path, modules)]


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


def _cycles(arrows: list[tuple[str, str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a loop (Tarjan's strongly
    connected components), inside a floor as between floors."""
    graph: dict[str, set[str]] = {}
    for source, target in arrows:
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_modules_import_each_other() -> None:
    cycles = _cycles([(s, t) for s, t in _arrows() if t != "newsgold"])
    assert not cycles, f"modules that import each other: {cycles}"


def test_the_checker_sees_every_form_of_import(tmp_path: Path) -> None:
    """Relative imports, `from newsgold import X`, importlib strings and a loop inside one floor:
    each planted once in a module of the corpus floor, each found (issue 42, item 3)."""
    planted = PACKAGE / "corpus" / "_planted_for_test.py"
    forms = {
        "from ..formats import brat\n": "newsgold.formats.brat",
        "from newsgold import suggest\n": "newsgold.suggest",
        "import importlib\nimportlib.import_module('newsgold.cli.studio')\n": "newsgold.cli.studio",
        "from .write import gold\n": "newsgold.corpus.write.gold",
    }
    try:
        for code, target in forms.items():
            planted.write_text(code)
            assert target in _imports(planted), code
        planted.write_text("from . import _planted_loop_for_test\n")
        (PACKAGE / "corpus" / "_planted_loop_for_test.py").write_text("from newsgold.corpus import _planted_for_test\n")
        assert ["newsgold.corpus._planted_for_test", "newsgold.corpus._planted_loop_for_test"] in _cycles(_arrows())
    finally:
        planted.unlink(missing_ok=True)
        (PACKAGE / "corpus" / "_planted_loop_for_test.py").unlink(missing_ok=True)
    assert _wrong([("newsgold.corpus._planted_for_test", "newsgold.formats.brat")])
    assert _wrong([("newsgold.corpus._planted_for_test", "newsgold.suggest")])


PRINTS_ON_PURPOSE = {
    "newsgold/_entry.py": "the console script's own interrupt line, before any command is loaded",
    "newsgold/schemas/reference.py": "`python -m newsgold.schemas.reference`, a script that says what it wrote",
}
"""Library modules that may print, and why; the CLI (newsgold/cli) prints what the library returns."""


def test_the_library_never_prints() -> None:
    """print() and writes to sys.stdout/sys.stderr live in the CLI: the library returns data, and
    says what is under way through newsgold._progress (issue 42, item 2: lock.py printed)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = str(path.relative_to(PACKAGE.parent))
        if name.startswith("newsgold/cli/") or name in PRINTS_ON_PURPOSE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            if isinstance(function, ast.Name) and function.id == "print":
                found.append(f"{name}:{node.lineno} print()")
            elif (isinstance(function, ast.Attribute) and function.attr in ("write", "writelines")
                  and isinstance(function.value, ast.Attribute) and function.value.attr in ("stdout", "stderr")):
                found.append(f"{name}:{node.lineno} sys.{function.value.attr}.{function.attr}()")
    assert not found, found
