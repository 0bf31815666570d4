from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view

from accounts.roles import Capability
from accounts.tenancy import writes
from campaigns import services
from campaigns.filters import CampaignFilter
from campaigns.models import Campaign
from campaigns.serializers import CampaignSerializer
from kernel.api.views import OwnedModelViewSet
from kernel.users import request_user

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` plus per-field `errors`."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    404: OpenApiResponse(
        description="No such campaign in this workspace, or an `X-Workspace` the caller is not a member of."
    ),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}
READ_ERRORS = {code: ERRORS[code] for code in (401, 404, 429)}
# A campaign's posts (`posts.api.CampaignPostsView`) and analytics (`analytics.api.CampaignAnalyticsView`)
# are served by those apps under /campaigns/{id}/…: campaigns sit below posts and analytics.
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
    capabilities = writes(Capability.EDIT_CAMPAIGNS)
    filterset_class = CampaignFilter

    def perform_create(self, serializer):
        serializer.instance = services.campaign_create(
            workspace=self.workspace, actor=request_user(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.campaign_update(campaign=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.campaign_delete(campaign=instance)
