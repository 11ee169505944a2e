"""`import`: bring documents and annotations from a Label Studio JSON export or a brat folder.

The readers of the formats (`newsgold.formats.labelstudio.export_reader`,
`newsgold.formats.brat_folder`) turn the input into documents and candidate sets; this module is
the pipeline: documents are staged as at ingest, and every set goes through the corpus's one write
path (`newsgold.corpus.write`), which makes pseudonyms with the corpus's salt, remaps and proves
offsets, checks the scheme and de-duplicates: the same input imported twice, or an annotation
imported after a pull of it, is `unchanged`. Everything is written in one transaction, and only if
nothing was rejected (or the caller asked to skip what was, which then goes to a file of its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import orjson

from newsgold import _progress as progress
from newsgold.corpus.ingest import IngestResult, stage_documents
from newsgold.corpus.outcomes import Notice, Report, SetOutcome
from newsgold.corpus.outputs import check_output_file
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.corpus.write import CorpusWrite, corpus_write
from newsgold.errors import UsageError
from newsgold.formats.brat_folder import AnnotatorFrom, read_brat_folder
from newsgold.formats.labelstudio.export_reader import read_label_studio_export
from newsgold.formats.mapping import load_mapping, unmet_requirements
from newsgold.formats.scheme_files import SCHEME_PRESETS
from newsgold.formats.reading import Piece, ReadLog, Refused
from newsgold.schemas.annotation import annotator_id_problem
from newsgold.schemas.document import Document

__all__ = ["ImportReport", "RejectedItem", "import_brat", "import_label_studio"]

RejectedItem = Refused
"""A piece of the input an import could not store: where it was, why, and the piece itself."""


@dataclass
class ImportReport(Report):
    """What an import did with each set (`sets`: added, unchanged, rejected), with its documents,
    and what it could not store and why.

    `written` is False when the import stored nothing because something was rejected (the
    default, all-or-nothing); with `skip_invalid` the rest is stored and the rejected pieces are
    written to `rejected_path`.
    """

    documents: IngestResult = field(default_factory=IngestResult)
    sets: list[SetOutcome] = field(default_factory=list)
    rejected_items: list[Refused] = field(default_factory=list)
    """Every piece not stored, with the piece itself: refused by the reader or by the write path."""
    skipped: list[Notice] = field(default_factory=list)
    """What was left out on purpose: drafts, predictions not asked for, tasks the annotator skipped."""
    lost: list[Notice] = field(default_factory=list)
    """Each brat line not stored, accepted with `accept_loss`, by file and line."""
    dropped: dict[str, int] = field(default_factory=dict)
    """Spans a mapping chose not to store (labels mapped to null), by their label in the input."""
    normalized: list[Notice] = field(default_factory=list)
    """Everything stored other than written (brat fragments reordered or joined), by file and line."""
    written: bool = False
    rejected_path: Path | None = None

    @property
    def added_sets(self) -> list[SetOutcome]:
        """The sets stored new."""
        return [o for o in self.sets if o.status == "added"]

    @property
    def unchanged_sets(self) -> list[SetOutcome]:
        """The sets the corpus already held with the same content."""
        return [o for o in self.sets if o.status == "unchanged"]

    @property
    def rejected(self) -> list[str]:
        """One line per rejected piece: `where: reason`."""
        return [f"{r.where}: {r.reason}" for r in self.rejected_items]

    @property
    def ok(self) -> bool:
        """False when something could not be imported."""
        return not self.rejected_items


def import_label_studio(corpus: Corpus, path: Path, *, set_name: str | None = None, replace: bool = False,
                        skip_invalid: bool = False, rejected_path: Path | None = None) -> ImportReport:
    """Import the documents and annotations of a Label Studio JSON export (a list of tasks) at
    `path` into `corpus`, all or nothing.

    Annotators become pseudonyms with the corpus's salt, as in a pull (or the `newsgold_annotator`
    that newsgold's own export records). A task's predictions become sets named `set_name`
    (`NAME-2`, ... for its later ones) when it is given, and are reported in `skipped` otherwise,
    as drafts are. Every piece that cannot be stored (a task without text, an annotation whose
    regions cannot be proven or that breaks the scheme, a set that differs from one already in the
    corpus) is listed in `rejected_items`, and then nothing is written, unless `skip_invalid`: then
    the rest is stored and the rejected pieces, with their reasons, are written to `rejected_path`
    (default: `.newsgold/rejected/import-STEM-TIME.jsonl` in the corpus).
    """
    check_corpus(corpus)
    if set_name is not None and (problem := annotator_id_problem(set_name)) is not None:
        raise UsageError(f"set_name={problem}")
    path = Path(path)
    _check_rejected_path(corpus, rejected_path)
    log = ReadLog()
    pieces = read_label_studio_export(path, corpus.scheme, log, set_name)
    with corpus_write(corpus, "import") as write:
        return _import(write, pieces, log, "label-studio", replace, skip_invalid,
                       rejected_path or _default_rejected_path(corpus, path))


def import_brat(corpus: Corpus, path: Path, *, set_name: str = "brat", set_from: AnnotatorFrom | None = None,
                texts: Path | None = None, mapping: str | Path | None = None, accept_loss: bool = False,
                replace: bool = False, skip_invalid: bool = False,
                rejected_path: Path | None = None) -> ImportReport:
    """Import a brat folder at `path` into `corpus`, all or nothing.

    Every .ann file below `path`, recursively, is one set, named `set_name` (its annotator id), or
    named by its folder (`set_from="folder"`, as newsgold's `annotations` export writes them) or its name
    (`"filename"`: `ARTICLE_ANNOTATOR.ann`) gives; its text is `ARTICLE.txt` beside it or anywhere
    below `texts`; document stance comes from the nearest `document-stance.jsonl`. `mapping` (a
    file or a preset such as `polnear`) renames labels, relations and attributes and turns events
    into relations. Equivalences (`*` lines) become relations, one between each member and the next,
    when the scheme declares their (mapped) type. An .ann line that still cannot be stored (an
    unmapped event, a note, a normalization, an equivalence the scheme lacks) rejects its file,
    unless `accept_loss`: then the rest is stored and the lines are listed in `lost`. A
    discontinuous span keeps its fragments; fragments written out of order, or with only
    whitespace between them (joined), are listed in `normalized` with file and line. `dropped`
    counts the spans the mapping leaves out, by their label. Rejections, `skip_invalid` and
    `rejected_path` work as in `import_label_studio`.
    """
    check_corpus(corpus)
    if (problem := annotator_id_problem(set_name)) is not None:
        raise UsageError(f"set_name={problem}")
    if set_from not in (None, "folder", "filename"):
        raise UsageError(f"set_from={set_from!r} is not one of: folder, filename")
    path = Path(path)
    _check_rejected_path(corpus, rejected_path)
    loaded = load_mapping(mapping) if mapping is not None else None
    unmet = unmet_requirements(loaded, corpus.scheme, str(mapping)) if loaded is not None else []
    if unmet:
        preset = str(mapping) if str(mapping) in SCHEME_PRESETS else None  # a mapping preset ships its scheme
        presets = f" (the scheme preset {preset}, `newsgold init --scheme {preset}`)" if preset else ""
        raise UsageError(f"{'; '.join(unmet)}. Nothing was imported: import into a corpus whose scheme does "
                         f"not require it{presets}, or map an attribute of the brat files to it")
    log = ReadLog()
    pieces = read_brat_folder(path, set_name, log, annotator_from=set_from, texts=texts, mapping=loaded,
                              accept_loss=accept_loss, relation_types=set(corpus.scheme.relation_types))
    with corpus_write(corpus, "import") as write:
        return _import(write, pieces, log, "brat", replace, skip_invalid,
                       rejected_path or _default_rejected_path(corpus, path))


def _check_rejected_path(corpus: Corpus, rejected_path: Path | None) -> None:
    if rejected_path is not None:
        check_output_file(corpus, rejected_path, parameter="rejected_path", kind="rejected")


def _import(write: CorpusWrite, pieces: Iterator[Piece], log: ReadLog, import_format: str, replace: bool,
            skip_invalid: bool, rejected_path: Path) -> ImportReport:
    report = ImportReport()
    with progress.task(f"import {import_format}") as bar:
        def documents() -> Iterator[Document]:
            """The documents of the input, in order; their sets go through the write path meanwhile."""
            for document, candidates in pieces:
                bar.advance()
                for candidate in candidates:
                    outcome = write.sets.offer(candidate, "reject")
                    report.sets.append(outcome)
                    if outcome.status == "rejected":
                        log.refuse(candidate.where, outcome.message, candidate.item)
                if document is not None:
                    yield document

        documents_staged = stage_documents(write.corpus, documents(), write.txn, replace=replace, operation="import")
    report.rejected_items, report.skipped, report.lost, report.normalized = (
        log.refused, log.skipped, log.lost, log.normalized)
    report.dropped = dict(sorted(log.dropped.items()))
    if report.rejected_items and not skip_invalid:
        write.abandon()
        report.sets = [o for o in report.sets if o.status != "added"]  # nothing was stored
        return report
    report.documents = documents_staged
    if report.rejected_items:
        report.rejected_path = rejected_path
        write.txn.write_lines(rejected_path, (
            orjson.dumps({"where": r.where, "reason": r.reason, "item": r.item}) + b"\n"
            for r in report.rejected_items))
    report.written = True
    return report


def _default_rejected_path(corpus: Corpus, source: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return corpus.state_dir / "rejected" / f"import-{source.stem or 'input'}-{stamp}.jsonl"
