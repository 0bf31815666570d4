"""Writes on social accounts, including the ones that ask Buffer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import ConnectionStatus, SocialAccount, User, Workspace
from accounts.notifications import notify_connection_broken
from accounts.posting_schedule import import_buffer_schedule
from buffer_integration import services as buffer_services
from buffer_integration.backends.base import BufferProfile
from buffer_integration.budget import Priority
from buffer_integration.exceptions import BufferAuthError, BufferNotFound, BufferRejected
from buffer_integration.models import BufferConfig
from buffer_integration.platforms import platform_for_service
from buffer_integration.services import backend_for_account, backend_for_config, buffer_config_for_account
from kernel.errors import InvalidInput

_DUPLICATE = "You already connected this Buffer profile for this platform."


class SocialAccountChanges(TypedDict, total=False):
    """What `social_account_update` may change; a key left out keeps the account's value."""

    platform: str
    account_name: str
    buffer_profile_id: str
    is_active: bool
    default_pinterest_board_id: str


_EDITABLE_FIELDS = SocialAccountChanges.__optional_keys__


class BufferAnswer(StrEnum):
    """What Buffer said about an account, asked with its workspace's Buffer config."""

    PROFILE_FOUND = "profile_found"
    PROFILE_DISCONNECTED = "profile_disconnected"
    PROFILE_NOT_FOUND = "profile_not_found"
    PLATFORM_MISMATCH = "platform_mismatch"
    TOKEN_REJECTED = "token_rejected"  # noqa: S105 (a name of Buffer's answer, not a secret)
    # The account has no profile id: only the config's token was checked.
    TOKEN_ACCEPTED = "token_accepted"  # noqa: S105


# An account whose profile Buffer cannot publish to with the workspace's config is refused when saved.
_UNREACHABLE = {BufferAnswer.PROFILE_NOT_FOUND, BufferAnswer.PLATFORM_MISMATCH, BufferAnswer.TOKEN_REJECTED}
_CONNECTED = {BufferAnswer.PROFILE_FOUND, BufferAnswer.TOKEN_ACCEPTED}


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    checked_at: datetime
    message: str
    buffer_answer: BufferAnswer
    buffer_config_id: int
    buffer_api: str
    # Every Buffer call for an account uses its workspace's Buffer config, never the account's own token.
    token_source: str = "buffer_config"  # noqa: S105 (which credential, never the credential itself)


def _ask_buffer(account: SocialAccount, config: BufferConfig) -> ConnectionCheck:
    """Ask Buffer, with `config`, for the account's profile (or, without one, whether the token works).

    `BufferUnavailable` propagates: Buffer being unreachable says nothing about the account.
    """

    def answer(kind: BufferAnswer, message: str) -> ConnectionCheck:
        return ConnectionCheck(
            ok=kind in _CONNECTED,
            checked_at=timezone.now(),
            message=message,
            buffer_answer=kind,
            buffer_config_id=config.pk,
            buffer_api=config.api,
        )

    backend = backend_for_config(config=config, priority=Priority.PUBLISH)
    profile_id = account.buffer_profile_id
    try:
        if not profile_id:
            backend.get_user()
            return answer(BufferAnswer.TOKEN_ACCEPTED, "Buffer accepts your Buffer token; this account has no profile.")
        profile = backend.get_profile(profile_id)
    except BufferAuthError as exc:
        message = f"Buffer rejected the access token of your Buffer config: {exc.message}"
        return answer(BufferAnswer.TOKEN_REJECTED, message)
    except (BufferNotFound, BufferRejected):
        return answer(
            BufferAnswer.PROFILE_NOT_FOUND,
            f"Buffer has no profile {profile_id} under your Buffer config (GET /api/v1/buffer/profiles lists yours).",
        )
    platform = platform_for_service(profile.service)
    if platform != account.platform:
        return answer(
            BufferAnswer.PLATFORM_MISMATCH,
            f"Buffer profile {profile_id} is a {platform} profile, but this account is {account.platform}.",
        )
    if profile.is_disconnected:
        return answer(BufferAnswer.PROFILE_DISCONNECTED, "Buffer reports this profile as disconnected.")
    return answer(BufferAnswer.PROFILE_FOUND, "Connected.")


def _apply_check(account: SocialAccount, check: ConnectionCheck) -> None:
    account.connection_status = ConnectionStatus.OK if check.ok else ConnectionStatus.ERROR
    account.last_checked_at = check.checked_at
    account.last_error = "" if check.ok else check.message


def _note_connection_broken(account: SocialAccount) -> None:
    """Call before saving an account whose new status is error: the one write that moves it there from
    ok/unknown (a compare-and-set, so two checks racing notify once) tells the workspace's managers."""
    if account.pk is None or account.connection_status != ConnectionStatus.ERROR:
        return
    moved = (
        SocialAccount.objects.filter(pk=account.pk)
        .exclude(connection_status=ConnectionStatus.ERROR)
        .update(connection_status=ConnectionStatus.ERROR, last_error=account.last_error)
    )
    if moved:
        account_id = account.pk
        transaction.on_commit(lambda: notify_connection_broken(account_id=account_id), robust=True)


def social_account_mark_failing(*, account_id: int, message: str) -> None:
    """Buffer refused the account's credentials while the engine used it: error, managers told once."""
    now = timezone.now()
    fields: dict[str, Any] = {"last_error": message, "last_checked_at": now, "updated_at": now}
    if audit.record_update(
        SocialAccount.objects.filter(pk=account_id).exclude(connection_status=ConnectionStatus.ERROR),
        connection_status=ConnectionStatus.ERROR,
        **fields,
    ):
        transaction.on_commit(lambda: notify_connection_broken(account_id=account_id), robust=True)
    else:
        audit.record_update(SocialAccount.objects.filter(pk=account_id), **fields)


def _verify_profile(account: SocialAccount) -> None:
    """Refuse a profile Buffer cannot reach with the workspace's config; record what Buffer said otherwise."""
    if not account.buffer_profile_id:
        account.connection_status, account.last_checked_at, account.last_error = ConnectionStatus.UNKNOWN, None, ""
        return
    try:
        config = buffer_config_for_account(account=account)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, errors={"buffer_profile_id": [exc.message]}) from None
    check = _ask_buffer(account, config)
    if check.buffer_answer in _UNREACHABLE:
        raise InvalidInput(check.message, errors={"buffer_profile_id": [check.message]})
    _apply_check(account, check)


def _ensure_unique_profile(
    *, workspace: Workspace, platform: str, buffer_profile_id: str, exclude_pk: int | None = None
) -> None:
    if not buffer_profile_id:
        return
    duplicates = SocialAccount.objects.in_workspace(workspace).filter(
        platform=platform, buffer_profile_id=buffer_profile_id
    )
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise InvalidInput(_DUPLICATE, errors={"buffer_profile_id": [_DUPLICATE]})


def _save_unique(account: SocialAccount) -> None:
    """The constraint is the last word when two requests race past the check above."""
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        raise InvalidInput(_DUPLICATE, errors={"buffer_profile_id": [_DUPLICATE]}) from None


def social_account_create(
    *,
    workspace: Workspace,
    actor: User,
    platform: str,
    account_name: str,
    buffer_profile_id: str = "",
    access_token: str = "",
    is_active: bool = True,
    default_pinterest_board_id: str = "",
) -> SocialAccount:
    """`access_token` is the network's own credential for the account, kept encrypted; Buffer never sees it.

    A `buffer_profile_id` is checked with Buffer first (the workspace's config): one Buffer does not
    know there, or on another network, is refused; Buffer unreachable raises and nothing is saved.
    """
    _ensure_unique_profile(workspace=workspace, platform=platform, buffer_profile_id=buffer_profile_id)
    account = SocialAccount(
        workspace=workspace,
        owner=actor,
        platform=platform,
        account_name=account_name,
        buffer_profile_id=buffer_profile_id,
        is_active=is_active,
        default_pinterest_board_id=default_pinterest_board_id,
    )
    _ensure_default_board(account)
    account.set_access_token(access_token)
    _verify_profile(account)
    _save_unique(account)
    return account


def _ensure_default_board(account: SocialAccount) -> None:
    """The default board is one of the boards the last sync brought (any id while none are known)."""
    board = account.default_pinterest_board_id
    if not board:
        return
    if account.platform != "pinterest":
        raise InvalidInput(
            "Only a Pinterest account has a default board.", errors={"default_pinterest_board_id": ["Leave it empty."]}
        )
    known = [str(item.get("id")) for item in account.pinterest_boards or [] if isinstance(item, dict)]
    if known and board not in known:
        message = f"Not one of the account's boards: {', '.join(known)}."
        raise InvalidInput(f"default_pinterest_board_id: {message}", errors={"default_pinterest_board_id": [message]})


def social_account_update(
    *, account: SocialAccount, access_token: str | None = None, **changes: Unpack[SocialAccountChanges]
) -> SocialAccount:
    fields: Mapping[str, object] = changes
    unknown = set(fields) - _EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    moved = any(fields[name] != getattr(account, name) for name in ("platform", "buffer_profile_id") if name in fields)
    for name, value in fields.items():
        setattr(account, name, value)
    _ensure_default_board(account)
    _ensure_unique_profile(
        workspace=account.workspace,
        platform=account.platform,
        buffer_profile_id=account.buffer_profile_id,
        exclude_pk=account.pk,
    )
    if access_token is not None:
        account.set_access_token(access_token)  # the network's credential: Buffer's answer does not change
    if moved:
        _verify_profile(account)
    _save_unique(account)
    return account


# What must happen before an account goes, registered by the apps above accounts whose rows hang off it
# (posts, at ready(): refuse while one of its posts is publishing or reconciling, withdraw the others from
# Buffer through the post-delete rules). A registry rather than an import, because accounts sits below
# posts in the layers; rather than a signal, because a guard may refuse by raising, runs before anything
# is deleted, and is called from this one place. The API, the admin and any page delete through here.
_DELETE_GUARDS: list[Callable[..., None]] = []


def register_account_delete_guard(guard: Callable[..., None]) -> None:
    """`guard(account=...)` runs before every social account delete; it may raise to refuse it."""
    if guard not in _DELETE_GUARDS:
        _DELETE_GUARDS.append(guard)


def social_account_delete(*, account: SocialAccount) -> None:
    """Delete `account` once every registered guard has let it (and done its own deletes)."""
    for guard in _DELETE_GUARDS:
        guard(account=account)
    account.delete()


def social_account_test_connection(*, account: SocialAccount) -> ConnectionCheck:
    """Ask Buffer, with the workspace's Buffer config, for the account's profile; record the answer.

    Without a config this is an InvalidInput. Buffer being unreachable raises `BufferUnavailable`
    and records nothing, since nothing was learned about the account.
    """
    check = _ask_buffer(account, buffer_config_for_account(account=account))
    _apply_check(account, check)
    _note_connection_broken(account)
    account.save(update_fields=["connection_status", "last_checked_at", "last_error", "updated_at"])
    return check


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
    import_buffer_schedule(account=account, profile=profile)  # the queue's slots, unless edited here
    # GraphQL: the channel's organization (posts are queried per organization) and its Pinterest boards.
    account.buffer_organization_id = profile.organization_id
    account.pinterest_boards = profile.boards
    account.last_synced_at = now
    account.connection_status = ConnectionStatus.ERROR if profile.is_disconnected else ConnectionStatus.OK
    account.last_checked_at = now
    account.last_error = "Buffer reports this profile as disconnected." if profile.is_disconnected else ""
    _note_connection_broken(account)
    account.save()
    return account


def buffer_profiles_for_workspace(*, workspace: Workspace) -> list[tuple[BufferProfile, int | None]]:
    """The workspace's Buffer profiles, each with the id of the SocialAccount already connected to it."""
    profiles = buffer_services.backend_for_workspace(workspace=workspace).list_profiles()
    connected = dict(
        SocialAccount.objects.in_workspace(workspace)
        .filter(buffer_profile_id__in=[p.id for p in profiles])
        .values_list("buffer_profile_id", "id")
    )
    return [(profile, connected.get(profile.id)) for profile in profiles]


NOT_CONNECTABLE = "That Buffer profile is not available to connect (already connected, or unknown)."


def social_account_connect_from_buffer(*, workspace: Workspace, actor: User, buffer_profile_id: str) -> SocialAccount:
    """Connect one of the workspace's Buffer profiles as a social account, filled from Buffer; all or nothing.

    Buffer is asked for the workspace's profiles rather than trusting the page: the platform and the name
    come from the profile itself, and one already connected (or unknown) is refused. The account is
    created and synced in one transaction: if Buffer fails half way (BufferUnavailable and friends,
    raised as they are), no account is left behind.
    """
    profiles = buffer_profiles_for_workspace(workspace=workspace)
    match = next((p for p, account_id in profiles if p.id == buffer_profile_id and account_id is None), None)
    if match is None:
        raise InvalidInput(NOT_CONNECTABLE, errors={"buffer_profile_id": [NOT_CONNECTABLE]})
    with transaction.atomic():
        account = social_account_create(
            workspace=workspace,
            actor=actor,
            platform=platform_for_service(match.service),
            account_name=match.formatted_username or match.service_username or match.id,
            buffer_profile_id=match.id,
        )
        return social_account_sync_from_buffer(account=account)
