"""The notifications page (list, open, mark read) and the notification choices on the Settings page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts import notifications
from accounts.models import Membership, NotificationKind
from accounts.scoping import SESSION_KEY
from accounts.workspaces import membership_for
from kernel.errors import NotFound
from kernel.users import request_user

NOTIFICATIONS_PER_PAGE = 50


class NotificationPreferencesForm(forms.Form):
    """Two checkboxes per kind: in the app (the bell) and by email."""

    def __init__(self, data=None, *, membership: Membership) -> None:
        choices = notifications.notification_preferences_for(membership=membership)
        initial = {}
        for kind, choice in choices.items():
            initial[f"in_app_{kind}"] = choice.in_app
            initial[f"email_{kind}"] = choice.email
        super().__init__(data, initial=initial)
        for kind in choices:
            label = NotificationKind(kind).label
            self.fields[f"in_app_{kind}"] = forms.BooleanField(required=False, label=f"{label}: in the app")
            self.fields[f"email_{kind}"] = forms.BooleanField(required=False, label=f"{label}: by email")

    def rows(self) -> list[dict]:
        return [
            {"label": NotificationKind(kind).label, "in_app": self[f"in_app_{kind}"], "email": self[f"email_{kind}"]}
            for kind in NotificationKind.values
        ]

    def choices(self) -> dict[str, notifications.Delivery]:
        data = self.cleaned_data
        return {
            kind: notifications.Delivery(in_app=data[f"in_app_{kind}"], email=data[f"email_{kind}"])
            for kind in NotificationKind.values
        }


@login_required
@require_GET
def notifications_view(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    rows = notifications.notifications_for(user=request_user(request), unread=True if unread_only else None)
    page = Paginator(rows.select_related("workspace"), NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page, "unread_only": unread_only})


def _mark_read(request: HttpRequest, pk: int):
    try:
        return notifications.notification_mark_read(user=request_user(request), notification_id=pk)
    except NotFound as exc:
        raise Http404(exc.detail) from None


@login_required
@require_POST
def notification_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go where it points, in its workspace (the pages then act in that one)."""
    notification = _mark_read(request, pk)
    if membership_for(user=request_user(request), workspace_id=notification.workspace_id) is not None:
        request.session[SESSION_KEY] = notification.workspace_id
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None) and notification.url.startswith("/"):
        return HttpResponseRedirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def notification_read_view(request: HttpRequest, pk: int) -> HttpResponse:
    _mark_read(request, pk)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all_view(request: HttpRequest) -> HttpResponse:
    marked = notifications.notifications_mark_all_read(user=request_user(request))
    messages.success(request, f"{marked} notification{'' if marked == 1 else 's'} marked read.")
    return redirect("notifications")
