"""Errors that services raise, each carrying its own HTTP status and the sentence a person reads.

The API (`kernel.api.exceptions`) and the web pages (`web.common`) answer every `ServiceError` the
same way from these attributes, so an error means the same thing wherever it surfaces: no layer
keeps its own map from exception classes to statuses. Domain apps subclass these (Buffer's failures
are in `buffer_integration.exceptions`); the kernel knows none of them.
"""

from __future__ import annotations

from typing import Any

from kernel.wording import retry_after_seconds

ErrorTree = dict[str, Any]  # {"field": ["message", ...]} or nested: {"posts": {"3": {"content": [...]}}}
_NON_FIELD_KEYS = ("non_field_errors", "__all__")


def first_error_detail(errors: ErrorTree, *, prefix: str = "") -> str:
    """The first problem of an error tree as one line, with the path to it: `posts.3.content: Too long.`"""
    path: list[str] = []
    node: Any = errors
    while isinstance(node, dict | list | tuple) and node:
        if isinstance(node, dict):
            key, node = next(iter(node.items()))
            if str(key) not in _NON_FIELD_KEYS:
                path.append(str(key))
            continue
        # A list of messages, or a list serializer's errors: one entry per item, {} for the valid ones.
        index, node = next(((i, item) for i, item in enumerate(node) if item), (0, node[0]))
        if isinstance(node, dict | list | tuple):
            path.append(str(index))
    message = str(node) if node not in (None, "", [], {}) else ""
    where = f"{'.'.join(path)}: " if path and message else ""
    return f"{prefix}{where}{message}"


class ServiceError(Exception):
    """Base of every error a service raises for its caller.

    `status_code` is the HTTP answer; `detail` the sentence for `{"detail": ...}` and for a page's
    message (never a secret); `errors` optionally maps field names to messages.
    """

    status_code = 400
    detail_prefix = ""  # e.g. "Buffer refused the request: "

    def __init__(self, message: str, *, errors: ErrorTree | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors: ErrorTree = errors or {}

    @property
    def detail(self) -> str:
        return f"{self.detail_prefix}{self.message}"

    @property
    def retry_after_header(self) -> str | None:
        """The Retry-After value (whole seconds, rounded up) when the caller should come back later."""
        retry_after = getattr(self, "retry_after", None)
        return str(retry_after_seconds(retry_after)) if retry_after else None


class DomainError(ServiceError):
    """A rule of the product was broken."""


class InvalidInput(DomainError):
    status_code = 400

    @classmethod
    def from_errors(cls, errors: ErrorTree, *, prefix: str = "") -> InvalidInput:
        """An InvalidInput whose `detail` names the first problem, like the API's validation errors."""
        return cls(first_error_detail(errors, prefix=prefix), errors=errors)


class NotFound(DomainError):
    """The object does not exist for this caller: unknown, or another workspace's (never a 403 that leaks it)."""

    status_code = 404


class Forbidden(DomainError):
    """The caller sees the object but their role does not allow the action; `detail` names the role needed."""

    status_code = 403


class Conflict(DomainError):
    """The object is in a state that does not allow the change (e.g. editing a published post)."""

    status_code = 409


class TooManyAttempts(DomainError):
    """Refused until `retry_after` seconds have passed (answered with a Retry-After header)."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
