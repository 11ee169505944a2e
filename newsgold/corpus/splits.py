"""Deterministic train/dev/test splits by a hash of the document id.

A document keeps its split when the corpus grows: its split depends on its id alone.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping

from newsgold.errors import UsageError

__all__ = ["parse_split", "assign_split", "check_shares"]


def parse_split(spec: str) -> dict[str, float]:
    """Parse `train=0.8,dev=0.1,test=0.1` into ordered name -> share; shares must sum to 1."""
    shares: dict[str, float] = {}
    for part in spec.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        try:
            share = float(value)
        except ValueError:
            raise UsageError(f"split={spec!r}: {part!r} is not NAME=SHARE") from None
        if not name.isidentifier() or name in shares:
            raise UsageError(f"split={spec!r}: bad or repeated name in {part!r}; names are "
                             "identifiers such as train, dev, test")
        shares[name] = share
    return check_shares(shares, f"split={spec!r}")


def check_shares(shares: Mapping[str, float], where: str = "split") -> dict[str, float]:
    """Return `shares` if each is a number in [0, 1] and they add up to 1; else UsageError."""
    for name, share in shares.items():
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            raise UsageError(f"{where}: the share of {name} must be a number from 0 to 1, not "
                             f"{share!r}")
    if not shares or not math.isclose(math.fsum(shares.values()), 1.0, abs_tol=1e-9):
        raise UsageError(f"{where}: the shares must add up to 1")
    return dict(shares)


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
