"""newsgold: annotation and corpus management for news attribution and stance.

Subpackages: `schemas` (record models), `corpus` (read, write, validate), `labelstudio` (sync),
`exports` (agreement, adjudication, export formats), `cli` (the `newsgold` command).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsgold")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
