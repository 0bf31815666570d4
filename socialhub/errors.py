"""Domain errors raised by services. They carry no HTTP types: the API and UI layers translate them."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the product was broken. `errors` optionally maps field names to messages (a list of
    strings, or for a nested input such as `network_options` or a bulk item, a mapping of its own)."""

    status_code = 400

    def __init__(self, message: str, *, errors: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(DomainError):
    status_code = 400


class Conflict(DomainError):
    """The object is in a state that does not allow the change (e.g. editing a published post)."""

    status_code = 409


class TooManyAttempts(DomainError):
    """Refused until `retry_after` seconds have passed (answered with a Retry-After header)."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after
