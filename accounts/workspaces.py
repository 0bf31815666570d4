"""Reads and writes of workspaces and memberships that every layer needs: the caller's personal
workspace and their membership in a given one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import secrets
import smtplib
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from kernel.crypto import keyed_hash
from kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from kernel.wording import count_of

from .models import Invitation, Membership, Role, SocialAccount, User, Workspace, validate_timezone
from .roles import Capability, _with_article, require

logger = logging.getLogger("socialhub.accounts")


def workspace_personal_for(user: User) -> Workspace:
    """The user's personal workspace, made (with them as owner) the first time it is asked for.

    Made lazily rather than on user creation: users also come from `createsuperuser`, the admin and
    data migrations, and none of those paths needs to know about workspaces.
    """
    cached = getattr(user, "_personal_workspace_cache", None)
    if cached is not None:
        return cached
    workspace = Workspace.objects.filter(personal_for=user).first()
    if workspace is None:
        try:
            with transaction.atomic():
                workspace = Workspace.objects.create(
                    name=f"{user.get_username()}'s workspace", timezone=user.timezone, personal_for=user
                )
                Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        except IntegrityError:  # a concurrent first request made it
            workspace = Workspace.objects.get(personal_for=user)
    user._personal_workspace_cache = workspace  # type: ignore[attr-defined]
    return workspace


def membership_for(*, user: User, workspace_id: int) -> Membership | None:
    """The user's membership in that workspace, with the workspace; None if they are not a member."""
    return Membership.objects.select_related("workspace").filter(user=user, workspace_id=workspace_id).first()


# --- Workspaces, members and invitations (issue 15) ----------------------------------------------
# Every write takes the actor's `membership` in the workspace (from `accounts.scoping` or the path) and
# checks its role here, so the API, the pages and admin refuse the same things with the same words.

INVITATION_LIFETIME = dt.timedelta(days=14)
_HASH_PURPOSE = "workspace-invitation"
_MAX_TOKEN_LENGTH = 100  # a longer "token" in a link is unknown without asking the database


@dataclasses.dataclass(frozen=True)
class MemberAdded:
    """What `member_add` did: made a member (an existing user), or invited an email (with its link, once)."""

    member: Membership | None = None
    invitation: Invitation | None = None
    url: str = ""  # the invitation link; its token is stored only as a hash, so this is the one chance


def workspaces_of(user: User) -> QuerySet[Workspace]:
    """The user's workspaces, each annotated with their `role` there (one query; personal one made first)."""
    workspace_personal_for(user)
    return Workspace.objects.filter(memberships__user=user).annotate(role=F("memberships__role")).order_by("id")


def members_of(workspace: Workspace) -> QuerySet[Membership]:
    return Membership.objects.filter(workspace=workspace).select_related("user").order_by("id")


def invitations_pending(workspace: Workspace) -> QuerySet[Invitation]:
    return Invitation.objects.filter(workspace=workspace).pending(timezone.now()).select_related("invited_by")


def workspace_create(
    *, actor: User, name: str, timezone_name: str | None = None, approval_required: bool = False
) -> Membership:
    """A new team workspace with the actor as its owner; its timezone defaults to the actor's."""
    name, timezone_name = _clean_settings(name=name, timezone_name=timezone_name or actor.timezone)
    with transaction.atomic():
        workspace = Workspace.objects.create(name=name, timezone=timezone_name, approval_required=approval_required)
        membership = Membership.objects.create(workspace=workspace, user=actor, role=Role.OWNER)
    membership.workspace = workspace
    return membership


def workspace_update(
    *,
    membership: Membership,
    name: str | None = None,
    timezone_name: str | None = None,
    approval_required: bool | None = None,
) -> Workspace:
    """Settings of the actor's workspace (managers and owners); fields left None are kept."""
    require(membership, Capability.MANAGE)
    workspace = membership.workspace
    clean_name, clean_timezone = _clean_settings(
        name=workspace.name if name is None else name,
        timezone_name=workspace.timezone if timezone_name is None else timezone_name,
    )
    workspace.name, workspace.timezone = clean_name, clean_timezone
    if approval_required is not None:
        workspace.approval_required = approval_required
    workspace.save(update_fields=["name", "timezone", "approval_required", "updated_at"])
    return workspace


def workspace_delete(*, membership: Membership) -> None:
    """Deletes a team workspace and what it owns (owners only); a personal workspace stays.

    One with social accounts is refused: deleting those withdraws their posts from Buffer first, which
    the account's own delete does (a cascade from here would leave them queued at Buffer).
    """
    require(membership, Capability.DELETE_WORKSPACE)
    workspace_destroy(workspace=membership.workspace)


def workspace_destroy(*, workspace: Workspace) -> None:
    """The delete itself, for an owner (`workspace_delete`) or staff in admin: never a personal one."""
    problem = workspace_delete_problem(workspace)
    if problem is not None:
        raise problem
    workspace.delete()


def workspace_delete_problem(workspace: Workspace) -> InvalidInput | Conflict | None:
    """Why the workspace cannot be deleted, or None."""
    if workspace.personal_for_id is not None:
        return InvalidInput("A personal workspace cannot be deleted; it goes only with its user's account.")
    accounts = SocialAccount.objects.filter(workspace=workspace).count()
    if accounts:
        return Conflict(
            f"The workspace still has {count_of(accounts, 'social account')}: delete "
            f"{'it' if accounts == 1 else 'them'} first, so their posts are withdrawn from Buffer."
        )
    return None


def member_get(*, workspace: Workspace, member_id: int) -> Membership:
    member = members_of(workspace).filter(pk=member_id).first()
    if member is None:
        raise NotFound("Not found.")
    return member


def member_add(*, membership: Membership, user_ref: str, role: str, link_for: Callable[[str], str]) -> MemberAdded:
    """Adds a user (by username or email) at once, or invites an email without an account.

    `link_for(token)` is the absolute URL of the invitation page; the link is emailed and returned.
    """
    require(membership, Capability.MANAGE)
    role = _clean_role(role)
    _require_owner_for_owner_role(membership, granting=role)
    workspace = membership.workspace
    ref = user_ref.strip()
    user = _find_user(ref)
    if user is not None:
        try:
            with transaction.atomic():
                member = Membership.objects.create(workspace=workspace, user=user, role=role)
        except IntegrityError:
            raise Conflict(f"{user.get_username()} is already a member of this workspace.") from None
        member.user = user
        return MemberAdded(member=member)
    if not _is_email(ref):
        raise InvalidInput.from_errors(
            {"user": ["No user has that username or email; to invite someone without an account, give their email."]}
        )
    invitation, token = _invitation_issue(workspace=workspace, email=ref.lower(), role=role, actor=membership.user)
    url = link_for(token)
    _send_invitation(invitation=invitation, url=url)
    return MemberAdded(invitation=invitation, url=url)


def member_change_role(*, membership: Membership, member: Membership, role: str) -> Membership:
    """A member's new role (managers and owners; the owner role only by an owner; never the last owner's)."""
    require(membership, Capability.MANAGE)
    role = _clean_role(role)
    if role == member.role:
        return member
    _require_owner_for_owner_role(membership, granting=role, changing=member)
    with transaction.atomic():
        _refuse_personal_owner(member, "have another role there")
        if member.role == Role.OWNER:
            _refuse_last_owner(member, "be demoted")
        member.role = role
        member.save(update_fields=["role", "updated_at"])
    return member


def member_remove(*, membership: Membership, member: Membership) -> None:
    """Removes a member (managers and owners; an owner only by an owner); anyone may leave by removing themselves.

    The last owner can neither leave nor be removed, and nobody leaves their personal workspace.
    """
    leaving = member.user_id == membership.user_id
    if not leaving:
        require(membership, Capability.MANAGE)
        _require_owner_for_owner_role(membership, granting=None, changing=member)
    with transaction.atomic():
        _refuse_personal_owner(member, "leave it" if leaving else "be removed from it")
        if member.role == Role.OWNER:
            _refuse_last_owner(member, "leave it" if leaving else "be removed")
        member.delete()


def invitation_revoke(*, membership: Membership, invitation_id: int) -> None:
    """Deletes a pending invitation of the workspace: its link answers 404 from now on."""
    require(membership, Capability.MANAGE)
    invitation = invitations_pending(membership.workspace).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound("Not found.")
    invitation.delete()


def invitation_by_token(token: str) -> Invitation:
    """The pending invitation a link names; unknown, expired, revoked and used ones are all the same 404."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        raise NotFound("Not found.")
    invitation = (
        Invitation.objects.pending(timezone.now())
        .select_related("workspace", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None:
        raise NotFound("Not found.")
    return invitation


def invitation_accept(*, token: str, user: User) -> Membership:
    """The signed-in user accepts a link: they become a member with its role (a member already keeps theirs)."""
    invitation = invitation_by_token(token)
    with transaction.atomic():
        _claim(invitation, user)
        member, _created = Membership.objects.get_or_create(
            workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
        )
    member.workspace = invitation.workspace
    return member


def invitation_signup(*, token: str, username: str, password: str) -> User:
    """Someone without an account signs up from the link (its email is theirs) and becomes a member."""
    invitation = invitation_by_token(token)
    username = username.strip()
    candidate = User(username=username, email=invitation.email)
    errors: dict[str, list[str]] = {}
    try:
        candidate.clean_fields(exclude=[f.name for f in User._meta.fields if f.name != "username"])
    except ValidationError as exc:
        errors["username"] = exc.message_dict.get("username", exc.messages)
    if not errors and User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["That username is taken."]
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise InvalidInput.from_errors(errors)
    with transaction.atomic():
        # The workspace's timezone is its members' default: a new member's calendar starts in it.
        user = User.objects.create_user(
            username=username, email=invitation.email, password=password, timezone=invitation.workspace.timezone
        )
        _claim(invitation, user)
        Membership.objects.create(workspace=invitation.workspace, user=user, role=invitation.role)
    return user


def _claim(invitation: Invitation, user: User) -> None:
    """Marks the invitation used; compare-and-set, so one link makes one member even when clicked twice."""
    won = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, expires_at__gt=timezone.now()).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if won != 1:
        raise NotFound("Not found.")


def _invitation_issue(*, workspace: Workspace, email: str, role: str, actor: User) -> tuple[Invitation, str]:
    """A new invitation, or the open one for that email renewed (a new link, the old one stops working)."""
    token = secrets.token_urlsafe(32)
    values = {
        "role": role,
        "invited_by": actor,
        "token_hash": _token_hash(token),
        "expires_at": timezone.now() + INVITATION_LIFETIME,
    }
    invitation, _created = Invitation.objects.update_or_create(
        workspace=workspace, email=email, accepted_at=None, defaults=values
    )
    return invitation, token


def _send_invitation(*, invitation: Invitation, url: str) -> None:
    inviter = invitation.invited_by.get_username() if invitation.invited_by else "Someone"
    body = (
        f"{inviter} invited you to the workspace “{invitation.workspace.name}” on SocialHub "
        f"as {_with_article(Role(invitation.role).label.lower())}.\n\n"
        f"Accept the invitation (and create your account) here:\n{url}\n\n"
        f"The link works once, until {invitation.expires_at:%Y-%m-%d %H:%M} UTC."
    )
    try:
        send_mail(
            f"Join “{invitation.workspace.name}” on SocialHub",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [invitation.email],
        )
    except (OSError, smtplib.SMTPException):  # the link is in the answer too: the inviter can pass it on
        logger.warning("invitation %s: the email could not be sent", invitation.pk, exc_info=True)


def _token_hash(token: str) -> str:
    return keyed_hash(token, purpose=_HASH_PURPOSE)


def _find_user(ref: str) -> User | None:
    """The account a username names, else the one account with that email (several: give the username)."""
    if not ref:
        return None
    user = User.objects.filter(username=ref).first()
    if user is not None or "@" not in ref:
        return user
    matches = list(User.objects.filter(email__iexact=ref)[:2])
    if len(matches) > 1:
        raise InvalidInput.from_errors({"user": ["Several accounts use that email: give the username."]})
    return matches[0] if matches else None


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _clean_role(role: str) -> str:
    if role not in Role.values:
        raise InvalidInput.from_errors({"role": [f"Must be one of: {', '.join(Role.values)}."]})
    return role


def _clean_settings(*, name: str, timezone_name: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = ["A workspace needs a name."]
    elif len(name) > Workspace._meta.get_field("name").max_length:  # type: ignore[operator]
        errors["name"] = ["At most 100 characters."]
    try:
        validate_timezone(timezone_name)
    except ValidationError as exc:
        errors["timezone"] = exc.messages
    if errors:
        raise InvalidInput.from_errors(errors)
    return name, timezone_name


def _require_owner_for_owner_role(
    membership: Membership, *, granting: str | None, changing: Membership | None = None
) -> None:
    touches_owner = granting == Role.OWNER or (changing is not None and changing.role == Role.OWNER)
    if touches_owner and membership.role != Role.OWNER:
        raise Forbidden(
            "Only an owner may grant the owner role or change or remove an owner; "
            f"you are {_with_article(Role(membership.role).label.lower())}."
        )


def _refuse_last_owner(member: Membership, what: str) -> None:
    """Inside the caller's transaction: the workspace's owners locked, so two owners cannot both step down."""
    owners = list(
        Membership.objects.select_for_update()
        .filter(workspace_id=member.workspace_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )
    if owners == [member.pk]:
        raise Conflict(f"The last owner of a workspace cannot {what}: make another member an owner first.")


def _refuse_personal_owner(member: Membership, what: str) -> None:
    personal_for = Workspace.objects.filter(pk=member.workspace_id).values_list("personal_for_id", flat=True).first()
    if personal_for is not None and personal_for == member.user_id:
        raise Conflict(f"This is the member's personal workspace: they cannot {what}.")
