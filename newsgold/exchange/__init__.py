"""Import and export: corpus sets in and out through the formats of `newsgold.formats`."""

from newsgold.exchange.export import export, export_all
from newsgold.exchange.imports import ImportReport, import_brat, import_label_studio
from newsgold.exchange.manifest import ExportManifest, manifest_summary
from newsgold.formats import FORMATS

__all__ = ["FORMATS", "ExportManifest", "ImportReport", "export", "export_all", "import_brat",
           "import_label_studio", "manifest_summary"]
