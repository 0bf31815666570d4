"""The managers' page of client review links: list, make (the URL is shown once), revoke.

Managers and owners of the workspace the request acts in; other members get a 403 page naming the
role needed; a link of another workspace is a 404. The rules are `posts.review_links`'.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Membership
from accounts.roles import Capability, require
from accounts.scoping import request_membership
from campaigns.models import Campaign
from kernel.errors import Forbidden, ServiceError
from kernel.users import request_user
from posts import review_links
from posts.models import ReviewLink
from web.common import add_service_errors, run_action
from web.review.forms import ReviewLinkForm

LINKS_SHOWN = 100
DEFAULT_LIFETIME_DAYS = 14
FIELD_MAP = {"campaign_id": "campaign"}


def _manager(request: HttpRequest) -> Membership:
    membership = request_membership(request)
    require(membership, Capability.APPROVE)
    return membership


def _forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return render(request, "review/forbidden.html", {"detail": exc.detail}, status=403)


def _campaigns(membership: Membership):
    return Campaign.objects.filter(workspace=membership.workspace).order_by("name")


def _render(
    request: HttpRequest, membership: Membership, *, form: ReviewLinkForm | None = None, status: int = 200, **extra
) -> HttpResponse:
    campaigns = _campaigns(membership)
    links = review_links.review_links_of(workspace=membership.workspace)
    campaign_id = request.GET.get("campaign", "")
    if campaign_id.isdigit():
        links = links.filter(campaign_id=int(campaign_id))
    if form is None:
        expires = timezone.localtime() + dt.timedelta(days=DEFAULT_LIFETIME_DAYS)
        initial: dict[str, object] = {"expires_at": expires.replace(second=0, microsecond=0)}
        if campaign_id.isdigit():
            initial["campaign"] = int(campaign_id)
        form = ReviewLinkForm(campaigns=campaigns, initial=initial)
    context = {
        "workspace": membership.workspace,
        "links": list(links[:LINKS_SHOWN]),
        "form": form,
        "now": timezone.now(),
        **extra,
    }
    return render(request, "review/review_links.html", context, status=status)


@login_required
def review_links_view(request: HttpRequest) -> HttpResponse:
    """GET: the links and the form; POST: make a link and show its URL, once."""
    try:
        membership = _manager(request)
    except Forbidden as exc:
        return _forbidden(request, exc)
    if request.method != "POST":
        return _render(request, membership)
    form = ReviewLinkForm(request.POST, campaigns=_campaigns(membership))
    if not form.is_valid():
        return _render(request, membership, form=form, status=400)
    data = form.cleaned_data
    try:
        link, token = review_links.review_link_create(
            workspace=membership.workspace,
            actor=request_user(request),
            campaign_id=data["campaign"].pk if data["campaign"] else None,
            start_date=data["start_date"],
            end_date=data["end_date"],
            expires_at=data["expires_at"],
        )
    except ServiceError as exc:
        add_service_errors(form, exc, FIELD_MAP)
        return _render(request, membership, form=form, status=400)
    url = request.build_absolute_uri(reverse("review-page", args=[token]))
    return _render(request, membership, revealed={"link": link, "url": url})


@login_required
@require_POST
def review_link_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        membership = _manager(request)
    except Forbidden as exc:
        return _forbidden(request, exc)
    link = get_object_or_404(ReviewLink.objects.of_workspace(membership.workspace), pk=pk)
    return run_action(
        request,
        lambda: review_links.review_link_revoke(link=link),
        success=f"Review link #{link.pk} revoked: its URL no longer opens.",
        default_next=reverse("review-links"),
    )
