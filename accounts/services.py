"""Writes on social accounts, including the ones that ask Buffer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import ConnectionStatus, SocialAccount
from buffer_integration.exceptions import BufferAuthError, BufferNotFound
from buffer_integration.platforms import platform_for_service
from buffer_integration.services import backend_for_account
from socialhub.errors import InvalidInput

_EDITABLE_FIELDS = {"platform", "account_name", "buffer_profile_id", "is_active"}
_DUPLICATE = "You already connected this Buffer profile for this platform."


def _ensure_unique_profile(*, owner, platform: str, buffer_profile_id: str, exclude_pk: int | None = None) -> None:
    if not buffer_profile_id:
        return
    duplicates = SocialAccount.objects.owned_by(owner).filter(platform=platform, buffer_profile_id=buffer_profile_id)
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise InvalidInput(_DUPLICATE, errors={"buffer_profile_id": [_DUPLICATE]})


def _save_unique(account: SocialAccount, **save_kwargs) -> None:
    """The constraint is the last word when two requests race past the check above."""
    try:
        with transaction.atomic():
            account.save(**save_kwargs)
    except IntegrityError:
        raise InvalidInput(_DUPLICATE, errors={"buffer_profile_id": [_DUPLICATE]}) from None


def social_account_create(
    *,
    owner,
    platform: str,
    account_name: str,
    buffer_profile_id: str = "",
    access_token: str = "",
    is_active: bool = True,
) -> SocialAccount:
    _ensure_unique_profile(owner=owner, platform=platform, buffer_profile_id=buffer_profile_id)
    account = SocialAccount(
        owner=owner,
        platform=platform,
        account_name=account_name,
        buffer_profile_id=buffer_profile_id,
        is_active=is_active,
    )
    account.set_access_token(access_token)
    _save_unique(account)
    return account


def social_account_update(*, account: SocialAccount, access_token: str | None = None, **fields) -> SocialAccount:
    unknown = set(fields) - _EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(account, name, value)
    _ensure_unique_profile(
        owner=account.owner,
        platform=account.platform,
        buffer_profile_id=account.buffer_profile_id,
        exclude_pk=account.pk,
    )
    if access_token is not None:
        account.set_access_token(access_token)
        account.connection_status = ConnectionStatus.UNKNOWN
    if "buffer_profile_id" in fields:
        account.connection_status = ConnectionStatus.UNKNOWN
    _save_unique(account)
    return account


def social_account_delete(*, account: SocialAccount) -> None:
    account.delete()


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    checked_at: datetime
    message: str


def _record_check(account: SocialAccount, *, ok: bool, message: str) -> ConnectionCheck:
    now = timezone.now()
    account.connection_status = ConnectionStatus.OK if ok else ConnectionStatus.ERROR
    account.last_checked_at = now
    account.last_error = "" if ok else message
    account.save(update_fields=["connection_status", "last_checked_at", "last_error", "updated_at"])
    return ConnectionCheck(ok=ok, checked_at=now, message=message)


def social_account_test_connection(*, account: SocialAccount) -> ConnectionCheck:
    """Ask Buffer for the account's profile (or, without one, whether the token works).

    A definite answer is recorded on the account; Buffer being unreachable raises
    `BufferUnavailable` and records nothing, since nothing was learned about the account.
    """
    backend = backend_for_account(account=account)
    try:
        if account.buffer_profile_id:
            profile = backend.get_profile(account.buffer_profile_id)
            if profile.is_disconnected:
                return _record_check(account, ok=False, message="Buffer reports this profile as disconnected.")
        else:
            backend.get_user()
    except BufferAuthError as exc:
        return _record_check(account, ok=False, message=f"Buffer rejected the access token: {exc.message}")
    except BufferNotFound:
        return _record_check(account, ok=False, message="Buffer does not know this profile id for this token.")
    return _record_check(account, ok=True, message="Connected.")


def social_account_sync_from_buffer(*, account: SocialAccount) -> SocialAccount:
    """Refresh the account from its Buffer profile: username, avatar, timezone, posting schedule."""
    if not account.buffer_profile_id:
        raise InvalidInput(
            "This account has no buffer_profile_id to sync from.",
            errors={"buffer_profile_id": ["Set a Buffer profile id first."]},
        )
    profile = backend_for_account(account=account).get_profile(account.buffer_profile_id)
    platform = platform_for_service(profile.service)
    if platform != account.platform:
        raise InvalidInput(
            f"Buffer profile {profile.id} is a {platform} profile, but this account is {account.platform}.",
            errors={"platform": [f"Buffer says this profile is on {platform}."]},
        )
    now = timezone.now()
    account.service_type = profile.service_type
    account.service_username = profile.service_username
    account.avatar_url = profile.avatar_url
    account.profile_timezone = profile.timezone
    account.posting_schedule = profile.schedules
    account.last_synced_at = now
    account.connection_status = ConnectionStatus.ERROR if profile.is_disconnected else ConnectionStatus.OK
    account.last_checked_at = now
    account.last_error = "Buffer reports this profile as disconnected." if profile.is_disconnected else ""
    account.save()
    return account
