"""One signed HTTP request to a callback URL, its outcome as data; never raises for network trouble.

The request goes to an address the SSRF check approved (`publisher.ssrf`), with the URL's host
name in the Host header and, over https, in SNI and the certificate check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import urllib3
from django.conf import settings
from requests.utils import DEFAULT_CA_BUNDLE_PATH

from kernel.http_retry import parse_retry_after
from publisher.config_services import webhook_secret_ensure
from publisher.models import CallbackDelivery
from publisher.signing import webhook_headers
from publisher.ssrf import CallbackTarget, UnsafeCallbackURL, check_callback_url

USER_AGENT = "SocialHub-Publisher/1.0 (+standard-webhooks)"
EXCERPT_BYTES = 500
MAX_RETRY_AFTER_SECONDS = 24 * 3600
# The CA bundle requests uses; the tests point it at their own CA.
CA_CERTS = DEFAULT_CA_BUNDLE_PATH


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


def _retry_after(value: str | None, *, now: datetime) -> float | None:
    """The receiver's Retry-After in seconds, kept within 1 s .. 1 day."""
    seconds = parse_retry_after(value, now=now)
    return None if seconds is None else min(max(seconds, 1.0), MAX_RETRY_AFTER_SECONDS)


def _pool(target: CallbackTarget, address: str) -> urllib3.HTTPConnectionPool:
    """A connection pool to `address` that speaks to the target's host name: Host header, and for
    https the SNI and certificate check of the name, not of the address."""
    timeout = urllib3.Timeout(connect=settings.CALLBACK_TIMEOUT_SECONDS, read=settings.CALLBACK_TIMEOUT_SECONDS)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=CA_CERTS,
            timeout=timeout,
            retries=False,
            maxsize=1,
        )
    return urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=1)


def _send_pinned(target: CallbackTarget, *, method: str, body: bytes, headers: dict[str, str], at: datetime) -> Outcome:
    """Send to the first checked address that accepts a connection; never resolve the name again."""
    error = ""
    for address in target.addresses:
        pool = _pool(target, address)
        try:
            response = pool.urlopen(
                method,
                target.target,
                body=body,
                headers={**headers, "Host": target.host_header},
                redirect=False,  # a redirect could lead to an address the guard refused
                retries=False,
                preload_content=False,  # read only the start of the answer
                assert_same_host=False,
            )
            try:
                excerpt = response.read(EXCERPT_BYTES, decode_content=True).decode("utf-8", "replace")
            except (urllib3.exceptions.HTTPError, OSError):
                excerpt = ""  # the status code is the answer; a broken body does not change it
            retry_after = _retry_after(response.headers.get("Retry-After"), now=at)
            response.release_conn()
            return Outcome(status_code=response.status, excerpt=excerpt, retry_after=retry_after)
        except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as exc:
            error = f"ConnectionError: {exc}"  # try the host's next checked address
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return Outcome(error=f"{type(exc).__name__}: {exc}"[:1000])
        finally:
            pool.close()
    return Outcome(error=error[:1000])


def send_signed(callback: CallbackDelivery, *, at: datetime) -> Outcome:
    try:
        target = check_callback_url(callback.url)  # again: DNS may point elsewhere than at submission
    except UnsafeCallbackURL as exc:
        return Outcome(error=f"Refused: {exc}")
    secrets = webhook_secret_ensure(workspace=callback.workspace_id, actor=callback.owner_id).signing_secrets(at)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **webhook_headers(secrets, webhook_id=callback.webhook_id, timestamp=int(at.timestamp()), body=callback.body),
    }
    return _send_pinned(target, method=callback.method, body=callback.body.encode(), headers=headers, at=at)
