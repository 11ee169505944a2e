"""newsgold's extras: which optional install brings which library, and the error for a missing one.

`pip install newsgold` is the core: validating, ingesting text and JSONL, `stats`, `show`, `diff`
and the JSONL export. Everything else is an extra named for its job (pyproject.toml lists them);
a command that needs one which is not installed fails with `MissingExtraError`, naming the extra
to install (the CLI exits 2 with that one line).
"""

from __future__ import annotations

from newsgold.errors import MissingExtraError

import importlib.util

__all__ = ["EXTRA_OF_MODULE", "LIBRARIES", "MissingExtraError", "missing_extra", "require"]

EXTRA_OF_MODULE: dict[str, str] = {
    "label_studio_sdk": "studio", "httpx": "studio", "ijson": "studio",
    "spacy": "spacy", "srsly": "spacy", "thinc": "spacy",
    "scipy": "agreement",
    "pycrfsuite": "suggest", "numpy": "suggest",
    "matplotlib": "report",
    "trafilatura": "web", "warcio": "web", "lxml_html_clean": "web", "htmldate": "web", "justext": "web",
}
"""The top-level module of each library an extra brings -> the extra (tests/test_dependencies.py
checks it against pyproject.toml)."""


LIBRARIES: dict[str, tuple[str, ...]] = {
    "studio": ("label_studio_sdk", "httpx", "ijson"),
    "spacy": ("spacy",),
    "agreement": ("scipy",),
    "suggest": ("spacy", "scipy", "pycrfsuite"),
    "report": ("matplotlib", "scipy"),
    "web": ("trafilatura", "warcio"),
}
"""The libraries each extra's work needs: `require` checks them before the work starts."""


def require(extra: str) -> None:
    """Raise MissingExtraError unless every library `extra` brings is installed, so that work that
    needs it fails before it starts, whatever its input."""
    for module in LIBRARIES[extra]:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a blocked or broken installation counts as absent
            found = False
        if not found:
            raise MissingExtraError(extra, module)


def missing_extra(error: ModuleNotFoundError) -> MissingExtraError | None:
    """The MissingExtraError for a failed import of a library of an extra, else None (a missing
    module of no extra is a broken install, not a choice)."""
    module = (error.name or "").partition(".")[0]
    extra = EXTRA_OF_MODULE.get(module)
    return MissingExtraError(extra, module) if extra is not None else None
