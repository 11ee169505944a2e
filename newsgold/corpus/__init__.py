"""Reading and writing a corpus directory: init, ingest, validate, stats, splits."""

from newsgold.corpus.checks import Finding, check_set
from newsgold.corpus.ingest import IngestResult, StaleSet, ingest, read_articles
from newsgold.rules import RULES, Rule
from newsgold.corpus.stats import CorpusStats, stats
from newsgold.corpus.store import Corpus, DocumentIndex, init_corpus
from newsgold.corpus.validate import Problem, ValidationReport, render_problems, validate

__all__ = [
    "Corpus",
    "CorpusStats",
    "DocumentIndex",
    "Finding",
    "IngestResult",
    "Problem",
    "RULES",
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
