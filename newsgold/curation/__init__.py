"""Curation: agreement between annotators, and adjudication of their sets into gold."""

from newsgold.curation.adjudicate import AdjudicationReport, Unresolved, adjudicate
from newsgold.curation.agreement import AgreementReport, agreement

__all__ = ["AdjudicationReport", "AgreementReport", "Unresolved", "adjudicate", "agreement"]
