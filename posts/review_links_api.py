"""`/api/v1/review-links`: managers make, list, inspect and revoke client review links (`posts.review_links`).

Managers and owners only: any other member gets 403 naming the role needed; a link of another
workspace is a 404 like an unknown id. The link's URL carries its token and is in the create answer only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Workspace
from accounts.roles import Capability
from kernel.api.datetimes import INPUT_HELP as DATETIME_HELP
from kernel.api.datetimes import DateTimeInputField
from kernel.api.filters import MAX_ID
from kernel.api.strict import StrictSerializer
from kernel.api.views import UserTimezoneMixin
from kernel.tenancy import WorkspaceScopedView, request_workspace
from kernel.users import request_user
from posts import review_links
from posts.models import ReviewAction, ReviewLink, ReviewLinkUse

NOT_FOUND = {
    404: OpenApiResponse(
        description="No such review link in this workspace (another workspace's included), "
        "or an `X-Workspace` the caller is not a member of."
    )
}


class ReviewLinkCreateSerializer(StrictSerializer):
    campaign_id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A campaign of the workspace: its posts are shown."
    )
    start_date = serializers.DateField(
        required=False, help_text="With `end_date` instead of a campaign: posts scheduled on these days."
    )
    end_date = serializers.DateField(
        required=False,
        help_text=f"Last day of the range, inclusive (days of the workspace's timezone; at most "
        f"{review_links.MAX_RANGE_DAYS} days).",
    )
    expires_at = DateTimeInputField(
        help_text=f"When the link stops working: in the future, at most {review_links.MAX_LIFETIME.days} days "
        f"ahead. {DATETIME_HELP}"
    )


class ReviewLinkUseSerializer(serializers.ModelSerializer[ReviewLinkUse]):
    action = serializers.ChoiceField(choices=ReviewAction.choices, read_only=True)
    post_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ReviewLinkUse
        fields = ["id", "at", "action", "post_id", "reviewer_name", "comment", "client_ip"]
        read_only_fields = fields


class ReviewLinkSerializer(serializers.ModelSerializer[ReviewLink]):
    campaign_id = serializers.IntegerField(read_only=True, allow_null=True)
    created_by = serializers.SerializerMethodField(help_text="Username of the member who made it (null if gone).")
    state = serializers.SerializerMethodField(help_text="active, expired or revoked.")
    use_count = serializers.SerializerMethodField(help_text="Uses logged: views and decisions.")
    last_used_at = serializers.SerializerMethodField()

    class Meta:
        model = ReviewLink
        fields = [
            "id",
            "campaign_id",
            "start_date",
            "end_date",
            "expires_at",
            "revoked_at",
            "state",
            "created_by",
            "use_count",
            "last_used_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_created_by(self, link: ReviewLink) -> str | None:
        return link.created_by.get_username() if link.created_by is not None else None

    def get_state(self, link: ReviewLink) -> str:
        return review_links.review_link_state(link, now=self.context.get("now") or timezone.now())

    def get_use_count(self, link: ReviewLink) -> int:
        return int(getattr(link, "use_count", 0) or 0)

    def get_last_used_at(self, link: ReviewLink) -> str | None:
        value = getattr(link, "last_used_at", None)
        return serializers.DateTimeField().to_representation(value) if value is not None else None


class ReviewLinkCreatedSerializer(ReviewLinkSerializer):
    url = serializers.URLField(
        read_only=True, help_text="The link to send the client. Shown only in this answer: it is not stored."
    )

    class Meta(ReviewLinkSerializer.Meta):
        fields = [*ReviewLinkSerializer.Meta.fields, "url"]
        read_only_fields = fields


class ReviewLinkDetailSerializer(ReviewLinkSerializer):
    uses = ReviewLinkUseSerializer(
        many=True,
        read_only=True,
        source="recent_uses",
        help_text=f"The latest {review_links.USES_SHOWN} uses, newest first.",
    )

    class Meta(ReviewLinkSerializer.Meta):
        fields = [*ReviewLinkSerializer.Meta.fields, "uses"]
        read_only_fields = fields


def review_url(request: Request, token: str) -> str:
    return request.build_absolute_uri(reverse("review-page", args=[token]))


@extend_schema_view(
    list=extend_schema(
        summary="List the workspace's review links",
        description="Newest first, with their state and how often they were used. Managers and owners.",
        responses={200: ReviewLinkSerializer(many=True)},
    ),
    create=extend_schema(
        summary="Make a client review link",
        description="For a campaign (`campaign_id`) or a date range (`start_date` and `end_date`), not both. "
        "Whoever has the `url` sees those posts read-only and may approve or request changes on posts "
        "pending approval, without an account. The `url` is in this answer only: keep it.",
        request=ReviewLinkCreateSerializer,
        responses={201: ReviewLinkCreatedSerializer},
    ),
    retrieve=extend_schema(
        summary="Get a review link with its uses",
        responses={200: ReviewLinkDetailSerializer, **NOT_FOUND},
    ),
    destroy=extend_schema(
        summary="Revoke a review link",
        description="Its URL answers 404 from now on; the link and its log stay. Revoking again changes nothing.",
        responses={204: None, **NOT_FOUND},
    ),
)
class ReviewLinkViewSet(
    UserTimezoneMixin,
    WorkspaceScopedView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[ReviewLink],
):
    lookup_value_regex = r"[0-9]+"
    # Whoever holds a link may approve: making, listing and reading links is APPROVE's, reads included.
    capabilities = dict.fromkeys(("list", "retrieve", "create", "destroy"), Capability.APPROVE)

    @property
    def workspace(self) -> Workspace:
        return request_workspace(self.request)

    def get_queryset(self) -> QuerySet[ReviewLink]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller, no workspace
            return ReviewLink.objects.none()
        return review_links.review_links_of(workspace=self.workspace)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return ReviewLinkCreateSerializer
        if self.action == "retrieve":
            return ReviewLinkDetailSerializer
        return ReviewLinkSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_object(self) -> ReviewLink:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        link = self.get_object()
        link.recent_uses = review_links.review_link_uses(link=link)  # type: ignore[attr-defined]
        return Response(ReviewLinkDetailSerializer(link, context=self.get_serializer_context()).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ReviewLinkCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        link, token = review_links.review_link_create(
            workspace=self.workspace, actor=request_user(request), **given.validated_data
        )
        link.url = review_url(request, token)  # type: ignore[attr-defined]  # for this answer only
        body = ReviewLinkCreatedSerializer(link, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        review_links.review_link_revoke(link=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
