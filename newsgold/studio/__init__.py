"""Sync with a Label Studio server: client, push, pull (with its pure reconciliation), status.

The labeling config and the task and result conversions are formats: `newsgold.formats.labelstudio`.
"""

from newsgold.studio.client import Studio, StudioSettings, connect
from newsgold.studio.pull import PullReport, pull
from newsgold.studio.push import PushReport, push
from newsgold.studio.review import ReviewPullReport, ReviewPushReport, pull_review, push_review
from newsgold.studio.server import AnnotatorsReport, ServeReport, StopReport, annotators, serve, stop_server
from newsgold.studio.status import StatusReport, status

__all__ = ["AnnotatorsReport", "PullReport", "PushReport", "ReviewPullReport", "ReviewPushReport", "ServeReport", "StatusReport", "StopReport", "Studio", "StudioSettings",
           "annotators", "connect", "pull", "pull_review", "push", "push_review", "serve", "status", "stop_server"]
