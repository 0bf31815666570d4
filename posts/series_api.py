"""Recurring posts in the posts API: create with `recurrence`, edit with `scope`, list occurrences, end a series.

    POST  /api/v1/posts                      {"recurrence": "FREQ=…", …}  → the series' first post (201)
    PATCH /api/v1/posts/{id}                 {"scope": "this" | "following", …}
    GET   /api/v1/posts/{id}/occurrences?count=N
    POST  /api/v1/posts/{id}/series/end      → {"series_id", "ended_at", "deleted": [ids]}

A mixin of `PostViewSet` (thin: parse, call `posts.recurrence`, respond).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kernel.errors import InvalidInput
from kernel.users import request_user
from posts import recurrence, services
from posts.models import Post
from posts.series_serializers import (
    OccurrencesQuerySerializer,
    OccurrencesSerializer,
    SeriesEndedSerializer,
)

_ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` names the first problem, `errors` lists all by field."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    404: OpenApiResponse(
        description="No such post in this workspace (other workspaces' posts included), "
        "or an `X-Workspace` the caller is not a member of."
    ),
}
_FORBIDDEN = {
    403: OpenApiResponse(description="Your role in the workspace does not allow this: `detail` names the role needed.")
}
_NOT_A_SERIES = {
    409: OpenApiResponse(
        description="The post is not an occurrence of a recurring series, or some of its posts are being published."
    )
}


def occurrences_body(post: Post, *, count: int) -> dict[str, Any]:
    series = post.series if post.series_id else None
    if series is None:
        return {"series_id": None, "recurrence": None, "timezone": None, "ended_at": None, "occurrences": []}
    rows = recurrence.occurrence_rows(series, count=count)
    return {
        "series_id": series.pk,
        "recurrence": series.rule,
        "timezone": series.timezone,
        "ended_at": series.ended_at,
        "occurrences": [
            {
                "scheduled_time": row.occurrence.at,
                "local_time": row.occurrence.local.isoformat(),
                "note": row.occurrence.note,
                "state": row.state,
                "post_id": row.post.pk if row.post else None,
                "status": row.post.status if row.post else None,
            }
            for row in rows
        ],
    }


def refuse_recurrence_in_bulk(items: list[dict[str, Any]]) -> None:
    """A bulk makes one-off posts: a `recurrence` in it is a 400 rather than silently dropped."""
    refused = {"recurrence": ["Recurring posts are created one at a time."]}
    errors = {str(index): refused for index, item in enumerate(items) if item.get("recurrence")}
    if errors:
        raise InvalidInput.from_errors(errors, prefix="Nothing was created; item ")


class PostSeriesMixin:
    """Used by `PostViewSet`: its `perform_create`/`perform_update` call `_create`/`_update`."""

    if TYPE_CHECKING:  # what the viewset provides
        request: Any  # the viewset's Request
        workspace: Any

        def get_object(self) -> Post: ...
        def _needs_approval(self) -> bool: ...

    def _create(self, data: dict[str, Any]) -> Post:
        data = dict(data)
        rule = data.pop("recurrence", None)
        data.pop("scope", None)
        actor, needs_approval = request_user(self.request), self._needs_approval()
        if rule is None:
            return services.post_create(workspace=self.workspace, actor=actor, needs_approval=needs_approval, **data)
        return recurrence.series_create(
            workspace=self.workspace, actor=actor, needs_approval=needs_approval, recurrence=rule, **data
        )

    def _update(self, post: Post, data: dict[str, Any]) -> Post:
        data = dict(data)
        rule = data.pop("recurrence", None)
        scope = data.pop("scope", "this")
        needs_approval = self._needs_approval()
        if scope == "following":
            return recurrence.series_split(
                post=post, actor=request_user(self.request), recurrence=rule, needs_approval=needs_approval, **data
            )
        if rule is not None:
            raise InvalidInput.from_errors(
                {"recurrence": ["A rule is set when the post is created, or changed with scope=following."]}
            )
        return services.post_update(post=post, needs_approval=needs_approval, **data)

    @extend_schema(
        summary="The next occurrences of the post's recurring series (materialised or not)",
        description="UTC and local times, DST notes, and the post of each materialised occurrence. "
        "A post that does not recur answers an empty list with `series_id` null.",
        parameters=[OccurrencesQuerySerializer],
        responses={200: OccurrencesSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["get"])
    def occurrences(self, request: Request, pk: str | None = None) -> Response:
        query = OccurrencesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(OccurrencesSerializer(occurrences_body(self.get_object(), **query.validated_data)).data)

    @extend_schema(
        summary="End the post's recurring series now: its future, unpublished posts are deleted",
        description="Published posts, and missed ones still waiting to go out, stay. Ending an ended series "
        "deletes nothing more.",
        request=None,
        responses={200: SeriesEndedSerializer, **_ERRORS, **_FORBIDDEN, **_NOT_A_SERIES},
    )
    @action(detail=True, methods=["post"], url_path="series/end", url_name="series-end")
    def series_end(self, request: Request, pk: str | None = None) -> Response:
        ended = recurrence.series_end(post=self.get_object(), now=timezone.now())
        body = {"series_id": ended.series.pk, "ended_at": ended.series.ended_at, "deleted": ended.deleted}
        return Response(SeriesEndedSerializer(body).data)
