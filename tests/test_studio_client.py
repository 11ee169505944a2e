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
