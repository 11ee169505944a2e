"""The mutation score of each mutated module, from the last `mutmut run` (`make mutation`).

Score = killed / (killed + survived + no tests + timeout), per module; `mutmut show NAME` shows a
surviving mutant. Written for docs/development.md's table; run from the repository's root.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

MUTMUT = Path(sys.executable).parent / "mutmut"
LINE = re.compile(r"^\s*(\S+?)__mutmut_\d+: (.+)$")
DETECTED = {"killed"}
UNDETECTED = {"survived", "no tests", "timeout"}


def module_of(mutant: str) -> str:
    """`newsgold.corpus.write.sets.xǁSetWriterǁstore__mutmut_3` -> `newsgold/corpus/write/sets.py`."""
    dotted = re.split(r"\.x(?:ǁ|_)", mutant, maxsplit=1)[0]
    return dotted.replace(".", "/") + ".py" if not Path(dotted.replace(".", "/")).is_dir() else \
        dotted.replace(".", "/") + "/__init__.py"


def main() -> None:
    listed = subprocess.run([str(MUTMUT), "results", "--all", "true"], capture_output=True, text=True, check=True)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in listed.stdout.splitlines():
        found = LINE.match(line)
        if found:
            counts[module_of(found.group(1))][found.group(2).strip()] += 1
    print("| module | mutants | killed | survived | no tests | score |")
    print("| --- | --- | --- | --- | --- | --- |")
    total: Counter[str] = Counter()
    for module, count in sorted(counts.items()):
        total.update(count)
        print(_row(module, count))
    print(_row("all", total))


def _row(name: str, count: Counter[str]) -> str:
    scored = sum(count[s] for s in DETECTED | UNDETECTED)
    score = f"{count['killed'] / scored:.0%}" if scored else "—"
    return (f"| `{name}` | {sum(count.values())} | {count['killed']} | {count['survived'] + count['timeout']} | "
            f"{count['no tests']} | {score} |")


if __name__ == "__main__":
    main()
