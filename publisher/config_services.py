"""Writes on the configuration integrators use: post types, channels, integrator apps, the webhook secret.

Invariants kept here: every network target has at least one post type and exactly one default
(so the lazy defaults never come back unasked), and app secrets leave only as the return value
of the call that made them (a webhook secret is readable by its workspace's managers at any time).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.audit import record_update
from accounts.models import SocialAccount, User, Workspace
from kernel.errors import Conflict, InvalidInput
from posts.network_options import clean_network_options, network_option_errors
from publisher.defaults import DEFAULT_CHANNEL_NAME, default_kinds, ensure_default_posttypes
from publisher.models import Channel, IntegratorApp, PostKind, PostType, WebhookSecret
from publisher.signing import new_app_credentials, new_webhook_secret

# How long a rotated-out webhook secret keeps signing callbacks next to the new one.
WEBHOOK_SECRET_GRACE = timedelta(hours=24)


def _pk(value: Any) -> int:
    return value if isinstance(value, int) else value.pk


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput.from_errors({field: [message]})


def _checked_options(account: SocialAccount, network_options: dict[str, Any]) -> dict[str, Any]:
    """A post type's option defaults: right names and values for its network; required ones may come later."""
    errors = network_option_errors(account=account, options=network_options, complete=False)
    if errors:
        raise InvalidInput.from_errors({"network_options": errors})
    return clean_network_options(network_options)


def _check_kind(account: SocialAccount, kind: str) -> None:
    kinds, _ = default_kinds(account.platform, account.service_type or "profile")
    if kind not in kinds:
        raise _invalid("kind", f"{account.get_platform_display()} takes only {', '.join(kinds)} posts.")


def _unset_other_defaults(posttype: PostType) -> None:
    others = PostType.objects.filter(network_target_id=posttype.network_target_id, is_default=True)
    record_update(others.exclude(pk=posttype.pk), is_default=False, updated_at=timezone.now())


def _make_default(posttype: PostType) -> None:
    """Swap the target's default; a concurrent swap on the same target is a 400, never a 500."""
    try:
        with transaction.atomic():
            _unset_other_defaults(posttype)
            record_update(PostType.objects.filter(pk=posttype.pk), is_default=True, updated_at=timezone.now())
    except IntegrityError:
        message = "Another post type of this target became the default meanwhile: try again."
        raise _invalid("is_default", message) from None
    posttype.is_default = True


def posttype_create(
    *,
    workspace: Workspace,
    actor: User,
    social_account_id: int,
    kind: str,
    name: str = "",
    description: str = "",
    is_default: bool = False,
    network_options: dict[str, Any] | None = None,
) -> PostType:
    account = SocialAccount.objects.in_workspace(workspace).filter(pk=social_account_id).first()
    if account is None:
        raise _invalid("social_account_id", f"You have no social account {social_account_id}.")
    ensure_default_posttypes(
        workspace=workspace
    )  # the account's defaults first, so its first own type is not "the only"
    _check_kind(account, kind)
    options = _checked_options(account, network_options or {})
    posttype = PostType.objects.create(
        workspace=workspace,
        owner=actor,
        network_target=account,
        kind=kind,
        name=name or f"{account.account_name} · {PostKind(kind).name.title()}",
        description=description,
        network_options=options,
    )
    if is_default:
        _make_default(posttype)
    return posttype


def posttype_update(
    *,
    posttype: PostType,
    kind: str | None = None,
    name: str | None = None,
    description: str | None = None,
    is_default: bool | None = None,
    network_options: dict[str, Any] | None = None,
) -> PostType:
    """Edit a post type. Its network target is fixed at creation: there is no argument to move it."""
    changes: dict[str, Any] = {
        field: value
        for field, value in (("kind", kind), ("name", name), ("description", description))
        if value is not None
    }
    if "kind" in changes:
        _check_kind(posttype.network_target, changes["kind"])
    if network_options is not None:
        changes["network_options"] = _checked_options(posttype.network_target, network_options)
    if is_default is False and posttype.is_default:
        raise _invalid("is_default", "Make another post type of this target the default instead.")
    for field, value in changes.items():
        setattr(posttype, field, value)
    with transaction.atomic():
        posttype.save(update_fields=[*changes, "updated_at"])
        if is_default:
            _make_default(posttype)
    return posttype


def posttype_delete(*, posttype: PostType) -> None:
    if posttype.is_default:
        raise Conflict("This is its network target's default post type: make another one the default first.")
    posttype.delete()


def _workspace_posttypes(workspace: Workspace | int, ids: Iterable[int]) -> list[PostType]:
    wanted = set(ids)
    found = list(PostType.objects.in_workspace(workspace).filter(pk__in=wanted))
    missing = wanted - {posttype.pk for posttype in found}
    if missing:
        raise _invalid("posttype_ids", f"You have no post type {sorted(missing)[0]}.")
    return found


def _save_channel(channel: Channel) -> None:
    if channel.name.strip().casefold() == DEFAULT_CHANNEL_NAME.casefold():
        raise _invalid("name", f"{DEFAULT_CHANNEL_NAME!r} is the name of your default channel: choose another.")
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError:
        raise _invalid("name", f"You already have a channel named {channel.name!r}.") from None


@transaction.atomic
def channel_create(
    *, workspace: Workspace, actor: User, name: str, description: str = "", posttype_ids: Iterable[int] = ()
) -> Channel:
    posttypes = _workspace_posttypes(workspace, posttype_ids)
    channel = Channel(workspace=workspace, owner=actor, name=name, description=description)
    _save_channel(channel)
    channel.posttypes.set(posttypes)
    return channel


def _check_not_default(channel: Channel) -> None:
    if channel.is_default:
        raise Conflict(
            "The default channel is kept by SocialHub (the default post type of every active network target) "
            "and cannot be changed or deleted: create your own channel to choose post types."
        )


class ChannelChanges(TypedDict, total=False):
    """What `channel_update` may change besides its post types; a key left out keeps the channel's value."""

    name: str
    description: str


@transaction.atomic
def channel_update(
    *, channel: Channel, posttype_ids: Iterable[int] | None = None, **changes: Unpack[ChannelChanges]
) -> Channel:
    _check_not_default(channel)
    for name, value in changes.items():
        setattr(channel, name, value)
    _save_channel(channel)
    if posttype_ids is not None:
        channel.posttypes.set(_workspace_posttypes(channel.workspace_id, posttype_ids))
    return channel


def channel_delete(*, channel: Channel) -> None:
    _check_not_default(channel)
    channel.delete()


def integrator_app_create(*, workspace: Workspace, actor: User, name: str) -> tuple[IntegratorApp, str]:
    """The app and its secret; the secret is never readable again. Its signed requests act in `workspace`
    with its creator's role there (`accounts.scoping`)."""
    app_id, secret = new_app_credentials()
    app = IntegratorApp(workspace=workspace, owner=actor, name=name, app_id=app_id)
    app.set_secret(secret)
    app.save()
    return app, secret


def integrator_app_revoke(*, app: IntegratorApp) -> None:
    """Requests signed with the app stop working at once; the row stays for the posts it made."""
    record_update(IntegratorApp.objects.filter(pk=app.pk, revoked_at__isnull=True), revoked_at=timezone.now())


def webhook_secret_ensure(*, workspace: Workspace | int, actor: User | int) -> WebhookSecret:
    """The workspace's callback signing secret, created on first use (the first post with a callback);
    `actor` (a user or its id) is recorded as its creator."""
    record = WebhookSecret.objects.filter(workspace=workspace).first()
    if record is not None:
        return record
    record = WebhookSecret(workspace_id=_pk(workspace), owner_id=_pk(actor))
    record.set_secret(new_webhook_secret())
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # created by a concurrent request: that one is the secret
        return WebhookSecret.objects.get(workspace=workspace)
    return record


@transaction.atomic
def webhook_secret_rotate(
    *, workspace: Workspace, actor: User, now: datetime | None = None
) -> tuple[WebhookSecret, str]:
    """Create or replace the workspace's callback signing secret.

    The replaced secret stays valid for WEBHOOK_SECRET_GRACE: callbacks are signed with both
    meanwhile. Rotating again within that time drops the oldest one.
    """
    now = now or timezone.now()
    record = WebhookSecret.objects.select_for_update().filter(workspace=workspace).first()
    if record is None:
        record = WebhookSecret(workspace=workspace, owner=actor)
    else:
        record.previous_secret_encrypted = record.secret_encrypted
        record.previous_valid_until = now + WEBHOOK_SECRET_GRACE
        record.rotated_at = now
    secret = new_webhook_secret()
    record.set_secret(secret)
    record.save()
    return record, secret
