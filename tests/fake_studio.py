"""Just what `studio pull` asks of a Label Studio server, answering with the tasks it is given.

For fast tests of the write path and for `kill -9` tests of a pull in another process; the real
server is tested in test_labelstudio_sync.py and test_annotator_ui.py.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from newsgold.errors import StudioError


class FakeStudio:
    """A project titled `title` holding `tasks` (Label Studio's JSON export records) of `users`."""

    def __init__(self, title: str, tasks: list[dict[str, Any]], users: list[dict[str, Any]]) -> None:
        project = SimpleNamespace(id=7, title=title, description="")
        self.tasks = tasks

        def no_comments(projects: str) -> list[Any]:
            raise StudioError("HTTP 404", status=404)  # as Label Studio Community answers

        def export(project_id: int, **_: Any) -> Any:
            yield json.dumps(self.tasks).encode()

        self.sdk = SimpleNamespace(
            projects=SimpleNamespace(get=lambda id: project, list=lambda title: [project],
                                     exports=SimpleNamespace(download_sync=export)),
            users=SimpleNamespace(list=lambda: [SimpleNamespace(**user) for user in users]),
            comments=SimpleNamespace(list=no_comments))

    def call(self, action: str, function: Any, *args: Any, idempotent: bool = True, **kwargs: Any) -> Any:
        return function(*args, **kwargs)
