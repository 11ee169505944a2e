"""Warnings for import paths that moved (kept working for one release)."""

from __future__ import annotations

import warnings

__all__ = ["moved"]


def moved(old: str, new: str) -> None:
    """Warn (DeprecationWarning, at the importer's line) that module `old` is now `new`."""
    warnings.warn(f"{old} moved to {new}; the old path will be removed in the next release",
                  DeprecationWarning, stacklevel=3)
