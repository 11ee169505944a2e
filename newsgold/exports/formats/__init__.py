"""The export formats, by name."""

from newsgold.exports.formats.base import ExportFormat, ItemsFormat, LineFormat, Written
from newsgold.exports.formats.brat import BratFormat
from newsgold.exports.formats.jsonl import JsonlFormat
from newsgold.exports.formats.labelstudio import LabelStudioFormat
from newsgold.exports.formats.ner import ConllFormat, HuggingFaceNerFormat
from newsgold.exports.formats.quotes import QuotesFormat
from newsgold.exports.formats.spacy_docbin import SpacyFormat
from newsgold.exports.formats.stance import StanceFormat

FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (JsonlFormat(), QuotesFormat(), StanceFormat(), ConllFormat(), HuggingFaceNerFormat(),
              SpacyFormat(), BratFormat(), LabelStudioFormat())
}
"""Format name -> format, in the order `docs/formats.md` describes them."""

__all__ = ["FORMATS", "ExportFormat", "ItemsFormat", "LineFormat", "Written"]
