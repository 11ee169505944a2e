"""Which text a Label Studio region covers: code point and UTF-16 readings, display normalization.

Label Studio 1.23's web UI counts offsets in Unicode code points (Python indices), but writes
`value.text` as displayed: each CR and LF becomes the two characters backslash and `n`, and a run of
spaces or tabs becomes one space (see tests/data/label-studio-ui/README.md). Exports from other
setups may count UTF-16 code units. A region is accepted only under a reading whose covered text,
display-normalized, equals its display-normalized `value.text`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

__all__ = ["display_text", "RegionReading", "read_region", "Utf16Map"]

_SPACES = re.compile(r"[ \t]+")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def display_text(text: str) -> str:
    """The text as Label Studio's UI writes it into `value.text`."""
    if "\r" in text or "\n" in text:
        text = text.replace("\r", "\\n").replace("\n", "\\n")
    return _SPACES.sub(" ", text)


class Utf16Map:
    """Converts UTF-16 code unit offsets of one text into code point offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []

    @property
    def differs(self) -> bool:
        """True if the two counts differ anywhere in this text."""
        return bool(self._astral)

    def to_code_points(self, units: int) -> int | None:
        """The code point offset at UTF-16 offset `units`, or None if it splits a surrogate pair."""
        # Code point i sits at unit i + (astral characters before i).
        lo, hi = 0, len(self.text)
        while lo <= hi:
            mid = (lo + hi) // 2
            at = mid + bisect_right(self._astral, mid - 1)
            if at == units:
                return mid
            if at < units:
                lo = mid + 1
            else:
                hi = mid - 1
        return None

    def to_units(self, code_points: int) -> int:
        """The UTF-16 offset of code point offset `code_points`."""
        return code_points + bisect_right(self._astral, code_points - 1)


@dataclass(frozen=True)
class RegionReading:
    """The code point offsets a region covers, and how they were read."""

    start: int
    end: int
    counting: str  # "code-points" or "utf-16"


def read_region(text: str, start: int, end: int, shown: str | None,
                utf16: Utf16Map | None = None) -> RegionReading | None:
    """Return the reading under which [start, end) of `text` shows `shown`, or None.

    Code points are tried first, then UTF-16 code units. A region without `shown` text (optional in
    Label Studio's import format) is read in code points when the text has no character outside
    the Basic Multilingual Plane, where both countings agree; otherwise it cannot be proven: None.
    """
    if not (0 <= start < end):
        return None
    if shown is None:
        plain = not (utf16 or Utf16Map(text)).differs
        return RegionReading(start, end, "code-points") if plain and end <= len(text) else None
    expected = display_text(shown)
    if end <= len(text) and display_text(text[start:end]) == expected:
        return RegionReading(start, end, "code-points")
    utf16 = utf16 or Utf16Map(text)
    if utf16.differs:
        cp_start, cp_end = utf16.to_code_points(start), utf16.to_code_points(end)
        if cp_start is not None and cp_end is not None and cp_start < cp_end <= len(text):
            if display_text(text[cp_start:cp_end]) == expected:
                return RegionReading(cp_start, cp_end, "utf-16")
    return None
