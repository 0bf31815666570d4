"""JWTs: obtaining them under the login lock-out, and rotating refresh tokens exactly once.

Refresh tokens at rest: simplejwt's blacklist keeps an `OutstandingToken` row per refresh token and
would store the token itself in it (and show it in admin). Nothing reads that column — the blacklist
works by `jti` — so our tokens store a keyed hash (`hmac-sha256:<hex>`, SECRET_KEY-derived key)
instead: enough to tell whether a token found elsewhere is one of ours, useless to replay.

Rotation: N concurrent refreshes of one token all pass the "not blacklisted" check; the one whose
`BlacklistedToken` insert commits wins, because the table's unique `token` column makes the insert
a compare-and-set. The others get 401, like a reused token.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from rest_framework import exceptions, serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken as SimpleRefreshToken
from rest_framework_simplejwt.tokens import Token, TokenError
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts.lockout import login_authenticate
from kernel.api.strict import StrictSerializer
from kernel.crypto import keyed_hash

FINGERPRINT_PREFIX = "hmac-sha256:"


def refresh_token_fingerprint(token: str) -> str:
    return FINGERPRINT_PREFIX + keyed_hash(token, purpose="refresh-token")


class RefreshToken(SimpleRefreshToken):
    """A refresh token whose outstanding row holds its fingerprint, never the token."""

    @classmethod
    def for_user(cls, user) -> RefreshToken:
        # Skip BlacklistMixin.for_user (it stores str(token)); the stubs see a classmethod as a bound callable.
        token = Token.for_user.__func__(cls, user)  # type: ignore[attr-defined]
        token.outstanding_row(user=user)
        return token

    def outstanding_row(self, *, user=None) -> OutstandingToken:
        row, _ = OutstandingToken.objects.get_or_create(
            jti=self.payload[api_settings.JTI_CLAIM],
            defaults={
                "user": user,
                "created_at": self.current_time,
                "token": refresh_token_fingerprint(str(self)),
                "expires_at": datetime_from_epoch(self.payload["exp"]),
            },
        )
        return row

    def outstand(self) -> OutstandingToken:
        return self.outstanding_row(user=_active_user(self))

    def blacklist(self) -> BlacklistedToken:
        return BlacklistedToken.objects.get_or_create(token=self.outstanding_row(user=_active_user(self)))[0]


def _active_user(token: Token):
    user = (
        get_user_model()
        .objects.filter(**{api_settings.USER_ID_FIELD: token.payload.get(api_settings.USER_ID_CLAIM)})
        .first()
    )
    return user if api_settings.USER_AUTHENTICATION_RULE(user) else None


def refresh_token_rotate(*, refresh: str) -> dict[str, str]:
    """A new access and refresh token for `refresh`, which is blacklisted; TokenError (401) if it lost."""
    # Signature, expiry, type, not yet blacklisted. (simplejwt annotates `token` without the str it takes.)
    old = RefreshToken(refresh)  # type: ignore[arg-type]
    user = _active_user(old)
    if user is None:
        raise exceptions.AuthenticationFailed("No active account found for the given token.", "no_active_account")
    row = old.outstanding_row(user=user)
    try:
        with transaction.atomic():
            BlacklistedToken.objects.create(token=row)
    except IntegrityError:
        raise TokenError("Token is blacklisted") from None  # a concurrent refresh of it won
    new = RefreshToken.for_user(user)
    return {"access": str(new.access_token), "refresh": str(new)}


class TokenObtainSerializer(TokenObtainPairSerializer):
    token_class = RefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        self.user = login_authenticate(
            request=self.context["request"], username=attrs[self.username_field], password=attrs["password"]
        )
        if not api_settings.USER_AUTHENTICATION_RULE(self.user):
            raise exceptions.AuthenticationFailed(self.error_messages["no_active_account"], "no_active_account")
        refresh = cast(RefreshToken, self.get_token(self.user))  # token_class is RefreshToken
        return {"refresh": str(refresh), "access": str(refresh.access_token)}


class TokenRefreshSerializer(StrictSerializer):
    refresh = serializers.CharField()
    access = serializers.CharField(read_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        return refresh_token_rotate(refresh=attrs["refresh"])
