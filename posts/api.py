"""Scheduled Posts API (seed endpoints 8-17): parse, call a service or selector, respond."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import Capability
from accounts.scoping import request_membership
from accounts.tenancy import writes
from kernel.api.views import OwnedModelViewSet
from kernel.errors import InvalidInput
from kernel.users import request_user
from posts import approvals, queueing, selectors, services
from posts.filters import PostFilter
from posts.models import Post
from posts.serializers import (
    ApproveSerializer,
    CalendarQuerySerializer,
    CalendarSerializer,
    PostBulkResultSerializer,
    PostBulkSerializer,
    PostSerializer,
    RejectSerializer,
    RescheduleSerializer,
    bulk_errors_by_index,
)
from posts.series_api import PostSeriesMixin, refuse_recurrence_in_bulk

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` names the first problem, `errors` lists all by field."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}
NOT_FOUND = {
    404: OpenApiResponse(
        description="No such post in this workspace (other workspaces' posts included), "
        "or an `X-Workspace` the caller is not a member of."
    )
}
CONFLICT = {409: OpenApiResponse(description="The post's status does not allow this (e.g. it is published).")}
BUFFER = {
    503: OpenApiResponse(
        description="Buffer is unreachable or failing, or the key's request budget has no room before "
        "`Retry-After` (seconds); the post is unchanged."
    )
}
FORBIDDEN = {
    403: OpenApiResponse(description="Your role in the workspace does not allow this: `detail` names the role needed.")
}
WAITING = {409: OpenApiResponse(description="The post is not waiting for approval (or was decided meanwhile).")}
CALENDAR_FILTERS = [
    OpenApiParameter("status", str, many=True, description="Only posts in these statuses."),
    OpenApiParameter("platform", str),
    OpenApiParameter("campaign_id", int),
    OpenApiParameter("social_account_id", int),
]


@extend_schema_view(
    list=extend_schema(summary="List posts", responses={200: PostSerializer(many=True), **ERRORS}),
    create=extend_schema(
        summary="Create a post (with `recurrence`: a recurring series, answered with its first post)",
        responses={201: PostSerializer, **ERRORS},
    ),
    retrieve=extend_schema(summary="Get a post", responses={200: PostSerializer, **ERRORS, **NOT_FOUND}),
    update=extend_schema(
        summary="Edit an unpublished post (fields left out are kept; edited at Buffer when handed over)",
        responses={200: PostSerializer, **ERRORS, **NOT_FOUND, **CONFLICT, **BUFFER},
    ),
    partial_update=extend_schema(
        summary="Edit some fields of an unpublished post",
        responses={200: PostSerializer, **ERRORS, **NOT_FOUND, **CONFLICT, **BUFFER},
    ),
    destroy=extend_schema(
        summary="Delete a post (and its pending update at Buffer)",
        responses={204: None, **ERRORS, **NOT_FOUND, **CONFLICT, **BUFFER},
    ),
)
class PostViewSet(PostSeriesMixin, OwnedModelViewSet):
    queryset = Post.objects.with_relations().with_media()
    serializer_class = PostSerializer
    capabilities = {
        **writes(
            Capability.EDIT_POSTS,
            "schedule",
            "cancel",
            "reschedule",
            "bulk",
            "submit",
            "queue",
            "queue_top",
            "series_end",
        ),
        "approve": Capability.APPROVE,
        "reject": Capability.APPROVE,
    }
    filterset_class = PostFilter

    def _needs_approval(self) -> bool:
        """The caller's posts need approval in the workspace they act in (`posts.approvals.needs_approval`)."""
        return approvals.membership_needs_approval(request_membership(self.request))

    def perform_create(self, serializer):
        serializer.instance = self._create(serializer.validated_data)  # with `recurrence`: posts.series_api

    def perform_update(self, serializer):
        serializer.instance = self._update(serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance):
        services.post_delete(post=instance)

    def _post_response(self, post: Post) -> Response:
        return Response(self.get_serializer(post).data)

    @extend_schema(
        summary="Hand the post to Buffer for its scheduled_time (updates/create)",
        request=None,
        responses={200: PostSerializer, **ERRORS, **NOT_FOUND, **CONFLICT, **BUFFER},
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        post = self.get_object()
        return self._post_response(services.post_schedule_via_buffer(post=post, needs_approval=self._needs_approval()))

    @extend_schema(
        summary="Cancel a post that is not published (withdrawn from Buffer when handed over)",
        request=None,
        responses={200: PostSerializer, **ERRORS, **NOT_FOUND, **CONFLICT, **BUFFER},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._post_response(services.post_cancel(post=self.get_object()))

    @extend_schema(
        summary="Schedule a draft, scheduled, failed or cancelled post at a new time (moved at Buffer too)",
        request=RescheduleSerializer,
        responses={200: PostSerializer, **ERRORS, **NOT_FOUND, **CONFLICT, **BUFFER},
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        post = self.get_object()
        body = RescheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rescheduled = services.post_reschedule(post=post, needs_approval=self._needs_approval(), **body.validated_data)
        return self._post_response(rescheduled)

    @extend_schema(
        summary="Add to queue: the post is scheduled at its account's next free time slot",
        description="The slot comes from the account's posting schedule (GET /social-accounts/{id}/schedule), in "
        "its timezone; free means no other post of the account holds it. Scheduled by the rules of "
        "/reschedule (a member whose posts need approval submits it: pending_approval at the slot). A post "
        "already queued keeps its slot. An account without slots: 400 on `schedule`.",
        request=None,
        responses={200: PostSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def queue(self, request, pk=None):
        return self._post_response(queueing.queue_post(post=self.get_object(), actor=request_user(request)))

    @extend_schema(
        summary="Move a queued post to the top of its account's queue",
        description="It takes the queue's first slot; the queued posts before it each move one slot later. "
        "Only queued posts move (409 for any other).",
        request=None,
        responses={200: PostSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="queue/top", url_name="queue-top")
    def queue_top(self, request, pk=None):
        return self._post_response(queueing.move_to_top(post=self.get_object(), actor=request_user(request)))

    @extend_schema(
        summary="Submit a draft (a rejected post is one) for approval: it goes to pending_approval",
        description="Needs the contributor role or higher. The post needs a scheduled_time that may be "
        "scheduled; a manager or owner then approves it (scheduled at its time) or rejects it (back to draft).",
        request=None,
        responses={200: PostSerializer, **ERRORS, **FORBIDDEN, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        post = self.get_object()  # the role: `capabilities`, checked before the action
        return self._post_response(approvals.post_submit(post=post, actor=request_user(request)))

    @extend_schema(
        summary="Approve a post waiting for approval: it is scheduled at its scheduled_time",
        description="Managers and owners. A time already past sends it at once.",
        request=ApproveSerializer,
        responses={200: PostSerializer, **ERRORS, **FORBIDDEN, **NOT_FOUND, **WAITING},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        post = self.get_object()
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = body.validated_data.get("comment", "")
        return self._post_response(approvals.post_approve(post=post, approver=request_user(request), comment=comment))

    @extend_schema(
        summary="Reject a post waiting for approval: back to draft, with the comment shown on it",
        description="Managers and owners. The comment is required (400 when missing or blank).",
        request=RejectSerializer,
        responses={200: PostSerializer, **ERRORS, **FORBIDDEN, **NOT_FOUND, **WAITING},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        post = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = body.validated_data["comment"]
        return self._post_response(approvals.post_reject(post=post, approver=request_user(request), comment=comment))

    @extend_schema(
        summary=f"Create up to {services.MAX_BULK} posts, all or nothing",
        description='Any invalid item: 400 with `errors` keyed by item index (`{"3": {"content": [...]}}`), '
        "and nothing is created.",
        request=PostBulkSerializer,
        responses={201: PostBulkResultSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        body = PostBulkSerializer(data=request.data)
        if not body.is_valid():
            errors = bulk_errors_by_index(body.errors)
            raise InvalidInput.from_errors(
                errors, prefix="Nothing was created: " if "posts" in errors else "Nothing was created; item "
            )
        refuse_recurrence_in_bulk(body.validated_data["posts"])
        posts = services.posts_bulk_create(
            workspace=self.workspace,
            actor=request_user(request),
            items=body.validated_data["posts"],
            needs_approval=self._needs_approval(),
        )
        result = {"count": len(posts), "posts": PostSerializer(posts, many=True).data}
        return Response(result, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Content calendar: posts by local day, every day of the range, counts per status",
        parameters=[CalendarQuerySerializer, *CALENDAR_FILTERS],
        responses={200: CalendarSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def calendar(self, request):
        query = CalendarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        tz = query.validated_data.get("tz") or timezone.get_current_timezone()
        start, end = query.validated_data["start_date"], query.validated_data["end_date"]
        days = selectors.calendar_for(
            workspace=self.workspace,
            start_date=start,
            end_date=end,
            tz=tz,
            posts=self.filter_queryset(self.get_queryset()),
        )
        body = {
            "start_date": start,
            "end_date": end,
            "timezone": str(tz),
            "total": sum(day["total"] for day in days),
            "days": days,
        }
        return Response(body)
