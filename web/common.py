"""What every web UI view shares: the workspace a page acts in and the role its actions need, turning
service errors into messages or form errors, and going back.

Services raise a `kernel.errors.ServiceError` (a rule broken, with per-field `errors`, or a Buffer
failure); pages show its `detail` in words and a JSON caller gets its `status_code`, as from the API.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import dateformat, timezone
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import Membership, Workspace
from accounts.roles import Capability, require
from accounts.scoping import request_membership
from kernel.errors import DomainError, Forbidden, NotFound, ServiceError

# The UI's one way of writing a moment and a day, always in the user's timezone (the middleware
# activates it). Templates use the `when` / `day` filters of `web.templatetags.dates`.
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


def format_wall_clock(value: dt.datetime | None) -> str:
    """A moment in its own timezone, named (an account's local slot or occurrence), not the viewer's."""
    return dateformat.format(value, DATETIME_FORMAT + " T") if value is not None else ""


def format_time(value: dt.datetime | None) -> str:
    return dateformat.format(timezone.localtime(value), TIME_FORMAT) if value is not None else ""


# What the services call a field → what the pages call it. A message never shows a raw API name.
FIELD_LABELS = {
    "access_token": "Buffer API key",
    "buffer_profile_id": "Buffer profile",
    "social_account_id": "Account",
    "platform": "Network",
    "campaign_id": "Campaign",
    "content": "Content",
    "media_urls": "Media URLs",
    "media_ids": "Media",
    "scheduled_time": "Date and time",
    "status": "Status",
    "name": "Name",
    "description": "Description",
    "start_date": "Start date",
    "end_date": "End date",
    "timezone": "Timezone",
    "account_name": "Account name",
    "posts": "Posts",
    "recorded_at": "Time of the snapshot",
    "scheduled_from": "Scheduled from",
    "scheduled_to": "Scheduled until",
    "q": "Search",
    "ordering": "Order",
    "engagement_rate": "Engagement rate",
}
_NON_FIELD = ("non_field_errors", "detail", "__all__")


def field_label(key: str) -> str:
    """A service's field name in words: the known label, else the name with spaces (`buffer_plan` → "Buffer plan")."""
    return FIELD_LABELS.get(key) or key.replace("_", " ").capitalize()


def _flat_errors(errors: dict | list | str, key: str = "") -> list[tuple[str, str]]:
    """(field, message) pairs of a service's `errors`, nested ones (bulk items) included."""
    if isinstance(errors, dict):
        return [pair for name, value in errors.items() for pair in _flat_errors(value, str(name))]
    if isinstance(errors, list | tuple):
        return [pair for value in errors for pair in _flat_errors(value, key)]
    return [(key, str(errors))]


def _in_words(key: str, message: str) -> str:
    if not key or key in _NON_FIELD or key.isdigit():
        return message
    return f"{field_label(key)}: {message}"


def errors_in_words(errors: dict) -> list[str]:
    """A form's or a service's `errors` as sentences with the pages' labels (e.g. ignored list filters)."""
    return [_sentence(_in_words(key, message)) for key, message in _flat_errors(errors)]


def error_message(exc: Exception) -> str:
    """One sentence for a person. Buffer messages never contain tokens (see buffer_integration.exceptions)."""
    if not isinstance(exc, ServiceError):
        raise TypeError(f"not a service error: {exc!r}")
    if isinstance(exc, DomainError):
        # Per-field errors say it with the pages' labels; the service's `message` may start with an API name.
        return " ".join(errors_in_words(exc.errors)) or exc.detail
    return exc.detail


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def add_service_errors(form: forms.BaseForm, exc: Exception, field_map: dict[str, str] | None = None) -> None:
    """Put a service's per-field errors next to the form's fields (API names mapped by `field_map`).

    An error about a field the form does not show goes on top of the form under the field's label.
    """
    errors = getattr(exc, "errors", None) or {}
    if not errors:
        form.add_error(None, error_message(exc))
        return
    for key, message in _flat_errors(errors):
        name = (field_map or {}).get(key, key)
        if name in form.fields:
            form.add_error(name, message)
        else:
            form.add_error(None, _in_words(key, message))


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
    except ServiceError as exc:
        if wants_json(request):
            return JsonResponse({"ok": False, "error": error_message(exc)}, status=status_for(exc))
        messages.error(request, error_message(exc))
    else:
        if wants_json(request):
            return JsonResponse({"ok": True, "message": success})
        messages.success(request, success)
    return redirect(next_url(request, default_next))


def status_for(exc: ServiceError) -> int:
    """The HTTP status a JSON caller gets for a service error: the one the API answers."""
    return exc.status_code


def page_membership(request: HttpRequest) -> Membership:
    """The caller's membership in the workspace the page acts in (the switcher's, else their personal one);
    one query per request, cached on it. A workspace named by `X-Workspace` they are not in is a 404."""
    try:
        return request_membership(request)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


def page_workspace(request: HttpRequest) -> Workspace:
    return page_membership(request).workspace


_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def requires(capability: Capability) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page's changes (its POSTs) need `capability` in the page's workspace; reading it is for every member.

    A refusal is a 403 naming the role needed (JSON for the calendar's fetch calls). Goes under
    `login_required`, so an anonymous caller is still sent to the login page first.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in _READS:
                try:
                    require(page_membership(request), capability)
                except Forbidden as exc:
                    if wants_json(request):
                        return JsonResponse({"ok": False, "error": exc.detail}, status=exc.status_code)
                    raise PermissionDenied(exc.detail) from exc
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
