"""Deprecated: export moved to `newsgold.exchange`, agreement and adjudication to `newsgold.curation`."""

from newsgold._deprecated import moved
from newsgold.exchange import FORMATS, ExportManifest, export, export_all, manifest_summary

moved("newsgold.exports", "newsgold.exchange (export) and newsgold.curation (agreement, adjudicate)")

__all__ = ["FORMATS", "ExportManifest", "export", "export_all", "manifest_summary"]
