"""Which workspace a request acts in, and the caller's membership there.

The API names it in the `X-Workspace` header (a workspace id); the pages keep the switcher's choice in
the session; with neither, it is the caller's personal workspace. A workspace the caller is not a
member of answers 404, exactly like another user's object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel import tenancy
from kernel.errors import InvalidInput, NotFound
from kernel.users import request_user

from .models import Membership, Role
from .workspaces import membership_for, workspace_personal_for

if TYPE_CHECKING:
    from django.http import HttpRequest
    from rest_framework.request import Request

WORKSPACE_HEADER = tenancy.WORKSPACE_HEADER
SESSION_KEY = "workspace_id"
_CACHE_ATTR = "_socialhub_membership"


def request_membership(request: HttpRequest | Request) -> Membership:
    """The caller's membership in the workspace the request acts in (cached on the request)."""
    raw_request = getattr(request, "_request", request)  # a DRF Request wraps the HttpRequest
    cached = getattr(raw_request, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    # A signed integrator-app request acts in its app's workspace, whatever the header says.
    app_workspace_id = getattr(getattr(request, "auth", None), "workspace_id", None)
    if isinstance(app_workspace_id, int):
        membership = membership_for(user=request_user(request), workspace_id=app_workspace_id)
        if membership is None:  # its creator left the workspace: the app acts nowhere
            raise NotFound(f"Workspace {app_workspace_id} not found.")
    else:
        membership = _resolve(raw_request)
    setattr(raw_request, _CACHE_ATTR, membership)
    return membership


def _resolve(request: HttpRequest) -> Membership:
    user = request_user(request)
    if WORKSPACE_HEADER in request.headers:  # sent, even empty: it must name a workspace
        header = request.headers[WORKSPACE_HEADER].strip()
        if not header.isascii() or not header.isdigit() or len(header) > 18:
            raise InvalidInput(
                f"{WORKSPACE_HEADER} must be a workspace id (a positive integer).",
                errors={WORKSPACE_HEADER: ["Not a workspace id."]},
            )
        membership = membership_for(user=user, workspace_id=int(header))
        if membership is None:
            raise NotFound(f"Workspace {header} not found.")
        return membership
    session = getattr(request, "session", None)
    chosen = session.get(SESSION_KEY) if session is not None else None
    if session is not None and isinstance(chosen, int):
        membership = membership_for(user=user, workspace_id=chosen)
        if membership is not None:
            return membership
        session.pop(SESSION_KEY, None)  # removed from that workspace since: back to the personal one
    # One query for the usual case: the membership in the personal workspace, with the workspace.
    membership = Membership.objects.select_related("workspace").filter(user=user, workspace__personal_for=user).first()
    if membership is not None:
        return membership
    personal = workspace_personal_for(user)
    membership = membership_for(user=user, workspace_id=personal.pk)
    if membership is None:  # the owner of a personal workspace cannot leave it; repaired if a row was lost
        membership = Membership.objects.create(workspace=personal, user=user, role=Role.OWNER)
        membership.workspace = personal
    return membership
