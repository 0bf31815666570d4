"""`/api/v1/social-accounts/{id}/queue` (and `/queue/shuffle`): the queue joins an account and its posts, so it
lives in posts (accounts sits below)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import SocialAccount
from accounts.posting_schedule import account_tz
from accounts.roles import Capability
from kernel.api.views import UserTimezoneMixin
from kernel.tenancy import WorkspaceScopedView, request_workspace
from kernel.users import request_user
from posts import queueing
from posts.serializers import PostSerializer

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` plus per-field `errors`."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    403: OpenApiResponse(description="Your role in the workspace does not allow this: `detail` names the role needed."),
    404: OpenApiResponse(
        description="No such account in this workspace, or an `X-Workspace` the caller is not a member of."
    ),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}


class QueueQuerySerializer(serializers.Serializer):
    count = serializers.IntegerField(
        min_value=1, max_value=queueing.MAX_QUEUE_LISTED, default=10, help_text="How many upcoming slots."
    )


class QueueSlotSerializer(serializers.Serializer):
    scheduled_time = serializers.DateTimeField(help_text="The slot in UTC.")
    local_time = serializers.CharField(help_text="The slot in the account's timezone (ISO 8601 with its offset).")
    post = PostSerializer(allow_null=True, help_text="The post holding the slot (queued or scheduled there), or null.")


class QueueSerializer(serializers.Serializer):
    social_account_id = serializers.IntegerField()
    timezone = serializers.CharField(help_text="The account's timezone: its slots' local times are in it.")
    slots = QueueSlotSerializer(many=True, help_text="Upcoming slots in order; empty when the schedule has none.")


class QueuedPostsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    posts = PostSerializer(many=True, help_text="The queued posts in their new order (slot order).")


def _utc(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


class _AccountQueueView(UserTimezoneMixin, WorkspaceScopedView, APIView):
    def account(self) -> SocialAccount:
        accounts = SocialAccount.objects.in_workspace(request_workspace(self.request)).select_related("workspace")
        return get_object_or_404(accounts, pk=self.kwargs["pk"])


@extend_schema(tags=["social-accounts"])
class AccountQueueView(_AccountQueueView):
    @extend_schema(
        summary="The account's queue: its next time slots and what fills each",
        parameters=[QueueQuerySerializer],
        responses={200: QueueSerializer, **ERRORS},
    )
    def get(self, request, pk: int):
        query = QueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        account = self.account()
        slots = queueing.queue_for(account, count=query.validated_data["count"])
        body = {
            "social_account_id": account.pk,
            "timezone": str(account_tz(account)),
            "slots": [
                {
                    "scheduled_time": _utc(slot.at),
                    "local_time": slot.local.isoformat(),
                    "post": PostSerializer(slot.post).data if slot.post else None,
                }
                for slot in slots
            ],
        }
        return Response(body)


@extend_schema(tags=["social-accounts"])
class AccountQueueShuffleView(_AccountQueueView):
    capabilities = {"post": Capability.EDIT_POSTS}

    @extend_schema(
        summary="Shuffle the account's queue: its queued posts in a random order over the same slots",
        description="Only queued posts move (posts scheduled at a time by hand keep it). Needs the contributor "
        "role or higher.",
        request=None,
        responses={200: QueuedPostsSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        posts = queueing.shuffle_queue(account=self.account(), actor=request_user(request))
        return Response({"count": len(posts), "posts": PostSerializer(posts, many=True).data})
