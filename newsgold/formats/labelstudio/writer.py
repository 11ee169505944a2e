"""`label-studio`: tasks with annotations in Label Studio's JSON import format."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

import orjson

from newsgold._io import create_file
from newsgold.formats.base import Written
from newsgold.formats.item import ExportItem
from newsgold.formats.labelstudio.convert import document_task, note_result, set_to_results
from newsgold.schemas.scheme import Scheme


class LabelStudioFormat:
    """A JSON list of tasks per split, each with its annotation (gold marked ground truth)."""

    name = "label-studio"
    roles_needed: tuple[str, ...] = ()
    needs_modules: tuple[str, ...] = ()
    version = "1"
    description = "Label Studio JSON import: tasks with data (text, doc_id, doc_sha256) and annotations"

    def write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        """Write each split's JSON array as the items come: memory holds one task, not the export."""
        files: dict[str, tuple[IO[bytes], str]] = {}
        counts: dict[str, int] = {}
        discontinuous = 0
        try:
            for item in items:
                discontinuous += sum(1 for span in item.annotations.spans if span.fragments)
                results = set_to_results(item.annotations, scheme, item.document.text)
                annotation: dict[str, object] = {"result": results, "ground_truth": item.annotator is None}
                if item.annotator is not None:
                    annotation["meta"] = {"newsgold_annotator": item.annotator}
                    note = note_result(getattr(item.annotations, "comments", None) or [], item.annotator)
                    if note is not None:  # the set's comments, so that an import gets them back
                        results.append(note)
                task = {"data": document_task(item.document), "annotations": [annotation]}
                if item.split not in files:
                    name = f"{base if item.split == 'all' else item.split}.json"
                    files[item.split] = (create_file(folder / name), name)
                    files[item.split][0].write(b"[\n")
                    counts[item.split] = 0
                handle = files[item.split][0]
                handle.write((b",\n" if counts[item.split] else b"") + orjson.dumps(task))
                counts[item.split] += 1
        except BaseException:
            for handle, _ in files.values():
                handle.close()
            raise
        # Label Studio has no discontinuous regions: such a span is one region per fragment, joined by
        # `continues` relations (what an annotator draws, and what import and pull read back).
        written = Written(details={"discontinuous_spans": discontinuous})
        for split, (handle, name) in files.items():
            with handle:
                handle.write(b"\n]\n")
            written.files[name] = (counts[split], split)
        return written
