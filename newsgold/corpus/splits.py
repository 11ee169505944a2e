"""Deterministic train/dev/test splits by a hash of the document id.

A document keeps its split when the corpus grows: its split depends on its id alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from newsgold.errors import UsageError

__all__ = ["parse_split", "assign_split"]


def parse_split(spec: str) -> dict[str, float]:
    """Parse `train=0.8,dev=0.1,test=0.1` into ordered name -> share; shares must sum to 1."""
    shares: dict[str, float] = {}
    for part in spec.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        try:
            share = float(value)
        except ValueError:
            raise UsageError(f"--split {spec!r}: {part!r} is not NAME=SHARE") from None
        if not name.isidentifier() or share < 0 or name in shares:
            raise UsageError(f"--split {spec!r}: bad or repeated part {part!r}")
        shares[name] = share
    if not shares or abs(sum(shares.values()) - 1.0) > 1e-9:
        raise UsageError(f"--split {spec!r}: the shares must add up to 1")
    return shares


def assign_split(doc_id: str, shares: Mapping[str, float]) -> str:
    """The split of a document: its id's sha256, read as a number in [0, 1), against the shares."""
    point = int.from_bytes(hashlib.sha256(doc_id.encode("utf-8")).digest()[:8], "big") / 2**64
    cumulative = 0.0
    name = ""
    for name, share in shares.items():
        cumulative += share
        if point < cumulative:
            return name
    return name
