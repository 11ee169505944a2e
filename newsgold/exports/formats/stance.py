"""`stance`: one (text, target, claim, stance) pair per line, from quotes and from documents."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsgold.exports.formats.base import LineFiles, Written
from newsgold.exports.items import ExportItem
from newsgold.schemas.scheme import Scheme


class StanceFormat:
    """Stance detection pairs."""

    name = "stance"
    version = "1"
    description = "one (text, target id, target claim, stance) pair per line, from quotes and documents"

    def write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        claims = {t.id: t.claim for t in scheme.stance.targets} if scheme.stance else {}
        files = LineFiles(folder, base, "jsonl")
        for item in items:
            extra = {"annotator": item.annotator} if item.annotator is not None else {}
            for span in item.annotations.spans:
                for target, value in span.stance.items():
                    files.write_json(item.split, {
                        "doc_id": item.document.id, "level": "quote", "quote_id": span.id,
                        "text": span.text, "target": target, "claim": claims.get(target),
                        "stance": value, **extra})
            for target, value in item.annotations.stance.items():
                files.write_json(item.split, {
                    "doc_id": item.document.id, "level": "document", "quote_id": None,
                    "text": item.document.text, "target": target, "claim": claims.get(target),
                    "stance": value, **extra})
        return files.close()
