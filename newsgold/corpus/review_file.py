"""`review.jsonl`, where `adjudicate` lists the items it left undecided: where it is and how it reads.

`adjudicate` writes it; `studio review` and `report` read it, each deciding what a line that is no
item means to it (an error, or a line the report names).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from newsgold.corpus.store import Corpus

__all__ = ["iter_review_items", "review_path"]


def review_path(corpus: Corpus) -> Path:
    """Where `adjudicate` writes its review file by default: `review.jsonl` in the corpus folder."""
    return corpus.root / "review.jsonl"


def iter_review_items(path: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line number, item) of every non-blank line of the review file at `path`, in order, streamed;
    the item is None for a line that is not an item: not a JSON object with a string `doc_id`, or
    whose `kind`, `item` or `votes` (each value a list of annotator ids) is of another type."""
    with open(path, "rb") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError:
                yield number, None
                continue
            yield number, item if _is_item(item) else None


def _is_item(item: Any) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("doc_id"), str):
        return False
    votes = item.get("votes", {})
    return (isinstance(item.get("kind", ""), str) and isinstance(item.get("item", {}), dict)
            and isinstance(votes, dict)
            and all(isinstance(names, list) and all(isinstance(n, str) for n in names) for names in votes.values()))
