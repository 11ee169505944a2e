"""Sync with a Label Studio server: client, push, pull (with its pure reconciliation), status.

The labeling config and the task and result conversions are formats: `newsgold.formats.labelstudio`.
"""

from newsgold.studio.client import Studio, StudioSettings, connect
from newsgold.studio.pull import PullReport, pull
from newsgold.studio.push import PushReport, push
from newsgold.studio.status import StatusReport, status

__all__ = ["PullReport", "PushReport", "StatusReport", "Studio", "StudioSettings", "connect", "pull", "push",
           "status"]
