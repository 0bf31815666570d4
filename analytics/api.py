from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.roles import Capability
from accounts.scoping import request_membership
from accounts.tenancy import writes
from analytics import services
from analytics.campaigns import campaign_analytics
from analytics.filters import PostAnalyticsFilter
from analytics.models import AnalyticsSyncJob, PostAnalytics
from analytics.serializers import (
    CampaignAnalyticsSerializer,
    PostAnalyticsSerializer,
    SyncJobSerializer,
    SyncStartedSerializer,
)
from campaigns.models import Campaign
from kernel.api.views import OwnedModelViewSet, OwnedViewSet, UserTimezoneMixin
from kernel.tenancy import WorkspaceScopedView
from kernel.users import request_user

ERRORS = {
    400: OpenApiResponse(
        description="Invalid input: `detail` plus per-field `errors` (e.g. a `post_id` that is not "
        "one of your posts, negative counts, an `engagement_rate` inconsistent with the counts)."
    ),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    404: OpenApiResponse(
        description="No such analytics record in this workspace, or an `X-Workspace` the caller is not a member of."
    ),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}
READ_ERRORS = {code: ERRORS[code] for code in (401, 404, 429)}
LIST_ERRORS = {code: ERRORS[code] for code in (400, 401, 429)}
CAMPAIGN_ERRORS = {
    **ERRORS,
    404: OpenApiResponse(
        description="No such campaign in this workspace, or an `X-Workspace` the caller is not a member of."
    ),
}
RATE_NOTE = (
    "`engagement_rate` = (likes + shares + comments) / views x 100 (0 without views), computed when "
    "omitted; when given it must agree with the counts within 0.01."
)


@extend_schema_view(
    list=extend_schema(
        summary="List analytics snapshots",
        description="Newest first. Every snapshot is listed; aggregates use only each post's latest.",
        responses={200: PostAnalyticsSerializer(many=True), **LIST_ERRORS},
    ),
    create=extend_schema(
        summary="Record a snapshot of a post's metrics",
        description=f"{RATE_NOTE} `recorded_at` defaults to now; a naive time is in the user's timezone. "
        "Only published posts take analytics (`post_id` of another status: 400).",
        responses={201: PostAnalyticsSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get an analytics snapshot", responses={200: PostAnalyticsSerializer, **READ_ERRORS}
    ),
    update=extend_schema(
        summary="Replace an analytics snapshot",
        description=RATE_NOTE,
        responses={200: PostAnalyticsSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        summary="Update some fields of an analytics snapshot",
        description=f"{RATE_NOTE} The rate is recomputed from the resulting counts.",
        responses={200: PostAnalyticsSerializer, **ERRORS},
    ),
    destroy=extend_schema(summary="Delete an analytics snapshot", responses={204: None, **READ_ERRORS}),
)
class AnalyticsViewSet(OwnedModelViewSet):
    queryset = PostAnalytics.objects.select_related("post")
    serializer_class = PostAnalyticsSerializer
    capabilities = writes(Capability.EDIT_POSTS)
    filterset_class = PostAnalyticsFilter

    def perform_create(self, serializer):
        serializer.instance = services.analytics_record(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.analytics_update(snapshot=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.analytics_delete(snapshot=instance)


SYNC_ERRORS = {
    401: ERRORS[401],
    404: OpenApiResponse(
        description="No such sync job in this workspace, or an `X-Workspace` the caller is not a member of."
    ),
    429: ERRORS[429],
}


@extend_schema_view(
    create=extend_schema(
        summary="Sync analytics from Buffer",
        description="Starts a background sync of the statistics of your posts that Buffer has sent. "
        "Answers 202 at once with the job id (and its URL in `Location`); poll `GET /analytics/sync/{job_id}`. "
        "A snapshot is written only for posts whose numbers changed. If a sync is already in progress, "
        "that job is returned instead of starting another. The job ends `succeeded` (every post read), "
        "`partial` (some not: `error` says why), `failed` (none, or Buffer down) or `unsupported` (the "
        "config's Buffer API has no statistics, e.g. GraphQL); this request itself never fails for Buffer.",
        request=None,
        responses={202: SyncStartedSerializer, **{c: SYNC_ERRORS[c] for c in (401, 429)}},
    ),
    retrieve=extend_schema(summary="State and counts of a sync job", responses={200: SyncJobSerializer, **SYNC_ERRORS}),
)
class AnalyticsSyncViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    queryset = AnalyticsSyncJob.objects.all()
    serializer_class = SyncJobSerializer
    capabilities = {"create": Capability.EDIT_POSTS}
    lookup_url_kwarg = "job_id"

    def create(self, request, *args, **kwargs):
        job = services.analytics_sync_start(workspace=self.workspace, actor=request_user(request))
        location = reverse("analytics-sync-detail", kwargs={"job_id": job.pk}, request=request)
        body = SyncStartedSerializer({"job_id": job.pk, "status": job.status}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


@extend_schema(
    summary="Aggregated analytics of the campaign's posts",
    description="Computed from each post's latest analytics snapshot: totals, engagement rate "
    "((likes + shares + comments) / views x 100), post counts by status, per-platform and per-day "
    "breakdowns (days in the user's timezone, by publication day) and the top 5 posts by engagements.",
    tags=["campaigns"],
    responses={200: CampaignAnalyticsSerializer, **{code: CAMPAIGN_ERRORS[code] for code in (401, 404, 429)}},
)
# GET /campaigns/{id}/analytics: an analytics read, so it lives in analytics (campaigns sit below it).
class CampaignAnalyticsView(UserTimezoneMixin, WorkspaceScopedView, APIView):
    def get(self, request, pk: int):
        campaign = get_object_or_404(Campaign.objects.in_workspace(request_membership(request).workspace), pk=pk)
        payload = campaign_analytics(campaign=campaign, tz=request_user(request).tzinfo)
        return Response(CampaignAnalyticsSerializer(payload).data)
