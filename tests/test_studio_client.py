"""The Label Studio client's error translation, without a server: status codes become data."""

from __future__ import annotations

import pytest
from label_studio_sdk.core.api_error import ApiError

from newsgold.errors import StudioAuthError, StudioError
from newsgold.studio.client import Studio, StudioSettings

SECRET = "tok-" + "x" * 20


def _studio() -> Studio:
    return Studio(StudioSettings(url="http://127.0.0.1:9", api_key=SECRET, retry_delays=()))


def _fails(status: int, body: object = "gone") -> None:
    raise ApiError(status_code=status, body=body)


@pytest.mark.parametrize(("status", "kind"), [(404, StudioError), (400, StudioError), (500, StudioError),
                                              (401, StudioAuthError), (403, StudioAuthError)])
def test_an_http_error_carries_its_status(status: int, kind: type[StudioError]) -> None:
    with pytest.raises(kind) as caught:
        _studio().call("read project 3", _fails, status)
    assert caught.value.status == status
    assert "read project 3" in str(caught.value)


def test_the_key_never_appears_in_an_error() -> None:
    with pytest.raises(StudioError) as caught:
        _studio().call("read project 3", _fails, 400, f"bad token {SECRET}")
    assert SECRET not in str(caught.value) and "***" in str(caught.value)


def test_an_error_without_an_answer_has_no_status() -> None:
    assert StudioError("unreachable").status is None


def test_the_export_stream_is_read_task_by_task_whatever_the_chunks() -> None:
    import io
    import json as json_module

    import ijson

    from newsgold.studio.projects import ExportedTask, _ChunkReader

    tasks = [{"id": n, "data": {"text": "Ünïcode 😀", "doc_id": f"d{n}"}, "annotations": [{"id": n, "completed_by": 1}],
              "drafts": [], "updated_at": "2026-11-27T10:00:00Z"} for n in range(5)]
    body = json_module.dumps(tasks, ensure_ascii=False).encode()
    for size in (1, 3, 7, len(body)):  # chunks that cut through multi-byte characters
        chunks = iter([body[i:i + size] for i in range(size, len(body), size)])
        reader = io.BufferedReader(_ChunkReader(body[:size], chunks), 16)
        read = [ExportedTask.of(t) for t in ijson.items(reader, "item", use_float=True)]
        assert [t.id for t in read] == list(range(5)) and read[3].data["doc_id"] == "d3"
        assert read[0].annotations[0]["completed_by"] == 1 and read[0].updated_at == "2026-11-27T10:00:00Z"


def test_a_full_pull_falls_back_to_pages_where_there_is_no_export(monkeypatch) -> None:
    import importlib

    pull_module = importlib.import_module("newsgold.studio.pull")  # the module (the package exports the function)

    def no_export(studio, project_id):  # type: ignore[no-untyped-def]
        raise StudioError("Label Studio could not export: HTTP 405", status=405)
        yield  # a generator, as the real one

    def broken_export(studio, project_id):  # type: ignore[no-untyped-def]
        yield "task 1"
        raise StudioError("Label Studio's export of project 1 broke off", status=None)

    monkeypatch.setattr(pull_module, "iter_tasks", lambda studio, project_id, fields: iter(["paged 1", "paged 2"]))
    monkeypatch.setattr(pull_module, "iter_exported_tasks", no_export)
    assert list(pull_module._all_tasks(None, 1)) == ["paged 1", "paged 2"]
    monkeypatch.setattr(pull_module, "iter_exported_tasks", broken_export)
    stream = pull_module._all_tasks(None, 1)
    assert next(stream) == "task 1"
    with pytest.raises(StudioError, match="broke off"):
        next(stream)  # after a task has been read, a broken export is an error, never a silent half
