"""The workspace's audit log page (managers and owners): the newest events, filtered like `GET /api/v1/audit`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.audit import object_type as object_type_of
from accounts.audit import tracked_models
from accounts.audit_api import AuditEventFilter
from accounts.models import AuditEvent
from accounts.roles import Capability, require
from accounts.scoping import request_membership
from kernel.errors import Forbidden

EVENTS_SHOWN = 100


@login_required
@require_GET
def audit_view(request: HttpRequest) -> HttpResponse:
    membership = request_membership(request)
    try:
        require(membership, Capability.MANAGE)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from None
    events = AuditEvent.objects.filter(workspace_id=membership.workspace_id).order_by("-created_at", "-id")
    filters = AuditEventFilter(request.GET, queryset=events)
    valid = filters.is_valid()
    shown = list(filters.qs[:EVENTS_SHOWN]) if valid else []
    context = {
        "workspace": membership.workspace,
        "events": shown,
        "filters": filters.form,
        "valid": valid,
        "object_types": sorted(object_type_of(model) for model in tracked_models()),
        "limit": EVENTS_SHOWN,
    }
    return render(request, "accounts/audit.html", context, status=200 if valid else 400)
