"""Refresh the sample records of docs/formats.md from the committed exports (exports/).

A sample is the block between `<!-- sample: FILE LINES -->` and `<!-- /sample -->`: FILE is a path
under exports/, LINES one line number (with `lists=N`, lists are cut after N items) (a JSON record, shortened: long strings and lists are cut with
`…`) or a range `A-B` (lines copied as they are). tests/test_docs_samples.py fails when a sample
differs from what this script writes. Usage: python scripts/format_samples.py [docs/formats.md]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"(<!-- sample: (\S+) (\d+(?:-\d+)?)(?: lists=(\d+))? -->\n)(.*?)(<!-- /sample -->)", re.S)
LONGEST_STRING = 90
LONGEST_LIST = 8


def shorten(value: Any, longest_list: int = LONGEST_LIST) -> Any:
    """`value` with strings over LONGEST_STRING characters and lists over `longest_list` items cut."""
    if isinstance(value, str):
        return value if len(value) <= LONGEST_STRING else value[:LONGEST_STRING - 1] + "…"
    if isinstance(value, list):
        items = [shorten(v, longest_list) for v in value[:longest_list]]
        return items + ["…"] if len(value) > longest_list else items
    if isinstance(value, dict):
        return {k: shorten(v, longest_list) for k, v in value.items()}
    return value


def sample(path: str, lines: str, exports: Path, longest_list: int = LONGEST_LIST) -> str:
    """The fenced block of a sample."""
    content = (exports / path).read_text(encoding="utf-8").splitlines()
    if "-" in lines:
        first, last = (int(n) for n in lines.split("-"))
        return "```\n" + "\n".join(content[first - 1:last]) + "\n```\n"
    record = json.loads(content[int(lines) - 1])
    return "```json\n" + json.dumps(shorten(record, longest_list), ensure_ascii=False) + "\n```\n"


def refresh(text: str, exports: Path = REPO / "exports") -> str:
    """`text` with every sample block rewritten from `exports`."""
    return MARKER.sub(lambda m: m.group(1) + sample(m.group(2), m.group(3), exports, int(m.group(4) or LONGEST_LIST))
                      + m.group(6), text)


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "formats.md"
    target.write_text(refresh(target.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
