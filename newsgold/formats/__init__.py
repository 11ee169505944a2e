"""Interchange formats, one module each (reading and writing): jsonl, quotes, stance, CoNLL,
Hugging Face (entities and attribution), spaCy, brat, Label Studio; and the tokenizer the
token formats share.

`FORMATS` maps every export format name to its writer."""

from newsgold.formats.attribution import AttributionConllFormat, AttributionHfFormat
from newsgold.formats.base import ExportFormat, ItemsFormat, LineFormat, Written
from newsgold.formats.brat import BratFormat
from newsgold.formats.jsonl import JsonlFormat
from newsgold.formats.labelstudio.writer import LabelStudioFormat
from newsgold.formats.ner import ConllFormat, HuggingFaceNerFormat
from newsgold.formats.quotes import QuotesFormat
from newsgold.formats.spacy_docbin import SpacyFormat
from newsgold.formats.stance import StanceFormat

FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (JsonlFormat(), QuotesFormat(), StanceFormat(), ConllFormat(), HuggingFaceNerFormat(),
              AttributionHfFormat(), AttributionConllFormat(), SpacyFormat(), BratFormat(), LabelStudioFormat())
}
"""Format name -> format, in the order `docs/formats.md` describes them."""

__all__ = ["FORMATS", "ExportFormat", "ItemsFormat", "LineFormat", "Written"]
