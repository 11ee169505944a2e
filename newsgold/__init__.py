"""newsgold: annotation and corpus management for news attribution and stance.

Subpackages, in floors: `schemas` (record models), `corpus` (read, validate, and the one write path of
sets and gold), `formats` (one module per interchange format), `studio` (Label Studio sync),
`curation` (agreement, adjudication), `exchange` (import, export), `suggest` (suggestions), `cli`
(the `newsgold` command).
"""

from typing import Any

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    """`__version__`, read from the installed metadata when first asked for (importlib.metadata
    costs a few tens of milliseconds that a command's start need not pay)."""
    if name != "__version__":
        raise AttributeError(f"module 'newsgold' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("newsgold")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        found = "0.0.0"
    globals()["__version__"] = found
    return found
