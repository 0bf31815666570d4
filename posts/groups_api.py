"""Post groups API: one write, one ordinary post per account (`posts.groups`); thin views."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from accounts.roles import Capability
from accounts.scoping import request_membership
from accounts.tenancy import writes
from kernel.api.views import OwnedViewSet
from kernel.users import request_user
from posts import approvals, groups
from posts.api import BUFFER, ERRORS
from posts.group_serializers import PostGroupCreateSerializer, PostGroupSerializer, PostGroupUpdateSerializer
from posts.models import Post, PostGroup

GROUP_NOT_FOUND = {
    404: OpenApiResponse(
        description="No such post group in this workspace (other workspaces' included), "
        "or an `X-Workspace` the caller is not a member of."
    )
}
BUSY = {409: OpenApiResponse(description="A delivery is being published or checked with Buffer right now.")}


@extend_schema_view(
    list=extend_schema(
        summary="List post groups, newest first, each with its deliveries",
        responses={200: PostGroupSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a post group with its deliveries",
        responses={200: PostGroupSerializer, **ERRORS, **GROUP_NOT_FOUND},
    ),
    create=extend_schema(
        summary="Create a post group: one post per account, with per-account variants, all or nothing",
        description="Each delivery is created as `POST /posts` would create it (rules, approval, capacity). "
        "Any problem: 400 with `errors` at its path (`social_account_ids.1`, `variants.<account id>.content`, "
        "`deliveries.<account id>.content` for a shared field one network refuses), and nothing is created.",
        request=PostGroupCreateSerializer,
        responses={201: PostGroupSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change the shared text or time of a group's editable deliveries",
        description="`content` goes to the deliveries whose text was not customised, `scheduled_time` to every "
        "editable one; published, publishing and reconciling deliveries are left alone. All or nothing.",
        request=PostGroupUpdateSerializer,
        responses={200: PostGroupSerializer, **ERRORS, **GROUP_NOT_FOUND, **BUFFER},
    ),
    destroy=extend_schema(
        summary="Delete a group and its unpublished deliveries (published ones stay, outside any group)",
        responses={204: None, **ERRORS, **GROUP_NOT_FOUND, **BUSY, **BUFFER},
    ),
)
class PostGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet[PostGroup]):
    # Two queries for any page: the groups, and all their deliveries with their relations.
    queryset = PostGroup.objects.prefetch_related(
        Prefetch("posts", queryset=Post.objects.with_relations().with_media().order_by("pk"))
    ).order_by("-created_at", "-id")
    serializer_class = PostGroupSerializer
    capabilities = writes(Capability.EDIT_POSTS)

    def _needs_approval(self) -> bool:
        return approvals.membership_needs_approval(request_membership(self.request))

    def _group_response(self, group: PostGroup, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=group.pk)
        return Response(PostGroupSerializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        body = PostGroupCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        group = groups.create_post_group(
            workspace=self.workspace,
            actor=request_user(request),
            needs_approval=self._needs_approval(),
            **body.validated_data,
        )
        return self._group_response(group, code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        group = self.get_object()
        body = PostGroupUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        updated = groups.group_update(
            group=group,
            content=data.get("content"),
            scheduled_time=data.get("scheduled_time"),
            time_given="scheduled_time" in data,
            needs_approval=self._needs_approval(),
        )
        return self._group_response(updated)

    def destroy(self, request, *args, **kwargs):
        groups.group_delete(group=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
