"""Typed Buffer failures.

Callers never see a `requests` exception: every failure of a Buffer call is one of these.
Views map them to HTTP answers (see `socialhub.api.exceptions`), tasks to retry/fail decisions:

- `BufferUnavailable` (and subclasses) — retryable: network error, timeout, 5xx, 429.
- `BufferOutcomeUnknown` — a write may or may not have reached Buffer (read timeout or 5xx
  after the request was sent). Never blindly resend: reconcile first.
- `BufferAuthError`, `BufferRejected`, `BufferNotFound` — permanent for this request.
- `BufferUnsupported` — the config's Buffer API has no such feature (GraphQL: statistics, comments).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from buffer_integration.budget import Priority


class BufferError(Exception):
    """Base class. `message` is safe to show to users: it never contains a token."""

    retryable = False

    def __init__(self, message: str, *, code: int | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class BufferUnavailable(BufferError):
    """Buffer could not be reached or answered with a server error; safe to try again later."""

    retryable = True

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


class BufferNotFound(BufferError):
    """The profile or update does not exist at Buffer (or not for this token)."""


class BufferRejected(BufferError):
    """Buffer refused the request itself (4xx with a Buffer error code): do not retry as is."""


class BufferUnsupported(BufferError):
    """The Buffer API this credential is for cannot do this at all (not a failure of the request)."""


class BufferBudgetExhausted(BufferError):
    """Our own per-key request budget (see `buffer_integration.budget`) has no room for this request's
    priority before `retry_at`: nothing was sent. Not a Buffer failure, so it never costs a publish attempt;
    callers defer durably to `retry_at`."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        retry_at: datetime,
        window: str,
        priority: Priority,
        code: int | None = None,
        status: int | None = None,
    ):
        super().__init__(message, code=code, status=status)
        self.retry_at = retry_at  # timezone-aware datetime
        self.window = window  # "15m" | "24h" | "30d" | "1m" (v1)
        self.priority = priority
