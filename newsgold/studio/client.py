"""A connection to Label Studio through label-studio-sdk: settings, error translation, retries.

The API key is read when a connection is made (never at import), is never printed, logged or put
into an exception message, and is scrubbed from any server text newsgold repeats.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from label_studio_sdk.client import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from newsgold.errors import StudioAuthError, StudioError, StudioUnreachableError, UsageError

__all__ = ["StudioSettings", "Studio", "connect"]

T = TypeVar("T")

URL_VARIABLE = "LABEL_STUDIO_URL"
KEY_VARIABLE = "LABEL_STUDIO_API_KEY"
DEFAULT_RETRY_DELAYS = (0.5, 1.0, 2.0)


@dataclass(frozen=True)
class StudioSettings:
    """Where Label Studio is and how to authenticate. `repr` never shows the key."""

    url: str
    api_key: str
    timeout: float = 60.0
    retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS

    def __repr__(self) -> str:
        return f"StudioSettings(url={self.url!r}, api_key='***')"

    @classmethod
    def resolve(cls, url: str | None = None, api_key: str | None = None, timeout: float = 60.0,
                retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS) -> StudioSettings:
        """Take the arguments if given, else LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY, else (neither
        set) the server `newsgold.studio.serve` started, with the token it stored."""
        url = url or os.environ.get(URL_VARIABLE)
        api_key = api_key or os.environ.get(KEY_VARIABLE)
        if not url and not api_key:
            from newsgold.studio.server import read_record

            record = read_record()
            if record is not None:
                url, api_key = record.url, record.token
        if not url:
            raise UsageError(f"set {URL_VARIABLE} (e.g. http://localhost:8080) or pass url=URL; a server "
                             "started by newsgold.studio.serve is found without either")
        if not api_key:
            raise UsageError(f"set {KEY_VARIABLE} to your Label Studio access token "
                             "(Account & Settings > Access Token) or pass api_key=KEY")
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise UsageError(f"{URL_VARIABLE}={url!r} is not a URL ({exc}); e.g. http://localhost:8080") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise UsageError(f"{URL_VARIABLE}={url!r} is not an http(s) URL with a host; "
                             "e.g. http://localhost:8080")
        return cls(url=url.rstrip("/"), api_key=api_key, timeout=timeout, retry_delays=retry_delays)


class Studio:
    """A label-studio-sdk client whose calls raise newsgold errors and retry when that is safe."""

    def __init__(self, settings: StudioSettings) -> None:
        self.settings = settings
        # The SDK's own retries are off (max_retries=0): `call` is the one retry policy, and it
        # knows which calls are safe to repeat (the SDK would also repeat a project's creation).
        self.sdk = LabelStudio(base_url=settings.url, api_key=settings.api_key,
                               timeout=settings.timeout, max_retries=0)

    def _scrub(self, text: str) -> str:
        return text.replace(self.settings.api_key, "***")

    def call(self, action: str, function: Callable[..., T], *args: Any,
             idempotent: bool = True, **kwargs: Any) -> T:
        """Run one SDK call. Retry transient failures of idempotent calls with backoff.

        Raises StudioAuthError (401/403), StudioUnreachableError (no connection after retries)
        or StudioError (any other failure), each one line naming `action`.
        """
        delays = self.settings.retry_delays if idempotent else ()
        attempt = 0
        while True:
            try:
                return function(*args, **kwargs)
            except ApiError as exc:
                status = exc.status_code or 0
                if status in (401, 403):
                    raise StudioAuthError(
                        f"Label Studio at {self.settings.url} refused the API key ({status}) while "
                        f"trying to {action}; check {KEY_VARIABLE}", status=status) from None
                if (status >= 500 or status == 429) and attempt < len(delays):
                    time.sleep(delays[attempt])
                    attempt += 1
                    continue
                body = self._scrub(str(exc.body))[:300]
                raise StudioError(f"Label Studio could not {action}: HTTP {status}: {body}",
                                  status=status or None) from None
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                if attempt < len(delays):
                    time.sleep(delays[attempt])
                    attempt += 1
                    continue
                kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "is unreachable"
                raise StudioUnreachableError(
                    f"Label Studio at {self.settings.url} {kind} ({type(exc).__name__}) while trying "
                    f"to {action}; is it running? Nothing was written to the corpus.") from None
            except (httpx.HTTPError, ValueError) as exc:  # an answer that is not what the API promises
                raise StudioError(
                    f"Label Studio at {self.settings.url} sent an answer newsgold cannot read while "
                    f"trying to {action} ({type(exc).__name__}: {self._scrub(str(exc))[:200]}); "
                    "nothing was written to the corpus") from None

    def whoami(self) -> Any:
        """The user the API key belongs to (checks URL and key in one call)."""
        return self.call("identify the API key's user", self.sdk.users.whoami)


def connect(url: str | None = None, api_key: str | None = None, timeout: float = 60.0,
            retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS) -> Studio:
    """Connect to Label Studio with the given or environment settings."""
    return Studio(StudioSettings.resolve(url, api_key, timeout, retry_delays))
