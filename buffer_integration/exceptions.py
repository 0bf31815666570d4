"""Typed Buffer failures.

Callers never see a `requests` exception: every failure of a Buffer call is one of these. Each
carries its HTTP status and the sentence a person reads (`kernel.errors.ServiceError`), so the API
and the pages answer it alike; tasks read `retryable` to retry or fail:

- `BufferUnavailable` (and subclasses) — retryable: network error, timeout, 5xx, 429 → 503.
- `BufferOutcomeUnknown` — a write may or may not have reached Buffer (read timeout or 5xx
  after the request was sent). Never blindly resend: reconcile first.
- `BufferAuthError`, `BufferRejected` (400), `BufferNotFound` (404) — permanent for this request.
- `BufferUnsupported` — the config's Buffer API has no such feature (GraphQL: statistics, comments) → 501.
- `BufferBudgetExhausted` — our own per-key budget has no room: nothing was sent → 503 + Retry-After.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kernel.errors import ServiceError
from kernel.wording import count_of, retry_after_seconds

if TYPE_CHECKING:
    from buffer_integration.budget import Priority


class BufferError(ServiceError):
    """Base class. `message` is safe to show to users: it never contains a token.

    `code` and `status` are what Buffer answered (its error code, its HTTP status), when it did.
    """

    retryable = False
    status_code = 503
    detail_prefix = "Buffer error: "

    def __init__(self, message: str, *, code: int | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class BufferUnavailable(BufferError):
    """Buffer could not be reached or answered with a server error; safe to try again later."""

    retryable = True
    status_code = 503
    detail_prefix = "Buffer is unavailable: "

    def __init__(
        self, message: str, *, retry_after: float | None = None, code: int | None = None, status: int | None = None
    ):
        super().__init__(message, code=code, status=status)
        self.retry_after = retry_after


class BufferRateLimited(BufferUnavailable):
    """Buffer answered 429; `retry_after` (seconds) says when to come back, when Buffer said."""


class BufferOutcomeUnknown(BufferUnavailable):
    """A write was sent but no definite answer came back: Buffer may have applied it."""


class BufferAuthError(BufferError):
    """Buffer rejected the access token (401, or 403 for missing scope/authorisation)."""

    status_code = 400
    detail_prefix = "Buffer rejected the access token: "


class BufferNotFound(BufferError):
    """The profile or update does not exist at Buffer (or not for this token)."""

    status_code = 404
    detail_prefix = "Buffer does not know this object: "


class BufferRejected(BufferError):
    """Buffer refused the request itself (4xx with a Buffer error code): do not retry as is."""

    status_code = 400
    detail_prefix = "Buffer refused the request: "


class BufferUnsupported(BufferError):
    """The Buffer API this credential is for cannot do this at all (not a failure of the request)."""

    status_code = 501
    detail_prefix = ""  # the message says what is missing; no numbers to add


class BufferBudgetExhausted(BufferError):
    """Our own per-key request budget (see `buffer_integration.budget`) has no room for this request's
    priority before `retry_at`: nothing was sent. Not a Buffer failure, so it never costs a publish attempt;
    callers defer durably to `retry_at`.

    Answered 503 + Retry-After, not 429: the caller did not send too much, the shared Buffer key is out
    of its budget (or Buffer answered it 429), which is Buffer being unavailable to this user until
    `retry_at` (and every Buffer-calling endpoint already documents its 503)."""

    retryable = True
    status_code = 503

    def __init__(
        self,
        message: str,
        *,
        retry_at: dt.datetime,
        window: str,
        priority: Priority,
        code: int | None = None,
        status: int | None = None,
    ):
        super().__init__(message, code=code, status=status)
        self.retry_at = retry_at  # timezone-aware datetime
        self.window = window  # "15m" | "24h" | "30d" | "1m" (v1)
        self.priority = priority

    @property
    def retry_after(self) -> float:
        return max((self.retry_at - dt.datetime.now(dt.UTC)).total_seconds(), 1)

    @property
    def detail(self) -> str:
        seconds = retry_after_seconds(self.retry_after)
        return f"Buffer cannot be asked right now: {self.message} Try again in {count_of(seconds, 'second')}."
