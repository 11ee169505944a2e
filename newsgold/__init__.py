"""newsgold: annotation and corpus management for news attribution and stance.

Subpackages, in floors: `schemas` (record models), `corpus` (read, validate, and the one write path of
sets and gold), `formats` (one module per interchange format), `studio` (Label Studio sync),
`curation` (agreement, adjudication), `exchange` (import, export), `suggest` (suggestions), `cli`
(the `newsgold` command).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsgold")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
