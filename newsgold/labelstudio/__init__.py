"""Label Studio: the labeling config from the scheme, task conversion, and push/pull sync."""

from newsgold.labelstudio.client import Studio, StudioSettings, connect
from newsgold.labelstudio.config import label_config
from newsgold.labelstudio.convert import document_task, results_to_content, set_to_results
from newsgold.labelstudio.sync import PullReport, PushReport, StatusReport, pull, push, status

__all__ = [
    "PullReport",
    "PushReport",
    "StatusReport",
    "Studio",
    "StudioSettings",
    "connect",
    "document_task",
    "label_config",
    "pull",
    "push",
    "results_to_content",
    "set_to_results",
    "status",
]
