"""Text normalization at ingest (BOM dropped, CRLF and CR -> LF) and the offset map it implies."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

__all__ = ["NormalizedText", "normalize_text", "decode_utf8"]


@dataclass(frozen=True)
class NormalizedText:
    """A normalized text and where ingest dropped characters of the raw text."""

    text: str
    bom: bool
    dropped_cr: tuple[int, ...]
    """Raw code point offsets of each CR dropped from a CRLF pair."""

    @property
    def changed(self) -> bool:
        """True when ingest dropped characters (lone CRs become LFs in place: no shift)."""
        return self.bom or bool(self.dropped_cr)

    def to_stored(self, raw_offset: int) -> int:
        """Map a code point offset into the raw text onto the stored text."""
        shift = 1 if self.bom and raw_offset > 0 else 0
        return raw_offset - shift - bisect_right(self.dropped_cr, raw_offset - 1)

    def maps_cleanly(self, raw_start: int, raw_end: int) -> bool:
        """True if raw [start, end) maps onto a non-empty stored span without splitting a CRLF."""
        splits = (raw_start - 1 in self._cr_set) or (raw_end - 1 in self._cr_set)
        return not splits and self.to_stored(raw_end) > self.to_stored(raw_start)

    @property
    def _cr_set(self) -> frozenset[int]:
        return frozenset(self.dropped_cr)


def normalize_text(raw: str) -> NormalizedText:
    """Drop a leading BOM and turn CRLF and lone CR into LF; record what was dropped."""
    dropped: list[int] = []
    position = raw.find("\r\n")
    while position != -1:
        dropped.append(position)
        position = raw.find("\r\n", position + 2)
    bom = raw.startswith("\ufeff")
    text = raw[1:] if bom else raw
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return NormalizedText(text=text, bom=bom, dropped_cr=tuple(dropped))


def decode_utf8(content: bytes, source: str) -> str:
    """Decode UTF-8 strictly; raise UnreadableInputError naming `source` and the bad byte."""
    from newsgold.errors import UnreadableInputError

    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        raise UnreadableInputError(
            f"{source}: not valid UTF-8 (byte 0x{content[exc.start]:02x} at offset {exc.start}, "
            f"line {line}); convert it first, e.g. `iconv -f windows-1252 -t utf-8`"
        ) from None
