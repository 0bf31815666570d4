"""`?skip=&limit=` pagination: a bare JSON array plus `X-Total-Count` and an RFC 8288 `Link` header."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

if TYPE_CHECKING:  # rest_framework.views loads this module (DEFAULT_PAGINATION_CLASS): types only
    from rest_framework.views import APIView

_M = TypeVar("_M", bound=Model)
_Row = TypeVar("_Row")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_SKIP = 1_000_000_000  # far past any real list, and far inside what databases take as OFFSET


def _read_int(request: Request, name: str, default: int, minimum: int, maximum: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if raw == "":  # as the filters: an empty value is a mistake, not "the default"
        raise ValidationError({name: ["An empty value: give a number or leave the parameter out."]})
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [f"Must be an integer, got {raw!r}."]}) from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise ValidationError({name: [f"Must be {bounds}."]})
    return value


class SkipLimitPagination(BasePagination):
    def paginate_queryset(
        self, queryset: QuerySet[_M, _Row] | Sequence[_Row], request: Request, view: APIView | None = None
    ) -> list[_Row]:
        self.skip = _read_int(request, "skip", 0, 0, MAX_SKIP)
        self.limit = _read_int(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        self.request = request
        self.total = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        return list(queryset[self.skip : self.skip + self.limit])

    def _link_header(self) -> str:
        url = self.request.build_absolute_uri()
        links = []
        if self.skip + self.limit < self.total:
            next_url = replace_query_param(url, "skip", self.skip + self.limit)
            links.append(f'<{replace_query_param(next_url, "limit", self.limit)}>; rel="next"')
        if self.skip > 0:
            prev_url = replace_query_param(url, "skip", max(self.skip - self.limit, 0))
            links.append(f'<{replace_query_param(prev_url, "limit", self.limit)}>; rel="prev"')
        return ", ".join(links)

    def get_paginated_response(self, data: Any) -> Response:
        headers = {"X-Total-Count": str(self.total)}
        link = self._link_header()
        if link:
            headers["Link"] = link
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return schema

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": "skip",
                "in": "query",
                "required": False,
                "description": f"Items to skip (0-{MAX_SKIP}, default 0).",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_SKIP, "default": 0},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": "Page size (1-100, default 20).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            },
        ]
