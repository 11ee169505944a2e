"""Agreement, adjudication, export formats and their manifests."""

from newsgold.exports.export import export, export_all
from newsgold.exports.formats import FORMATS
from newsgold.exports.manifest import ExportManifest, manifest_summary

__all__ = ["FORMATS", "ExportManifest", "export", "export_all", "manifest_summary"]
