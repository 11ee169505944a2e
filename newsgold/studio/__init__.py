"""Sync with a Label Studio server: client, push, pull, status (formats in `newsgold.formats.labelstudio`)."""

from newsgold.studio.client import Studio, StudioSettings, connect
from newsgold.studio.sync import PullReport, PushReport, StatusReport, pull, push, status

__all__ = ["PullReport", "PushReport", "StatusReport", "Studio", "StudioSettings", "connect", "pull", "push",
           "status"]
