"""`newsgold report`: one self-contained HTML page of the corpus, the team, agreement, disputes and
suggestions (see `page`), built from the library's own results (`data`), charts by matplotlib."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsgold._io import atomic_write_bytes
from newsgold.corpus.outcomes import Report
from newsgold.corpus.outputs import check_output_file, keep_beside
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.errors import UsageError
from newsgold.extras import require

__all__ = ["ReportWritten", "write_report"]


@dataclass
class ReportWritten(Report):
    """Where the report went and what it holds."""

    path: Path
    bytes: int
    documents: int
    annotators: int
    disputes: int
    suggestion_sets: list[str]
    replaced_file: Path | None = None
    """Where the file at `out` that no report wrote, which `replace` let go, is kept."""


def write_report(corpus: Corpus, out: Path, *, replace: bool = False) -> ReportWritten:
    """Write the report of `corpus` to the file `out` (its folder must exist), replacing atomically a
    report newsgold wrote there before; any other file there only with `replace`. Raises UsageError
    when `out` is a folder, a link, a pipe or device, or inside the corpus (the corpus holds data,
    not views of it), or holds a file no report wrote without `replace`; MissingExtraError without
    the `report` extra."""
    require("report")
    import newsgold
    from newsgold.report.data import gather
    from newsgold.report.page import render

    check_corpus(corpus)
    out = Path(out)
    keep = check_output_file(None, out, parameter="out", kind="report", replace=replace)
    if not out.parent.is_dir():
        raise UsageError(f"out={out}: its folder {out.parent} does not exist")
    if out.resolve().is_relative_to(corpus.root.resolve()):
        raise UsageError(f"out={out} is inside the corpus: write the report elsewhere (it is made from the corpus)")
    data = gather(corpus)
    content = render(data, newsgold.__version__).encode("utf-8")
    kept = keep_beside(out) if keep else None
    try:
        atomic_write_bytes(out, content)
    except BaseException:
        if kept is not None:
            kept.unlink(missing_ok=True)
        raise
    return ReportWritten(path=out, bytes=len(content), documents=data.stats["documents"],
                         annotators=len(data.stats["annotators"]), disputes=len(data.disputes),
                         suggestion_sets=sorted(data.suggestions), replaced_file=kept)
