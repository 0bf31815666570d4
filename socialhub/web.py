"""What every web UI view shares: turning service errors into messages or form errors, and going back.

Services raise `DomainError` (with per-field `errors`) or a `BufferError`; pages show them in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import dateformat, timezone
from django.utils.http import url_has_allowed_host_and_scheme

from buffer_integration.exceptions import (
    BufferAuthError,
    BufferError,
    BufferNotFound,
    BufferRejected,
    BufferUnavailable,
)
from socialhub.errors import DomainError

SERVICE_ERRORS = (DomainError, BufferError)

# The UI's one way of writing a moment and a day, always in the user's timezone (the middleware
# activates it). Templates use the `when` / `day` filters of `socialhub.templatetags.dates`.
DATETIME_FORMAT = "D j M Y, H:i"
DATE_FORMAT = "D j M Y"
TIME_FORMAT = "H:i"


def format_datetime(value: dt.datetime | None, *, seconds: bool = False) -> str:
    if value is None:
        return ""
    return dateformat.format(timezone.localtime(value), DATETIME_FORMAT + (":s" if seconds else ""))


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return dateformat.format(value, DATE_FORMAT)


def format_time(value: dt.datetime | None) -> str:
    return dateformat.format(timezone.localtime(value), TIME_FORMAT) if value is not None else ""


def error_message(exc: Exception) -> str:
    """One sentence for a person. Buffer messages never contain tokens (see buffer_integration.exceptions)."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, BufferUnavailable):
        return f"Buffer is unavailable right now, nothing was changed: {exc.message}"
    if isinstance(exc, BufferAuthError):
        return f"Buffer rejected the access token: {exc.message}"
    if isinstance(exc, BufferNotFound):
        return f"Buffer does not know this object: {exc.message}"
    if isinstance(exc, BufferRejected):
        return f"Buffer refused the request: {exc.message}"
    if isinstance(exc, BufferError):
        return f"Buffer error: {exc.message}"
    raise TypeError(f"not a service error: {exc!r}")


def add_service_errors(form: forms.Form, exc: Exception, field_map: dict[str, str] | None = None) -> None:
    """Put a service's per-field errors next to the form's fields (API names mapped by `field_map`)."""
    errors = getattr(exc, "errors", None) or {}
    if not errors:
        form.add_error(None, error_message(exc))
        return
    for key, messages_ in errors.items():
        name = (field_map or {}).get(key, key)
        field = name if name in form.fields else None
        for message in messages_ if isinstance(messages_, list) else [messages_]:
            # A field the form does not show gets its API name, so the person still knows what it is about.
            form.add_error(field, message if field or key == "non_field_errors" else f"{key}: {message}")


def wants_json(request: HttpRequest) -> bool:
    """The calendar's drag and drop posts with fetch() and reads JSON; a plain form wants a page."""
    return "application/json" in request.headers.get("Accept", "")


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go back to after a POST: a same-site `next` field, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else default


def run_action(request: HttpRequest, action: Callable[[], object], *, success: str, default_next: str) -> HttpResponse:
    """Run one service call for a POST button: a message either way, then back where the person was."""
    try:
        action()
    except SERVICE_ERRORS as exc:
        if wants_json(request):
            return JsonResponse({"ok": False, "error": error_message(exc)}, status=status_for(exc))
        messages.error(request, error_message(exc))
    else:
        if wants_json(request):
            return JsonResponse({"ok": True, "message": success})
        messages.success(request, success)
    return redirect(next_url(request, default_next))


def status_for(exc: Exception) -> int:
    """The HTTP status a JSON caller gets for a service error, as the API would answer it."""
    if isinstance(exc, DomainError):
        return exc.status_code
    return 503 if isinstance(exc, BufferUnavailable) else 400
