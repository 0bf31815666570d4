"""Secrets and signatures: Standard Webhooks for our callbacks, HMAC request signing for integrator apps.

Callbacks (https://www.standardwebhooks.com): the secret is `whsec_` + base64(key); each request
carries `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256(key,
"{id}.{timestamp}.{body}")>`.

Integrator requests: `signature = hex HMAC-SHA256(app secret, "{METHOD}&{path}&{timestamp}" + raw body)`,
sent as `?appId=...&timestamp=...&signature=...`. The timestamp is signed, so a captured request
stops working once it falls outside the allowed clock skew.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

WEBHOOK_SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
APP_ID_PREFIX = "app_"


def new_webhook_secret() -> str:
    return WEBHOOK_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_signature(secret: str, *, webhook_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix(WEBHOOK_SECRET_PREFIX))
    digest = hmac.new(key, f"{webhook_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def webhook_headers(secrets: list[str], *, webhook_id: str, timestamp: int, body: str) -> dict[str, str]:
    """One `v1,` signature per secret, space-separated, as Standard Webhooks signs during a rotation."""
    signatures = (webhook_signature(s, webhook_id=webhook_id, timestamp=timestamp, body=body) for s in secrets)
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signatures),
    }


def new_app_credentials() -> tuple[str, str]:
    """(app id, app secret): the id is public, the secret is shown once."""
    return APP_ID_PREFIX + secrets.token_urlsafe(15), secrets.token_urlsafe(32)


def request_signature(secret: str, *, method: str, path: str, timestamp: str, body: bytes) -> str:
    message = f"{method.upper()}&{path}&{timestamp}".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signatures_match(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())
