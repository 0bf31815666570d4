from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from campaigns import selectors, services
from campaigns.filters import CampaignFilter
from campaigns.models import Campaign
from campaigns.serializers import CampaignAnalyticsSerializer, CampaignSerializer
from posts.filters import PostFilter
from posts.models import Post
from posts.serializers import PostSerializer
from socialhub.api.views import OwnedModelViewSet
from socialhub.users import request_user

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` plus per-field `errors`."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    404: OpenApiResponse(description="No such campaign for this user."),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}
READ_ERRORS = {code: ERRORS[code] for code in (401, 404, 429)}
LIST_ERRORS = {code: ERRORS[code] for code in (400, 401, 429)}


@extend_schema_view(
    list=extend_schema(summary="List campaigns", responses={200: CampaignSerializer(many=True), **LIST_ERRORS}),
    create=extend_schema(
        summary="Create a campaign",
        description="`name` is required. Dates are optional (an open-ended campaign); `end_date` may not "
        "precede `start_date`. `status` is active (default), paused or completed.",
        responses={201: CampaignSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(summary="Get a campaign", responses={200: CampaignSerializer, **READ_ERRORS}),
    update=extend_schema(summary="Replace a campaign", responses={200: CampaignSerializer, **ERRORS}),
    partial_update=extend_schema(
        summary="Update some fields of a campaign", responses={200: CampaignSerializer, **ERRORS}
    ),
    destroy=extend_schema(
        summary="Delete a campaign",
        description="The campaign's posts are kept: they simply no longer belong to a campaign "
        "(their `campaign_id` becomes null). Their analytics are kept too.",
        responses={204: None, **READ_ERRORS},
    ),
)
class CampaignViewSet(OwnedModelViewSet):
    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def perform_create(self, serializer):
        serializer.instance = services.campaign_create(owner=request_user(self.request), **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.campaign_update(campaign=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.campaign_delete(campaign=instance)

    @extend_schema(
        summary="Aggregated analytics of the campaign's posts",
        description="Computed from each post's latest analytics snapshot: totals, engagement rate "
        "((likes + shares + comments) / views x 100), post counts by status, per-platform and per-day "
        "breakdowns (days in the user's timezone, by publication day) and the top 5 posts by engagements.",
        responses={200: CampaignAnalyticsSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def analytics(self, request, pk=None):
        payload = selectors.campaign_analytics(campaign=self.get_object(), tz=request.user.tzinfo)
        return Response(CampaignAnalyticsSerializer(payload).data)

    @extend_schema(
        summary="List the campaign's posts",
        description="Paginated and filtered like `GET /posts` (skip/limit, X-Total-Count, Link).",
        responses={200: PostSerializer(many=True), **ERRORS},
    )
    @action(
        detail=True,
        methods=["get"],
        queryset=Post.objects.all(),  # what this action lists, so the posts' filters apply (and are documented)
        serializer_class=PostSerializer,
        filterset_class=PostFilter,
    )
    def posts(self, request, pk=None):
        campaign = get_object_or_404(Campaign.objects.owned_by(request.user), pk=pk)
        self.check_object_permissions(request, campaign)
        page = self.paginate_queryset(self.filter_queryset(selectors.campaign_posts(campaign=campaign)))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
