"""Signed requests from integrator apps: `?appId=…&timestamp=…&signature=…` (see `publisher.signing`).

A request without `appId` is left to JWT. One with `appId` must carry a valid signature over
`METHOD&path&timestamp` + raw body, a timestamp within the allowed clock skew, and must not have
been seen before: signatures are remembered for the skew window, so a captured request cannot be
replayed even while its timestamp is still fresh.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from publisher.models import IntegratorApp
from publisher.signing import request_signature, signatures_match

HOW = "Sign each request: see the Publisher API section of the README."


class IntegratorSignatureAuthentication(BaseAuthentication):
    def authenticate(self, request):
        params = request.query_params
        app_id = params.get("appId")
        if app_id is None:
            return None
        timestamp, signature = params.get("timestamp", ""), params.get("signature", "")
        if not timestamp or not signature:
            raise AuthenticationFailed(f"A signed request needs appId, timestamp and signature. {HOW}")
        if not timestamp.isdigit():
            raise AuthenticationFailed("timestamp must be Unix time in seconds.")
        skew = settings.PUBLISHER_SIGNATURE_MAX_SKEW_SECONDS
        if abs(time.time() - int(timestamp)) > skew:
            raise AuthenticationFailed(f"timestamp is more than {skew} seconds from the server's clock.")
        app = IntegratorApp.objects.active().select_related("owner").filter(app_id=app_id).first()
        if app is None or not app.owner.is_active:
            raise AuthenticationFailed("Unknown or revoked appId.")
        expected = request_signature(
            app.get_secret(),
            method=request.method,
            path=request._request.path,
            timestamp=timestamp,
            body=request._request.body,
        )
        if not signatures_match(expected, signature):
            raise AuthenticationFailed(f"The signature does not match this request. {HOW}")
        # Remembered a little longer than a timestamp stays acceptable on either side.
        if not cache.add(f"publisher:signature:{signature}", 1, timeout=2 * skew + 1):
            raise AuthenticationFailed("This signed request was already used; sign every request anew.")
        IntegratorApp.objects.filter(pk=app.pk).update(last_used_at=timezone.now())
        return app.owner, app

    def authenticate_header(self, request) -> str:
        return 'SocialHub-Signature realm="publisher"'


class IntegratorSignatureScheme(OpenApiAuthenticationExtension):
    """Documents the scheme in the OpenAPI schema (the query carries appId and timestamp too)."""

    target_class = IntegratorSignatureAuthentication
    name = "integratorSignature"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "query",
            "name": "signature",
            "description": "hex HMAC-SHA256(app secret, METHOD&path&timestamp + raw body), "
            "with appId and timestamp (Unix seconds) in the query string.",
        }
