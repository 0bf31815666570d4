"""One signed HTTP request to a callback URL, its outcome as data; never raises for network trouble."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

import requests
import urllib3
from django.conf import settings

from publisher.config_services import webhook_secret_ensure
from publisher.models import CallbackDelivery
from publisher.signing import webhook_headers
from publisher.ssrf import UnsafeCallbackURL, check_callback_url

USER_AGENT = "SocialHub-Publisher/1.0 (+standard-webhooks)"
EXCERPT_BYTES = 500
MAX_RETRY_AFTER_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    error: str = ""
    excerpt: str = ""
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def summary(self) -> str:
        return f"HTTP {self.status_code}" if self.status_code is not None else self.error


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), kept within 1 s .. 1 day."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value) if value.isdigit() else (parsedate_to_datetime(value) - now).total_seconds()
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(seconds, 1.0), MAX_RETRY_AFTER_SECONDS)


def send_signed(callback: CallbackDelivery, *, at: datetime) -> Outcome:
    try:
        check_callback_url(callback.url)  # again: DNS may point elsewhere than at submission
    except UnsafeCallbackURL as exc:
        return Outcome(error=f"Refused: {exc}")
    secrets = webhook_secret_ensure(owner=callback.owner).signing_secrets(at)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **webhook_headers(secrets, webhook_id=callback.webhook_id, timestamp=int(at.timestamp()), body=callback.body),
    }
    try:
        with requests.request(
            callback.method,
            callback.url,
            data=callback.body.encode(),
            headers=headers,
            timeout=settings.CALLBACK_TIMEOUT_SECONDS,
            allow_redirects=False,  # a redirect could lead to an address the guard refused
            stream=True,  # read only the start of the answer
        ) as response:
            try:
                excerpt = response.raw.read(EXCERPT_BYTES, decode_content=True).decode("utf-8", "replace")
            except (urllib3.exceptions.HTTPError, OSError):
                excerpt = ""  # the status code is the answer; a broken body does not change it
            retry_after = parse_retry_after(response.headers.get("Retry-After"), now=at)
            return Outcome(status_code=response.status_code, excerpt=excerpt, retry_after=retry_after)
    except requests.RequestException as exc:
        return Outcome(error=f"{type(exc).__name__}: {exc}"[:1000])
