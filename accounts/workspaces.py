"""Reads and writes of workspaces and memberships that every layer needs: the caller's personal
workspace and their membership in a given one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from .models import Membership, Role, Workspace

if TYPE_CHECKING:
    from .models import User


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
