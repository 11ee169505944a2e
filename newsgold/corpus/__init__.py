"""Reading and writing a corpus directory: init, ingest, validate, stats, splits, and the one write
path of annotation sets and gold (`add_sets`, `put_gold`, `newsgold.corpus.write`)."""

from newsgold.corpus.checks import Finding, check_set
from newsgold.corpus.ingest import IngestResult, StaleSet, ingest, read_articles
from newsgold.rules import RULES, Rule
from newsgold.corpus.stats import CorpusStats, stats
from newsgold.corpus.store import Corpus, DocumentIndex, init_corpus
from newsgold.corpus.validate import Problem, ValidationReport, render_problems, validate
from newsgold.corpus.outcomes import SetOutcome
from newsgold.corpus.write import WriteReport, add_sets, put_gold

__all__ = [
    "Corpus",
    "CorpusStats",
    "DocumentIndex",
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
    "read_articles",
    "render_problems",
    "stats",
    "validate",
]
