"""Deprecated: sync moved to `newsgold.studio`, the config and conversions to `newsgold.formats.labelstudio`."""

from newsgold._deprecated import moved
from newsgold.formats.labelstudio import document_task, label_config, results_to_content, set_to_results
from newsgold.studio import PullReport, PushReport, StatusReport, Studio, StudioSettings, connect, pull, push, status

moved("newsgold.labelstudio", "newsgold.studio (sync) and newsgold.formats.labelstudio (config, tasks)")

__all__ = ["PullReport", "PushReport", "StatusReport", "Studio", "StudioSettings", "connect", "document_task",
           "label_config", "pull", "push", "results_to_content", "set_to_results", "status"]
