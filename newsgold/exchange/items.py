"""What an export reads: each gold (or annotation) set joined with its document and its split."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from newsgold._parallel import ByteRange, RangeLines, byte_ranges, line_in_file
from newsgold.corpus.splits import assign_split
from newsgold._io import regular_file
from newsgold.corpus.checks import check_set
from newsgold.corpus.problems import Problem, finding_problem, parse_record, problem_error
from newsgold.corpus.store import Corpus, DocumentIndex, DocumentReader, Source
from newsgold.schemas.scheme import Scheme
from newsgold.schemas.annotation import AnnotationSet, GoldSet
from newsgold.schemas.document import Document
from newsgold.formats.item import ExportItem

__all__ = ["ExportItem", "Source", "iter_items", "iter_range_items"]



def iter_items(corpus: Corpus, source: Source = "gold", shares: Mapping[str, float] | None = None,
               index: DocumentIndex | None = None, *, skip_stale: bool = False) -> Iterator[ExportItem]:
    """Stream the sets of `source` with their documents, each checked as `validate` checks it.

    Raises InvalidRecordError at the first set that breaks a rule (model, unknown document,
    offsets, labels, ...). A set made on a text that has changed since is such an error
    (NG207) unless `skip_stale`, which leaves it out. The split is `all` without `shares`.
    Reads each document by one positioned read of its line, through `index` (built here when
    not given).
    """
    index = index if index is not None else corpus.document_index()
    path = corpus.source_path(source)
    if not regular_file(path):
        return
    for byte_range in byte_ranges(path):
        yield from iter_range_items(index, byte_range, source, shares, corpus.scheme,
                                    skip_stale=skip_stale)


def iter_range_items(index: DocumentIndex, byte_range: ByteRange, source: Source,
                     shares: Mapping[str, float] | None, scheme: Scheme, *,
                     skip_stale: bool = False) -> Iterator[ExportItem]:
    """The items of the sets in one byte range of the `source` file (see `iter_items`)."""
    gold = source == "gold"
    model: type[GoldSet] | type[AnnotationSet] = GoldSet if gold else AnnotationSet
    cached: Document | None = None
    file = str(byte_range.path)
    with DocumentReader(index) as documents:
        for number, _, raw in RangeLines(byte_range):
            # The file line number costs a read of the file up to the range: only an error needs it.
            annotation_set = parse_record(model, raw, byte_range.path,
                                          functools.partial(line_in_file, byte_range, number))
            doc_id = annotation_set.doc_id
            record = doc_id if gold else f"{doc_id}/{annotation_set.annotator}"  # type: ignore[union-attr]
            ordinal = index.find(doc_id)
            if ordinal is None:
                raise problem_error(Problem("NG206", file, line_in_file(byte_range, number), record,
                                            "doc_id", f"no document {doc_id} in the corpus"))
            stored = index.sha256_at(ordinal)
            if stored != annotation_set.doc_sha256:
                if skip_stale:
                    continue
                raise problem_error(Problem(
                    "NG207", file, line_in_file(byte_range, number), record, "doc_sha256",
                    f"made on text {annotation_set.doc_sha256[:12]}…, but document {doc_id} now "
                    f"has text {stored[:12]}… (skip_stale=True leaves such sets out of the export)"))
            if cached is None or cached.id != doc_id:
                cached = documents.document_at(ordinal, doc_id)
            findings = check_set(annotation_set, cached.text, scheme, gold=gold)
            if findings:
                raise problem_error(finding_problem(findings[0], file, line_in_file(byte_range, number), record))
            split = assign_split(cached.id, shares) if shares else "all"
            yield ExportItem(cached, annotation_set, split)
