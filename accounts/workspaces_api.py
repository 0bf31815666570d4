"""`/api/v1/workspaces[/{id}[/members[/{member_id}]|/invitations[/{id}]]]`: thin views over `accounts.workspaces`.

The workspace is the one in the path (the `X-Workspace` header does not apply here); one the caller is
not a member of is a 404, an action their role does not allow a 403 naming the role needed.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import workspaces as services
from accounts.models import Invitation, Membership, Workspace
from accounts.roles import Capability, require
from accounts.workspace_serializers import (
    InvitationSerializer,
    MemberAddedSerializer,
    MemberAddSerializer,
    MemberRoleSerializer,
    MemberSerializer,
    NewInvitationSerializer,
    WorkspaceSerializer,
    WorkspaceUpdateSerializer,
)
from kernel.api.filters import MAX_ID
from kernel.api.views import UserTimezoneMixin
from kernel.errors import NotFound
from kernel.users import request_user

_400 = OpenApiResponse(description="Invalid input: `detail` plus per-field `errors`.")
_401 = OpenApiResponse(description="Missing or invalid JWT.")
_403 = OpenApiResponse(description="Your role in the workspace does not allow it: `detail` names the role needed.")
_404 = OpenApiResponse(description="No such workspace (or member, invitation) among yours.")
_429 = OpenApiResponse(description="More than 60 requests in a minute.")
LIST_ERRORS = {400: _400, 401: _401, 429: _429}
READ_ERRORS = {401: _401, 404: _404, 429: _429}
WRITE_ERRORS = {400: _400, 401: _401, 403: _403, 404: _404, 429: _429}
MEMBER_ERRORS = {
    **WRITE_ERRORS,
    409: OpenApiResponse(
        description="Already a member, or the change would leave the workspace without an owner "
        "(or take someone out of their personal workspace)."
    ),
}


def _member_of(request: Request, workspace_id: Any) -> Membership:
    """The caller's membership in the path's workspace; not a member (or no such workspace): 404."""
    workspace_pk = int(workspace_id)
    membership = None
    if workspace_pk <= MAX_ID:
        membership = services.membership_for(user=request_user(request), workspace_id=workspace_pk)
    if membership is None:
        raise NotFound("Not found.")
    return membership


def _workspace_data(membership: Membership) -> dict[str, Any]:
    workspace = membership.workspace
    workspace.role = membership.role  # type: ignore[attr-defined]  # what the list annotates
    return WorkspaceSerializer(workspace).data


@extend_schema_view(
    list=extend_schema(
        summary="List your workspaces, with your role in each",
        responses={200: WorkspaceSerializer(many=True), **LIST_ERRORS},
    ),
    create=extend_schema(
        summary="Create a workspace (you are its owner)",
        description="`name` is required; `timezone` defaults to yours, `approval_required` to false.",
        request=WorkspaceSerializer,
        responses={201: WorkspaceSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(summary="Get a workspace", responses={200: WorkspaceSerializer, **READ_ERRORS}),
    update=extend_schema(
        summary="Change a workspace's settings (managers and owners; fields left out are kept)",
        request=WorkspaceUpdateSerializer,
        responses={200: WorkspaceSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Delete a workspace and everything in it (owners)",
        description="A personal workspace cannot be deleted (400); one that still has social accounts "
        "answers 409 until they are deleted (which withdraws their posts from Buffer).",
        responses={
            204: None,
            **WRITE_ERRORS,
            409: OpenApiResponse(description="The workspace still has social accounts."),
        },
    ),
)
class WorkspaceViewSet(UserTimezoneMixin, viewsets.GenericViewSet):
    queryset = Workspace.objects.none()  # for the schema: each action asks the services
    serializer_class = WorkspaceSerializer
    lookup_value_regex = r"[0-9]+"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(services.workspaces_of(request_user(request)))
        return self.get_paginated_response(WorkspaceSerializer(page, many=True).data)

    def create(self, request: Request) -> Response:
        serializer = WorkspaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = services.workspace_create(
            actor=request_user(request),
            name=data["name"],
            timezone_name=data.get("timezone"),
            approval_required=data.get("approval_required", False),
        )
        return Response(_workspace_data(membership), status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(_workspace_data(_member_of(request, pk)))

    def update(self, request: Request, pk: str) -> Response:
        membership = _member_of(request, pk)
        require(membership, Capability.MANAGE)  # before the body: a viewer learns about their role, not a field
        serializer = WorkspaceUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.workspace_update(
            membership=membership,
            name=data.get("name"),
            timezone_name=data.get("timezone"),
            approval_required=data.get("approval_required"),
        )
        return Response(_workspace_data(membership))

    def destroy(self, request: Request, pk: str) -> Response:
        services.workspace_delete(membership=_member_of(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="List a workspace's members and their roles",
        responses={200: MemberSerializer(many=True), **READ_ERRORS, 400: _400},
    ),
    create=extend_schema(
        summary="Add a member, or invite an email without an account (managers and owners)",
        description="`user` is a username or an email. An existing user becomes a member at once "
        "(`member`); an email of someone without an account gets an invitation (`invitation`, with its "
        "link `url`, valid 14 days, also emailed). Only an owner may give the owner role. Inviting the "
        "same email again renews its invitation: the old link stops working.",
        request=MemberAddSerializer,
        responses={201: MemberAddedSerializer, **MEMBER_ERRORS},
    ),
    update=extend_schema(
        summary="Change a member's role (managers and owners; owners for the owner role)",
        request=MemberRoleSerializer,
        responses={200: MemberSerializer, **MEMBER_ERRORS},
    ),
    destroy=extend_schema(
        summary="Remove a member, or leave (your own membership)",
        description="Managers and owners remove members (an owner only by an owner); anyone may remove "
        "themselves. The last owner cannot leave or be removed (409).",
        responses={204: None, **MEMBER_ERRORS},
    ),
)
class WorkspaceMemberViewSet(UserTimezoneMixin, viewsets.GenericViewSet):
    queryset = Membership.objects.none()
    serializer_class = MemberSerializer

    def list(self, request: Request, workspace_id: str) -> Response:
        membership = _member_of(request, workspace_id)
        page = self.paginate_queryset(services.members_of(membership.workspace))
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    def create(self, request: Request, workspace_id: str) -> Response:
        membership = _member_of(request, workspace_id)
        require(membership, Capability.MANAGE)
        serializer = MemberAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        added = services.member_add(
            membership=membership,
            user_ref=serializer.validated_data["user"],
            role=serializer.validated_data["role"],
            link_for=lambda token: request.build_absolute_uri(reverse("invitation-accept", kwargs={"token": token})),
        )
        invitation = None
        if added.invitation is not None:
            invitation = {**NewInvitationSerializer(added.invitation).data, "url": added.url}
        body = {"member": MemberSerializer(added.member).data if added.member else None, "invitation": invitation}
        response = Response(body, status=status.HTTP_201_CREATED)
        if added.url:
            response["Cache-Control"] = "no-store"  # the link is a credential
        return response

    def update(self, request: Request, workspace_id: str, pk: str) -> Response:
        membership = _member_of(request, workspace_id)
        member = _member(membership, pk)
        require(membership, Capability.MANAGE)
        serializer = MemberRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.member_change_role(
            membership=membership, member=member, role=serializer.validated_data["role"]
        )
        return Response(MemberSerializer(member).data)

    def destroy(self, request: Request, workspace_id: str, pk: str) -> Response:
        membership = _member_of(request, workspace_id)
        services.member_remove(membership=membership, member=_member(membership, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _member(membership: Membership, pk: str) -> Membership:
    member_id = int(pk)
    if member_id > MAX_ID:
        raise NotFound("Not found.")
    return services.member_get(workspace=membership.workspace, member_id=member_id)


@extend_schema_view(
    list=extend_schema(
        summary="List a workspace's pending invitations (managers and owners)",
        description="Neither accepted nor expired. Their links are not shown again: only a hash is stored.",
        responses={200: InvitationSerializer(many=True), **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Revoke a pending invitation (its link answers 404 from now on)",
        responses={204: None, **READ_ERRORS, 403: _403},
    ),
)
class WorkspaceInvitationViewSet(UserTimezoneMixin, viewsets.GenericViewSet):
    queryset = Invitation.objects.none()
    serializer_class = InvitationSerializer

    def list(self, request: Request, workspace_id: str) -> Response:
        membership = _member_of(request, workspace_id)
        require(membership, Capability.MANAGE)
        page = self.paginate_queryset(services.invitations_pending(membership.workspace))
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    def destroy(self, request: Request, workspace_id: str, pk: str) -> Response:
        membership = _member_of(request, workspace_id)
        invitation_id = int(pk)
        if invitation_id > MAX_ID:
            raise NotFound("Not found.")
        services.invitation_revoke(membership=membership, invitation_id=invitation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
