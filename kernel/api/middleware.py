"""Requests refused before any view runs: NUL characters in the query string, API bodies over the limit.

NUL cannot be stored in PostgreSQL text (psycopg raises), so a NUL reaching any filter would be a 500;
a body over `API_MAX_BODY_BYTES` (or the route's own limit in `API_ROUTE_BODY_LIMITS`, e.g. a file upload) is
refused from its Content-Length, without reading it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

API_PREFIX = "/api/"


def _has_nul(request: HttpRequest) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads such a body as empty


@lru_cache(maxsize=32)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def body_limit(request: HttpRequest) -> int:
    """The largest body this API request may send: `API_MAX_BODY_BYTES`, or a route's own limit from
    `API_ROUTE_BODY_LIMITS` ((method, path regex, name of the setting holding the limit), e.g. uploads)."""
    for method, pattern, setting in getattr(settings, "API_ROUTE_BODY_LIMITS", ()):
        if request.method == method and _compiled(pattern).match(request.path):
            return int(getattr(settings, setting))
    return int(settings.API_MAX_BODY_BYTES)


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith(API_PREFIX)
        if _has_nul(request):
            detail = "The query string contains a NUL character (%00), which no parameter accepts."
            return JsonResponse({"detail": detail}, status=400) if is_api else HttpResponseBadRequest(detail)
        limit = body_limit(request) if is_api else 0
        if is_api and _content_length(request) > limit:
            return JsonResponse({"detail": f"Request body too large: at most {limit} bytes."}, status=413)
        return self.get_response(request)
