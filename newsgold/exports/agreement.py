"""Deprecated: moved to `newsgold.curation.agreement`."""

from newsgold._deprecated import moved
from newsgold.curation.agreement import AgreementReport, agreement, cohen_kappa, krippendorff_alpha, match_spans

moved("newsgold.exports.agreement", "newsgold.curation.agreement")

__all__ = ["AgreementReport", "agreement", "cohen_kappa", "krippendorff_alpha", "match_spans"]
