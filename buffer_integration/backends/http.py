"""HTTP plumbing shared by Buffer backends: one pooled Session, bearer auth, retries, logging.

Pure stdlib + `requests`; nothing here imports Django.

Guarantees of `JsonHttpClient.request`:

- It raises only `BufferError` subclasses: never a `requests`/`urllib3` exception, never a
  `JSONDecodeError`. Exception chaining is suppressed (`from None`) because a `requests`
  exception carries the prepared request, whose headers hold the access token.
- The token travels only in the `Authorization: Bearer` header: never in a URL, a log line or an
  exception message.
- Retries: idempotent requests (GET) are retried on connection errors, timeouts, 5xx and 429.
  Non-idempotent writes are retried only when the request provably never reached the server
  (connection refused, DNS failure, connect timeout) or the server said it did not apply it
  (429, 503). A read timeout or another 5xx after a write was sent raises `BufferOutcomeUnknown`.
- Budget: with a `budget` (see `buffer_integration.budget.KeyBudget`, attached by `get_backend`),
  every attempt, retries included, is admitted by `budget.admit()` just before it is sent; a refusal
  raises `BufferBudgetExhausted` and sends nothing. A 429 calls `budget.record_rate_limited(seconds,
  window)` so the whole key waits out Buffer's Retry-After, in every process.
- Backoff: full jitter, `uniform(0, backoff_base * 2**attempt)`. A `Retry-After` header wins: it is
  slept when <= `retry_after_cap`, otherwise the error is raised at once with `retry_after` set so
  the caller (a task) can schedule its own retry.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from buffer_integration.exceptions import (
    BufferAuthError,
    BufferError,
    BufferOutcomeUnknown,
    BufferRateLimited,
    BufferRejected,
    BufferUnavailable,
)
from kernel.http_retry import RetryAfter, exponential, parse_retry_after, retry_delay

logger = logging.getLogger("socialhub.buffer")

USER_AGENT = "SocialHub/1.0"
DEFAULT_TIMEOUTS = (3.05, 10.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_BACKOFF_BASE = 0.5
DEFAULT_RETRY_AFTER_CAP = 30.0


def make_session(*, pool_connections: int = 10, pool_maxsize: int = 20) -> requests.Session:
    """A Session meant to be shared by every backend of a process (keep-alive + pooling).

    Retries are disabled at the urllib3 level (`max_retries=0`): `JsonHttpClient` decides, because
    only it knows whether a request is safe to resend.
    """
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    adapter = HTTPAdapter(pool_connections=pool_connections, pool_maxsize=pool_maxsize, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class BearerAuth(requests.auth.AuthBase):
    """`Authorization: Bearer <token>`. Passed per request (not stored on the shared Session), which
    also stops `requests` from replacing it with ~/.netrc credentials."""

    def __init__(self, token: str):
        self._token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self._token}"
        return r

    def __repr__(self) -> str:  # never show the token
        return "BearerAuth(***)"


@dataclass(frozen=True)
class HttpResult:
    status: int
    payload: Any  # parsed JSON body, or None when the body was empty / not JSON
    headers: Mapping[str, str]


class RequestBudget(Protocol):
    """What the client needs of a request budget (implemented by `buffer_integration.budget.KeyBudget`)."""

    def admit(self) -> None: ...  # count one request, or raise BufferBudgetExhausted

    def record_rate_limited(self, retry_after: float | None, window: str | None = None) -> None: ...


# An error mapper turns a final non-2xx, non-429, non-5xx answer into a BufferError (API specific).
ErrorMapper = Callable[[HttpResult], BufferError]


def _not_sent(exc: requests.RequestException) -> bool:
    """True when `exc` proves the request never reached the server (safe to resend a write)."""
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.ProxyError)):
        return True
    if isinstance(exc, requests.exceptions.SSLError):
        return True  # TLS handshake failed: nothing was sent
    if isinstance(
        exc,
        (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
            requests.exceptions.InvalidHeader,
        ),
    ):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        inner = exc.args[0] if exc.args else None
        reason = getattr(inner, "reason", inner)
        # NewConnectionError covers refused connections and NameResolutionError (DNS).
        return isinstance(reason, urllib3.exceptions.NewConnectionError)
    return False


def _describe(exc: BaseException) -> str:
    """A short, token-free description: class names only (no URLs, no headers)."""
    name = type(exc).__name__
    inner = exc.args[0] if exc.args else None
    reason = getattr(inner, "reason", None)
    if isinstance(reason, BaseException):
        return f"{name}/{type(reason).__name__}"
    if isinstance(inner, BaseException):
        return f"{name}/{type(inner).__name__}"
    return name


def _transport_failure(exc: BaseException, *, idempotent: bool) -> _Outcome:
    """No HTTP answer: never sent (a write may be resent), or sent and unanswered (only a read may be)."""
    not_sent = isinstance(exc, requests.RequestException) and _not_sent(exc)
    what = _describe(exc)
    if not_sent:
        retryable = not isinstance(
            exc,
            (
                requests.exceptions.SSLError,
                requests.exceptions.InvalidURL,
                requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema,
            ),
        )
        return _Outcome(error=BufferUnavailable(f"Buffer could not be reached ({what})"), retryable=retryable)
    if idempotent:
        timeout = isinstance(exc, requests.exceptions.Timeout)
        msg = "Buffer did not answer in time" if timeout else "Connection to Buffer failed"
        return _Outcome(error=BufferUnavailable(f"{msg} ({what})"), retryable=True)
    return _Outcome(
        error=BufferOutcomeUnknown(f"Buffer did not answer a write ({what}); it may or may not have been applied")
    )


class JsonHttpClient:
    """Sends one logical request (with retries) and returns the parsed JSON of a 2xx answer."""

    def __init__(
        self,
        access_token: str,
        *,
        base_url: str,
        session: requests.Session | None = None,
        timeouts: tuple[float, float] = DEFAULT_TIMEOUTS,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff_base: float = DEFAULT_BACKOFF_BASE,
        retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP,
        sleep: Callable[[float], Any] = time.sleep,
        error_mapper: ErrorMapper | None = None,
        rng: random.Random | None = None,
        budget: RequestBudget | None = None,
    ):
        self._token = access_token or ""
        self._auth = BearerAuth(self._token)
        self.base_url = base_url.rstrip("/")
        self.session = session if session is not None else make_session()
        self.timeouts = (float(timeouts[0]), float(timeouts[1]))
        self.max_retries = max(0, int(max_retries))
        self.backoff_base = max(0.0, float(backoff_base))
        self.retry_after_cap = float(retry_after_cap)
        self.sleep = sleep
        self.error_mapper = error_mapper
        self._rng = rng or random.Random()
        self.budget = budget

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # -- public --------------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        """Remove the token from any text we did not write ourselves (e.g. a server message)."""
        if self._token and self._token in text:
            text = text.replace(self._token, "***")
        return text

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        data: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        json_body: Any = None,
        idempotent: bool | None = None,
        log_path: str | None = None,
    ) -> Any:
        """`json_body` sends a JSON document (GraphQL); `log_path` replaces the URL path in log lines."""
        method = method.upper()
        if not (self._token.isascii() and self._token.isprintable()):  # saved before tokens were checked
            raise BufferAuthError(
                "The stored access token cannot be sent in an HTTP header (line break, space or non-ASCII "
                "character): save the token again."
            )
        if idempotent is None:
            idempotent = method in ("GET", "HEAD", "OPTIONS")
        url = self.base_url + path
        log_path = log_path or urlsplit(url).path or "/"  # never a query string
        attempt = 0
        while True:
            outcome = self._attempt(method, url, log_path, params, data, json_body, idempotent, attempt)
            if outcome.error is None:
                return outcome.payload
            error, retryable, retry_after = outcome.error, outcome.retryable, outcome.retry_after
            if not retryable or attempt >= self.max_retries:
                raise error
            if retry_after is not None and retry_after > self.retry_after_cap:
                raise error  # carries retry_after: the caller schedules a later retry
            delay = retry_delay(
                attempt + 1,
                schedule=exponential(base=self.backoff_base),
                retry_after=retry_after,
                retry_after_rule=RetryAfter.EXACTLY,
                rng=self._rng,
            )
            self.sleep(delay)
            attempt += 1

    # -- internals -----------------------------------------------------------------------------

    def _attempt(
        self,
        method: str,
        url: str,
        path: str,
        params: Mapping[str, Any] | list[tuple[str, Any]] | None,
        data: Mapping[str, Any] | list[tuple[str, Any]] | None,
        json_body: Any,
        idempotent: bool,
        attempt: int,
    ) -> _Outcome:
        """One HTTP exchange, classified."""
        if self.budget is not None:
            self.budget.admit()  # raises BufferBudgetExhausted: nothing sent, nothing counted
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                data=data,
                json=json_body,
                auth=self._auth,
                timeout=self.timeouts,
                allow_redirects=False,
            )
            raw = response.content  # body is read here (stream=False): may still raise
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            self._log(method, path, f"ERR:{type(exc).__name__}", started, attempt, logging.WARNING)
            return _transport_failure(exc, idempotent=idempotent)

        status = response.status_code
        self._log(method, path, status, started, attempt, logging.INFO if 200 <= status < 300 else logging.WARNING)
        payload = self._parse(raw)

        if 200 <= status < 300:
            if payload is _INVALID or payload is None:
                # A 2xx we cannot read: for a write, Buffer probably applied it.
                cls = BufferUnavailable if idempotent else BufferOutcomeUnknown
                return _Outcome(error=cls(f"Buffer answered {status} with a body that is not JSON", status=status))
            return _Outcome(payload=payload)

        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is None:
            retry_after = _retry_after_in_body(payload)  # GraphQL puts it in the body only
        err: BufferError
        if status == 429:
            if self.budget is not None:
                self.budget.record_rate_limited(retry_after, _window_in_body(payload))
            err = BufferRateLimited(
                "Buffer rate limit reached; try again later", status=429, code=429, retry_after=retry_after
            )
            return _Outcome(error=err, retryable=True, retry_after=retry_after)
        if status >= 500:
            code = _code_of(payload)
            if status == 503 or idempotent:
                err = BufferUnavailable(
                    f"Buffer is unavailable (HTTP {status})", status=status, code=code, retry_after=retry_after
                )
                return _Outcome(error=err, retryable=True, retry_after=retry_after)
            return _Outcome(
                error=BufferOutcomeUnknown(
                    f"Buffer failed while handling a write (HTTP {status}); it may or may not have been applied",
                    status=status,
                    code=code,
                )
            )
        if 300 <= status < 400:
            return _Outcome(error=BufferUnavailable(f"Unexpected redirect from Buffer (HTTP {status})", status=status))
        result = HttpResult(status=status, payload=None if payload is _INVALID else payload, headers=response.headers)
        if self.error_mapper is not None:
            err = self.error_mapper(result)
        else:
            err = BufferRejected(
                f"Buffer refused the request (HTTP {status})", status=status, code=_code_of(result.payload)
            )
        err.message = self.scrub(err.message)
        err.args = (err.message,)
        return _Outcome(error=err)

    @staticmethod
    def _parse(raw: bytes | None) -> Any:
        if not raw or not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return _INVALID

    def _log(self, method: str, path: str, status: int | str, started: float, attempt: int, level: int) -> None:
        duration_ms = int((time.monotonic() - started) * 1000)
        logger.log(
            level,
            "buffer %s %s status=%s duration_ms=%d attempt=%d",
            method,
            path,
            status,
            duration_ms,
            attempt,
            extra={
                "buffer_method": method,
                "buffer_path": path,
                "buffer_status": status,
                "buffer_duration_ms": duration_ms,
                "buffer_attempt": attempt,
            },
        )


@dataclass
class _Outcome:
    payload: Any = None
    error: BufferError | None = None
    retryable: bool = False
    retry_after: float | None = None


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid JSON>"


_INVALID: Any = _Invalid()


def _code_of(payload: Any) -> int | None:
    if isinstance(payload, dict):
        code = payload.get("code")
        if isinstance(code, bool):  # Buffer sends "code": false on success
            return None
        if isinstance(code, int):
            return code
        if isinstance(code, str) and code.strip().isdigit():
            return int(code.strip())
    return None


def _retry_after_in_body(payload: Any) -> float | None:
    """`errors[].extensions.retryAfter` (seconds) of a GraphQL 429 body; None when absent."""
    errors = payload.get("errors") if isinstance(payload, dict) else None
    for error in errors if isinstance(errors, list) else []:
        extensions = error.get("extensions") if isinstance(error, dict) else None
        value = extensions.get("retryAfter") if isinstance(extensions, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
            return max(0.0, float(value))
    return None


def _window_in_body(payload: Any) -> str | None:
    """`errors[].extensions.window` ("15m", "24h", "30d") of a GraphQL 429 body (reference README rule 5)."""
    errors = payload.get("errors") if isinstance(payload, dict) else None
    for error in errors if isinstance(errors, list) else []:
        extensions = error.get("extensions") if isinstance(error, dict) else None
        value = extensions.get("window") if isinstance(extensions, dict) else None
        if isinstance(value, str):
            return value
    return None


def message_of(payload: Any, default: str) -> str:
    if isinstance(payload, dict):
        for key in ("message", "error"):
            value = payload.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return default


code_of = _code_of


def to_unix(dt: datetime) -> int:
    """UTC unix seconds; a naive datetime is taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())
