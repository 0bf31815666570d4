"""The workspace pages: the switcher, the current workspace's settings and members, new workspaces, invitations.

Every page acts in the current workspace (`accounts.scoping.request_membership`: the switcher's choice in
the session, else the personal one). The role a form needs is checked before the form is read (a 403 page
naming it: `web.common.requires`); the finer rules (only an owner grants or removes the owner role, the last
owner stays, anyone may leave) are the services' in `accounts.workspaces`, shown as messages.
An invitation link is shown once, in the POST's own response (never through a message, which would put
it in the session).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import workspaces as services
from accounts.models import Membership, Role
from accounts.roles import Capability, require, role_allows
from accounts.scoping import SESSION_KEY, WORKSPACE_HEADER, request_membership
from kernel.api.filters import MAX_ID
from kernel.errors import Forbidden, NotFound, ServiceError
from kernel.users import request_user
from web.accounts.workspace_forms import InvitationSignupForm, InviteForm, RoleForm, WorkspaceForm
from web.common import add_service_errors, error_message, next_url, requires, run_action


def current_membership(request: HttpRequest) -> Membership:
    """The caller's membership in the workspace the page acts in; a workspace they are not in is a 404."""
    try:
        return request_membership(request)
    except ServiceError:  # not a member (or a malformed X-Workspace header): nothing to show
        raise Http404 from None


def _settings_form(membership: Membership, data=None) -> WorkspaceForm:
    workspace = membership.workspace
    initial = {"name": workspace.name, "timezone": workspace.timezone, "approval_required": workspace.approval_required}
    return WorkspaceForm(data, initial=initial, read_only=not role_allows(membership.role, Capability.MANAGE))


def _render(
    request: HttpRequest,
    *,
    settings_form: WorkspaceForm | None = None,
    invite_form: InviteForm | None = None,
    invitation_url: str = "",
    status: int = 200,
) -> HttpResponse:
    membership = current_membership(request)
    can_manage = role_allows(membership.role, Capability.MANAGE)
    context = {
        "membership": membership,
        "workspace": membership.workspace,
        "can_manage": can_manage,
        "is_owner": membership.role == Role.OWNER,
        "settings_form": settings_form or _settings_form(membership),
        "invite_form": invite_form or InviteForm(),
        "role_choices": Role.choices,
        "members": list(services.members_of(membership.workspace)),
        "invitations": list(services.invitations_pending(membership.workspace)) if can_manage else [],
        "invitation_url": invitation_url,
    }
    response = render(request, "accounts/workspace.html", context, status=status)
    if invitation_url:
        response["Cache-Control"] = "no-store"  # the link is a credential, shown this once
    return response


@login_required
@require_GET
def workspace_view(request: HttpRequest) -> HttpResponse:
    return _render(request)


@login_required
@require_POST
def workspace_settings_view(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    form = _settings_form(membership, request.POST)
    if not form.is_valid():
        return _render(request, settings_form=form, status=400)
    try:
        services.workspace_update(
            membership=membership,
            name=form.cleaned_data["name"],
            timezone_name=form.cleaned_data["timezone"],
            approval_required=form.cleaned_data["approval_required"],
        )
    except Forbidden as exc:  # the form is read-only for this role: the page says why
        messages.error(request, error_message(exc))
        return _render(request, status=exc.status_code)
    except ServiceError as exc:
        add_service_errors(form, exc)
        return _render(request, settings_form=form, status=exc.status_code)
    messages.success(request, "Workspace settings saved.")
    return redirect("workspace")


@login_required
@require_POST
@requires(Capability.MANAGE)
def member_add_view(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _render(request, invite_form=form, status=400)
    try:
        added = services.member_add(
            membership=membership,
            user_ref=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            link_for=lambda token: request.build_absolute_uri(reverse("invitation-accept", kwargs={"token": token})),
        )
    except ServiceError as exc:
        add_service_errors(form, exc)
        return _render(request, invite_form=form, status=exc.status_code)
    if added.invitation is not None:
        messages.success(request, f"Invitation sent to {added.invitation.email}.")
        return _render(request, invitation_url=added.url)
    assert added.member is not None
    messages.success(request, f"{added.member.user.get_username()} is now a member.")
    return redirect("workspace")


def _member(request: HttpRequest, pk: int) -> tuple[Membership, Membership]:
    membership = current_membership(request)
    try:
        return membership, services.member_get(workspace=membership.workspace, member_id=pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
@requires(Capability.MANAGE)
def member_role_view(request: HttpRequest, pk: int) -> HttpResponse:
    membership, member = _member(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
        return redirect("workspace")
    role = form.cleaned_data["role"]
    return run_action(
        request,
        lambda: services.member_change_role(membership=membership, member=member, role=role),
        success=f"{member.user.get_username()} is now {Role(role).label.lower()}.",
        default_next=reverse("workspace"),
    )


@login_required
@require_POST
def member_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    membership, member = _member(request, pk)
    leaving = member.user_id == membership.user_id
    if not leaving:  # removing someone else is a manager's (leaving is anyone's)
        try:
            require(membership, Capability.MANAGE)
        except Forbidden as exc:
            raise PermissionDenied(exc.detail) from None
    try:
        services.member_remove(membership=membership, member=member)
    except ServiceError as exc:
        messages.error(request, error_message(exc))
        return redirect("workspace")
    if leaving:
        request.session.pop(SESSION_KEY, None)
        messages.success(request, f"You left “{membership.workspace.name}”.")
        return redirect("calendar")
    messages.success(request, f"{member.user.get_username()} is no longer a member.")
    return redirect("workspace")


@login_required
@require_POST
@requires(Capability.MANAGE)
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    membership = current_membership(request)
    if not services.invitations_pending(membership.workspace).filter(pk=pk).exists():
        raise Http404
    return run_action(
        request,
        lambda: services.invitation_revoke(membership=membership, invitation_id=pk),
        success="Invitation revoked: its link no longer works.",
        default_next=reverse("workspace"),
    )


@login_required
@require_POST
@requires(Capability.DELETE_WORKSPACE)
def workspace_delete_view(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    try:
        services.workspace_delete(membership=membership)
    except ServiceError as exc:
        messages.error(request, error_message(exc))
        return redirect("workspace")
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"Workspace “{membership.workspace.name}” deleted.")
    return redirect("calendar")


@login_required
@require_http_methods(["GET", "POST"])
def workspace_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = WorkspaceForm(request.POST or None, initial={"timezone": user.timezone})
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.workspace_create(
                actor=user,
                name=form.cleaned_data["name"],
                timezone_name=form.cleaned_data["timezone"],
                approval_required=form.cleaned_data["approval_required"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            request.session[SESSION_KEY] = membership.workspace_id
            messages.success(request, f"Workspace “{membership.workspace.name}” created; you are its owner.")
            return redirect("workspace")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/workspace_new.html", {"form": form}, status=status)


@login_required
@require_POST
def workspace_switch_view(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("workspace", "")
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise Http404
    membership = services.membership_for(user=request_user(request), workspace_id=int(raw))
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.workspace_id
    messages.success(request, f"Now working in “{membership.workspace.name}”.")
    return redirect(next_url(request, reverse("calendar")))


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """A signed-in user accepts; someone without an account signs up here. Any unusable link is the same 404."""
    try:
        invitation = services.invitation_by_token(token)
    except NotFound:
        raise Http404 from None
    signed_in = request.user.is_authenticated
    form = InvitationSignupForm(request.POST if request.method == "POST" and not signed_in else None)
    if request.method == "POST":
        try:
            if signed_in:
                membership = services.invitation_accept(token=token, user=request_user(request))
            elif form.is_valid():
                user = services.invitation_signup(
                    token=token, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                membership = services.membership_for(user=user, workspace_id=invitation.workspace_id)  # type: ignore[assignment]
            else:
                membership = None
        except NotFound:
            raise Http404 from None
        except ServiceError as exc:
            add_service_errors(form, exc, field_map={"password": "password1"})
            membership = None
        if membership is not None:
            request.session[SESSION_KEY] = invitation.workspace_id
            messages.success(request, f"Welcome to “{invitation.workspace.name}”.")
            return redirect("workspace")
    status = 400 if request.method == "POST" else 200
    context = {"invitation": invitation, "form": form, "signed_in": signed_in, "login_url": reverse("login")}
    response = render(request, "accounts/invitation.html", context, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"  # the token is in this page's address
    return response


def switcher_context(request: HttpRequest) -> dict:
    """The top bar's workspace switcher: the user's workspaces in one query, and the current one.

    The current one is picked from that same list by `accounts.scoping`'s rules (the session's choice if
    the user is still a member there, else the personal workspace), so the switcher costs one query on any
    page; only an `X-Workspace` header or a personal workspace not made yet goes through
    `request_membership` itself.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("workspace")
        .order_by(Lower("workspace__name"), "workspace_id")
    )
    current = _current_among(request, memberships, user_id=user.pk)
    if current is None:
        try:
            current = request_membership(request)
        except ServiceError:
            current = None
    # Back to the same page in the other workspace, unless it shows one object (of the workspace left).
    match = request.resolver_match
    same_page = match is not None and not match.kwargs
    return {"current": current, "memberships": memberships, "next": request.get_full_path() if same_page else "/"}


def _current_among(request: HttpRequest, memberships: list[Membership], *, user_id: int) -> Membership | None:
    if request.headers.get(WORKSPACE_HEADER):
        return None
    chosen = request.session.get(SESSION_KEY)
    by_workspace = {member.workspace_id: member for member in memberships}
    if isinstance(chosen, int) and chosen in by_workspace:
        return by_workspace[chosen]
    return next((member for member in memberships if member.workspace.personal_for_id == user_id), None)
