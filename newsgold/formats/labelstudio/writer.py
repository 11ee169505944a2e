"""`label-studio`: tasks with annotations in Label Studio's JSON import format."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import orjson

from newsgold._io import write_file
from newsgold.formats.base import Written
from newsgold.formats.item import ExportItem
from newsgold.formats.labelstudio.convert import document_task, set_to_results
from newsgold.schemas.scheme import Scheme


class LabelStudioFormat:
    """A JSON list of tasks per split, each with its annotation (gold marked ground truth)."""

    name = "label-studio"
    roles_needed: tuple[str, ...] = ()
    needs_modules: tuple[str, ...] = ()
    version = "1"
    description = "Label Studio JSON import: tasks with data (text, doc_id, doc_sha256) and annotations"

    def write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        tasks: dict[str, list[bytes]] = {}
        discontinuous = 0
        for item in items:
            discontinuous += sum(1 for span in item.annotations.spans if span.fragments)
            annotation = {"result": set_to_results(item.annotations, scheme, item.document.text),
                          "ground_truth": item.annotator is None}
            if item.annotator is not None:
                annotation["meta"] = {"newsgold_annotator": item.annotator}
            task = {"data": document_task(item.document), "annotations": [annotation]}
            tasks.setdefault(item.split, []).append(orjson.dumps(task))
        # Label Studio has no discontinuous regions: such a span is one region per fragment, joined by
        # `continues` relations (what an annotator draws, and what import and pull read back).
        written = Written(details={"discontinuous_spans": discontinuous})
        for split, encoded in tasks.items():
            name = f"{base if split == 'all' else split}.json"
            write_file(folder / name, b"[\n" + b",\n".join(encoded) + b"\n]\n")
            written.files[name] = (len(encoded), split)
        return written
