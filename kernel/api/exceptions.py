"""Every API error is a JSON object with a `detail` sentence; validation errors add per-field `errors`."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kernel.crypto import DecryptionError
from kernel.errors import ServiceError, first_error_detail
from kernel.wording import count_of, retry_after_seconds

logger = logging.getLogger("socialhub.api")

VALIDATION_DETAIL = "Invalid input: see `errors` for the problem with each field."


def _flatten(detail: Any) -> Any:
    """DRF's error detail (nested dicts and lists of ErrorDetail) as plain JSON: dicts, lists, strings."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [str(item) for item in detail]
        return [_flatten(item) for item in detail]
    return str(detail)


def validation_response(
    errors: dict[str, Any] | list[Any], *, status: int = 400, detail: str | None = None
) -> Response:
    """A 400 naming the first problem in `detail`, with all of them under `errors`."""
    errors = _flatten(errors)
    if not isinstance(errors, dict):
        errors = {"non_field_errors": errors if isinstance(errors, list) else [errors]}
    if detail is None:
        detail = first_error_detail(errors) or VALIDATION_DETAIL
    return Response({"detail": detail, "errors": errors}, status=status)


def service_error_response(exc: ServiceError) -> Response:
    """Any service's error, from what it carries: its status, its `detail`, its `errors`, its Retry-After."""
    body: dict[str, object] = {"detail": exc.detail}
    if exc.errors:
        body["errors"] = exc.errors
    retry_after = exc.retry_after_header
    return Response(body, status=exc.status_code, headers={"Retry-After": retry_after} if retry_after else None)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, drf.ValidationError):
        return validation_response(exc.detail)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return validation_response(errors)
    if isinstance(exc, ServiceError):
        return service_error_response(exc)
    if isinstance(exc, DecryptionError):
        logger.error("stored secret could not be decrypted: check FIELD_ENCRYPTION_KEYS")
        return Response(
            {"detail": "A stored credential cannot be read; an administrator must re-enter it."}, status=500
        )
    if isinstance(exc, RequestDataTooBig):  # request.body read by a view (e.g. for a signature)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response({"detail": f"Request body too large: at most {limit} bytes."}, status=413)
    return _drf_response(exc, context)


def _drf_response(exc: Exception, context: dict[str, Any]) -> Response:
    """What DRF's own handler answers, every body reduced to one `detail`; a 500 for anything else."""
    if isinstance(exc, Http404):
        exc = drf.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = drf.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is not None:
        if isinstance(exc, drf.Throttled):
            # The header and the sentence give the same number (DRF's header rounds down).
            seconds = retry_after_seconds(exc.wait or 0)  # type: ignore[attr-defined]  # set in __init__; not in the stubs
            response["Retry-After"] = str(seconds)
            response.data = {"detail": f"Rate limit exceeded: try again in {count_of(seconds, 'second')}."}
        elif isinstance(exc, drf.ParseError):
            response.data = {"detail": f"Malformed request body: {exc.detail}"}
        elif not isinstance(response.data, dict) or "detail" not in response.data:
            response.data = {"detail": str(exc)}
        return response

    logger.exception("unhandled error in API view %s", context.get("view").__class__.__name__)
    return Response({"detail": "Internal server error. The problem has been logged."}, status=500)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json_error(detail: str, *, status: int) -> JsonResponse:
    # Byte for byte what DRF renders, so a client cannot tell which layer answered.
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"separators": (",", ":")})


def not_found_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return _json_error("Not found.", status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def server_error_view(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return _json_error("Internal server error. The problem has been logged.", status=500)
    from django.views.defaults import server_error

    return server_error(request)
