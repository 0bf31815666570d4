"""The settings page: timezone, notifications, API access (JWT), publisher apps, webhook secret, callback log.

Secrets (a new app's secret, a rotated webhook secret) are shown once, in the POST's own response:
never redirected through a message, which would put them in a cookie or the session.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.notifications import notification_preferences_set
from accounts.roles import Capability
from accounts.scoping import request_membership
from kernel.users import request_user
from publisher.config_services import (
    integrator_app_create,
    integrator_app_revoke,
    webhook_secret_ensure,
    webhook_secret_rotate,
)
from publisher.models import CallbackDelivery, IntegratorApp, WebhookSecret
from publisher.outbox import callback_replay
from web.accounts.forms import IntegratorAppForm, TimezoneForm
from web.accounts.notifications import NotificationPreferencesForm
from web.common import format_datetime, page_workspace, requires, run_action

CALLBACKS_SHOWN = 50


def _render(
    request: HttpRequest,
    *,
    tz_form=None,
    app_form=None,
    notification_form=None,
    revealed: dict | None = None,
    reusable=False,
    status=200,
):
    user = request_user(request)
    membership = request_membership(request)
    workspace = membership.workspace
    context = {
        "notification_form": notification_form or NotificationPreferencesForm(membership=membership),
        "notification_workspace": membership.workspace,
        "tz_form": tz_form or TimezoneForm(instance=user),
        "app_form": app_form or IntegratorAppForm(),
        "api_base": request.build_absolute_uri("/api/v1/"),
        "docs_url": request.build_absolute_uri(reverse("swagger-ui")),
        "apps": list(IntegratorApp.objects.in_workspace(workspace).order_by("-created_at", "-id")),
        "webhook_secret": WebhookSecret.objects.filter(workspace=workspace).first(),
        "callbacks": list(
            CallbackDelivery.objects.in_workspace(workspace).select_related("publisher_post")[:CALLBACKS_SHOWN]
        ),
        "revealed": revealed,
        "revealed_reusable": reusable,
    }
    response = render(request, "accounts/settings.html", context, status=status)
    if revealed:
        response["Cache-Control"] = "no-store"  # a one-time secret must not come back from a cache
    return response


@login_required
@require_GET
def settings_view(request: HttpRequest) -> HttpResponse:
    return _render(request)


@login_required
@require_POST
def timezone_view(request: HttpRequest) -> HttpResponse:
    form = TimezoneForm(request.POST, instance=request.user)
    if not form.is_valid():
        return _render(request, tz_form=form, status=400)
    user = request_user(request)
    user.save(update_fields=["timezone"])
    messages.success(request, f"Timezone set to {user.timezone}.")
    return redirect("settings")


@login_required
@require_POST
def notification_preferences_view(request: HttpRequest) -> HttpResponse:
    """The member's choices per kind in the workspace the pages act in."""
    membership = request_membership(request)
    form = NotificationPreferencesForm(request.POST, membership=membership)
    if not form.is_valid():
        return _render(request, notification_form=form, status=400)
    notification_preferences_set(membership=membership, preferences=form.choices())
    messages.success(request, f"Notification settings saved for {membership.workspace.name}.")
    return redirect(reverse("settings") + "#notifications")


@login_required
@require_POST
@requires(Capability.MANAGE)
def app_create_view(request: HttpRequest) -> HttpResponse:
    form = IntegratorAppForm(request.POST)
    if not form.is_valid():
        return _render(request, app_form=form, status=400)
    app, secret = integrator_app_create(
        workspace=page_workspace(request), actor=request_user(request), name=form.cleaned_data["name"]
    )
    revealed = {"title": f"Secret of app “{app.name}”", "id_label": "App id", "id": app.app_id, "secret": secret}
    return _render(request, revealed=revealed)


@login_required
@require_POST
@requires(Capability.MANAGE)
def app_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(IntegratorApp.objects.in_workspace(page_workspace(request)), pk=pk)
    return run_action(
        request,
        lambda: integrator_app_revoke(app=app),
        success=f"App “{app.name}” revoked: its signed requests are refused from now on.",
        default_next=reverse("settings"),
    )


@login_required
@require_POST
@requires(Capability.MANAGE)
def webhook_secret_rotate_view(request: HttpRequest) -> HttpResponse:
    _record, secret = webhook_secret_rotate(workspace=page_workspace(request), actor=request_user(request))
    revealed = {"title": "New webhook signing secret", "secret": secret, "note": _previous_note(_record)}
    return _render(request, revealed=revealed)


@login_required
@require_POST
@requires(Capability.MANAGE)
def webhook_secret_reveal_view(request: HttpRequest) -> HttpResponse:
    """The current secret, whenever a manager asks (created now if no callback needed one yet).

    A POST rather than part of every settings page: the secret is shown only when asked for, and
    the answer is `no-store`.
    """
    record = webhook_secret_ensure(workspace=page_workspace(request), actor=request_user(request))
    revealed = {"title": "Webhook signing secret", "secret": record.get_secret(), "note": _previous_note(record)}
    return _render(request, revealed=revealed, reusable=True)


def _previous_note(record) -> str:
    if not record.previous_is_valid(timezone.now()):
        return ""
    until = format_datetime(record.previous_valid_until)
    return f"Callbacks are also signed with the previous secret until {until}, so receivers can switch over."


@login_required
@require_POST
@requires(Capability.MANAGE)
def callback_replay_view(request: HttpRequest, pk: int) -> HttpResponse:
    callback = get_object_or_404(CallbackDelivery.objects.in_workspace(page_workspace(request)), pk=pk)
    return run_action(
        request,
        lambda: callback_replay(callback=callback),
        success=f"Callback {callback.event} #{callback.sequence} sent again; see its latest result below.",
        default_next=reverse("settings") + "#callbacks",
    )
