"""Notifications: an in-app row (the bell) and an email, each as the member chose for that kind.

Every layer above accounts calls `notify()` for its events; this app has one of its own (an account's
Buffer connection broke, `notify_connection_broken`). Who gets what:

    approval_requested  managers and owners          (posts: a post waits for approval)
    approved, rejected  the post's creator           (posts: a manager decided)
    post_failed         managers, owners, creator    (posts.alerts: the engine gave up on a post)
    connection_broken   managers and owners          (here: the account went from ok/unknown to error)
    mention             the member named by @username in an internal comment (posts.comments)

A member's choice is a `NotificationPreference` row per kind in that workspace; without one, `DEFAULTS`.
The rows are written in one bulk insert; the emails are sent by a Celery task once the caller's
transaction commits (nothing is sent for a write that rolled back), one task per recipient so a retry
never resends to someone who already got it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from kernel.errors import InvalidInput, NotFound
from kernel.wording import one_line

from .models import (
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
    Role,
    SocialAccount,
    User,
    Workspace,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

logger = logging.getLogger("socialhub.notifications")

# Who approves, and who hears when something breaks.
MANAGERS: tuple[Role, ...] = (Role.OWNER, Role.MANAGER)
TEXT_MAX = Notification._meta.get_field("text").max_length or 500
URL_MAX = Notification._meta.get_field("url").max_length or 500


@dataclass(frozen=True)
class Delivery:
    """Where one kind of notification reaches a member."""

    in_app: bool
    email: bool


_EMAILED_BY_DEFAULT = frozenset(
    {
        NotificationKind.APPROVAL_REQUESTED,
        NotificationKind.APPROVED,
        NotificationKind.REJECTED,
        NotificationKind.POST_FAILED,
        NotificationKind.CONNECTION_BROKEN,
        NotificationKind.MENTION,
    }
)
# Everything in-app; by email what someone has to act on.
DEFAULTS: dict[str, Delivery] = {
    kind: Delivery(in_app=True, email=kind in _EMAILED_BY_DEFAULT) for kind in NotificationKind.values
}


def _check_url(url: str) -> None:
    """A path of this app (`/posts/12/`): never another site, so neither a link nor an email points away."""
    if not url.startswith("/") or url.startswith("//") or "\\" in url or len(url) > URL_MAX:
        raise ValueError(f"A notification's url must be a path of the app, got {url!r}.")


def notify(
    *,
    workspace: Workspace,
    kind: str,
    text: str,
    url: str,
    recipients: Iterable[User] | None = None,
    roles: Collection[Role | str] | None = None,
    exclude: User | None = None,
) -> int:
    """Notify the members of `workspace` among `recipients`, plus every member with one of `roles`.

    People who are not (or no longer) members, inactive users and `exclude` (usually whoever caused
    the event) get nothing. Each member gets the in-app row and/or the email their preference for
    `kind` asks for. `text` is one line (shortened to 500 characters); `url` a path of the app
    (`/posts/12/`), made absolute with SITE_URL in emails. Returns how many members were notified.
    Two queries whatever the number of members (members with their preference, one bulk insert);
    the emails are enqueued once the caller's transaction commits.
    """
    if kind not in DEFAULTS:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    _check_url(url)
    if recipients is None and roles is None:
        raise ValueError("notify() needs recipients, roles or both.")
    who = Q()
    recipient_ids = [user.pk for user in recipients or ()]
    if recipient_ids:
        who |= Q(user_id__in=recipient_ids)
    if roles:
        who |= Q(role__in=[str(role) for role in roles])
    if not who:
        return 0
    members = Membership.objects.filter(who, workspace=workspace, user__is_active=True)
    if exclude is not None:
        members = members.exclude(user_id=exclude.pk)
    preference = NotificationPreference.objects.filter(membership=OuterRef("pk"), kind=kind)
    rows = members.annotate(
        pref_in_app=Subquery(preference.values("in_app")[:1]), pref_email=Subquery(preference.values("email")[:1])
    ).values_list("user_id", "user__email", "pref_in_app", "pref_email")
    default = DEFAULTS[kind]
    text = one_line(text, TEXT_MAX)
    now = timezone.now()
    in_app: list[Notification] = []
    emailed: list[int] = []
    reached = 0
    for user_id, email, pref_in_app, pref_email in rows:
        wants_in_app = default.in_app if pref_in_app is None else pref_in_app
        wants_email = (default.email if pref_email is None else pref_email) and bool(email)
        if wants_in_app:
            in_app.append(
                Notification(recipient_id=user_id, workspace=workspace, kind=kind, text=text, url=url, created_at=now)
            )
        if wants_email:
            emailed.append(user_id)
        reached += wants_in_app or wants_email
    if in_app:
        Notification.objects.bulk_create(in_app)
    if emailed:
        subject, body = _email(workspace=workspace, kind=kind, text=text, url=url)
        transaction.on_commit(lambda: _enqueue_emails(emailed, subject, body), robust=True)
    return reached


def _email(*, workspace: Workspace, kind: str, text: str, url: str) -> tuple[str, str]:
    label = NotificationKind(kind).label
    subject = one_line(f"[{workspace.name}] {label}: {text}", 150)
    site = settings.SITE_URL
    body = (
        f"{text}\n\n{site}{url}\n\n"
        f"-- \nSocialHub, workspace “{workspace.name}”. You get this email because of your notification "
        f"settings there: {site}{reverse('settings')}#notifications\n"
    )
    return subject, body


def _enqueue_emails(user_ids: list[int], subject: str, body: str) -> None:
    from accounts.tasks import send_notification_email  # tasks import this module

    for user_id in user_ids:
        send_notification_email.delay(user_id=user_id, subject=subject, body=body)


def notification_email_send(*, user_id: int, subject: str, body: str) -> bool:
    """Send one notification email to the user's current address; False when there is none any more."""
    email = User.objects.filter(pk=user_id, is_active=True).values_list("email", flat=True).first()
    if not email:
        return False
    EmailMessage(subject=subject, body=body, to=[email]).send()
    logger.info("notification email sent to user %s", user_id)
    return True


# -- the events of this layer ----------------------------------------------------------------------


def notify_connection_broken(*, account_id: int) -> int:
    """The account's Buffer connection went from ok/unknown to error: its workspace's managers and owners."""
    account = SocialAccount.objects.select_related("workspace", "owner").filter(pk=account_id).first()
    if account is None:
        return 0
    workspace = account.workspace
    reason = f": {account.last_error}" if account.last_error else "."
    return notify(
        workspace=workspace,
        kind=NotificationKind.CONNECTION_BROKEN,
        text=f"The Buffer connection of {account.account_name} ({account.get_platform_display()}) broke{reason}",
        url=reverse("account-list"),
        roles=MANAGERS,
    )


# -- reading and marking -----------------------------------------------------------------------------


def notifications_for(*, user: User, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's notifications, in every workspace, newest first."""
    notifications = Notification.objects.for_recipient(user)
    if unread is True:
        notifications = notifications.unread()
    elif unread is False:
        notifications = notifications.filter(read_at__isnull=False)
    return notifications.order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.for_recipient(user).unread().count()


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (again: a no-op); another person's is a NotFound."""
    notification = Notification.objects.for_recipient(user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("Not found.")  # as every other object of someone else's: nothing about it is told
    if notification.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
        else:  # marked read meanwhile by another request: keep its time
            notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many were."""
    return Notification.objects.for_recipient(user).unread().update(read_at=timezone.now())


# -- preferences -------------------------------------------------------------------------------------


def notification_preferences_for(*, membership: Membership) -> dict[str, Delivery]:
    """The member's choice for every kind, in NotificationKind's order (defaults where they chose nothing)."""
    chosen = {
        kind: Delivery(in_app=in_app, email=email)
        for kind, in_app, email in NotificationPreference.objects.filter(membership=membership).values_list(
            "kind", "in_app", "email"
        )
    }
    return {kind: chosen.get(kind, default) for kind, default in DEFAULTS.items()}


def notification_preferences_set(*, membership: Membership, preferences: Mapping[str, Delivery]) -> dict[str, Delivery]:
    """Set the member's choice for the kinds given (the others are kept); returns every kind's choice."""
    unknown = sorted(set(preferences) - DEFAULTS.keys())
    if unknown:
        message = f"Unknown notification kinds: {', '.join(unknown)}."
        raise InvalidInput(message, errors={"preferences": [message]})
    now = timezone.now()
    rows = [
        NotificationPreference(
            membership=membership, kind=kind, in_app=choice.in_app, email=choice.email, created_at=now, updated_at=now
        )
        for kind, choice in preferences.items()
    ]
    if rows:
        NotificationPreference.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["membership", "kind"],
            update_fields=["in_app", "email", "updated_at"],
        )
    return notification_preferences_for(membership=membership)
