"""`GET /api/v1/campaigns/{id}/posts`: a posts read, so it lives in posts (campaigns sit below posts)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics

from campaigns.models import Campaign
from kernel.api.views import UserTimezoneMixin
from kernel.tenancy import WorkspaceScopedView, request_workspace
from posts import selectors
from posts.filters import PostFilter
from posts.models import Post
from posts.serializers import PostSerializer

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` plus per-field `errors`."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    404: OpenApiResponse(
        description="No such campaign in this workspace, or an `X-Workspace` the caller is not a member of."
    ),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}


@extend_schema(
    summary="List the campaign's posts",
    description="Paginated and filtered like `GET /posts` (skip/limit, X-Total-Count, Link).",
    tags=["campaigns"],
    responses={200: PostSerializer(many=True), **ERRORS},
)
class CampaignPostsView(UserTimezoneMixin, WorkspaceScopedView, generics.ListAPIView):
    serializer_class = PostSerializer
    filterset_class = PostFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no campaign
            return Post.objects.none()
        campaign = get_object_or_404(
            Campaign.objects.in_workspace(request_workspace(self.request)), pk=self.kwargs["pk"]
        )
        return selectors.campaign_posts(campaign=campaign).prefetch_related("media_links__media")  # media_ids
