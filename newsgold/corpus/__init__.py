"""Reading and writing a corpus directory: init, ingest, validate, stats, splits, and the one write
path of annotation sets and gold (`add_sets`, `put_gold`, `newsgold.corpus.write`).

Most names below are loaded from their modules when first used (PEP 562), so that a command
imports only what it needs: `validate` does not load the write path. The functions named as their
modules (`ingest`, `stats`, `validate`) are imported at once: importing such a module would
otherwise leave the module, not the function, under the package's name.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "Corpus": "store", "DocumentIndex": "store", "init_corpus": "store",
    "Finding": "checks", "check_set": "checks",
    "IngestResult": "ingest", "StaleSet": "ingest", "read_articles": "ingest",
    "CorpusStats": "stats", "DocumentStats": "stats", "iter_document_stats": "stats",
    "Problem": "validate", "ValidationReport": "validate", "render_problems": "validate",
    "SetOutcome": "outcomes",
    "WriteReport": "write", "add_sets": "write", "put_gold": "write",
}

if TYPE_CHECKING:
    from newsgold.corpus.checks import Finding, check_set
    from newsgold.corpus.ingest import IngestResult, StaleSet, read_articles
    from newsgold.corpus.outcomes import SetOutcome
    from newsgold.corpus.stats import CorpusStats, DocumentStats, iter_document_stats
    from newsgold.corpus.store import Corpus, DocumentIndex, init_corpus
    from newsgold.corpus.validate import Problem, ValidationReport, render_problems
    from newsgold.corpus.write import WriteReport, add_sets, put_gold

from newsgold.corpus.ingest import ingest
from newsgold.corpus.stats import stats
from newsgold.corpus.validate import validate
from newsgold.rules import RULES, Rule


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'newsgold.corpus' has no attribute {name!r}")
    found = getattr(importlib.import_module(f"newsgold.corpus.{home}"), name)
    globals()[name] = found
    return found


__all__ = [
    "Corpus",
    "CorpusStats",
    "DocumentIndex",
    "DocumentStats",
    "Finding",
    "IngestResult",
    "Problem",
    "RULES",
    "SetOutcome",
    "WriteReport",
    "add_sets",
    "put_gold",
    "Rule",
    "StaleSet",
    "ValidationReport",
    "check_set",
    "ingest",
    "init_corpus",
    "iter_document_stats",
    "read_articles",
    "render_problems",
    "stats",
    "validate",
]
