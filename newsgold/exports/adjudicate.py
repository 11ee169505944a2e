"""Deprecated: moved to `newsgold.curation.adjudicate`."""

from newsgold._deprecated import moved
from newsgold.curation.adjudicate import AdjudicationReport, Strategy, Unresolved, adjudicate

moved("newsgold.exports.adjudicate", "newsgold.curation.adjudicate")

__all__ = ["AdjudicationReport", "Strategy", "Unresolved", "adjudicate"]
