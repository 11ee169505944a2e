"""Sync with a Label Studio server: client, push, pull (with its pure reconciliation), status.

The labeling config and the task and result conversions are formats: `newsgold.formats.labelstudio`.
"""

from newsgold.studio.client import Studio, StudioSettings, connect
from newsgold.studio.pull import PullReport, pull
from newsgold.studio.push import PushReport, push
from newsgold.studio.server import AnnotatorsReport, ServeReport, StopReport, annotators, serve, stop_server
from newsgold.studio.status import StatusReport, status

__all__ = ["AnnotatorsReport", "PullReport", "PushReport", "ServeReport", "StatusReport", "StopReport", "Studio", "StudioSettings",
           "annotators", "connect", "pull", "push", "serve", "status", "stop_server"]
