"""Web pages of campaigns: the list with counts, a campaign's analytics and posts, create/edit, pause/resume/complete.

Thin: parse, call `campaigns.services`, `analytics.campaigns` and `posts.selectors`, respond.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Platform
from accounts.roles import Capability
from analytics.campaigns import campaign_analytics
from campaigns import services
from campaigns.models import Campaign, CampaignStatus
from kernel.errors import ServiceError
from kernel.users import request_user
from posts.models import PostStatus
from posts.selectors import campaign_posts
from web.campaigns.forms import CampaignForm, CampaignStatusForm
from web.charts import campaign_day_chart
from web.common import add_service_errors, page_workspace, requires, run_action

POSTS_SHOWN = 50
PLATFORM_LABELS = dict(Platform.choices)
# The buttons of a campaign's page: target status → label.
STATUS_ACTIONS = {CampaignStatus.PAUSED: "Pause", CampaignStatus.ACTIVE: "Resume", CampaignStatus.COMPLETED: "Complete"}


def _get_campaign_for_user(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.in_workspace(page_workspace(request)), pk=pk)


def _own_posts(status: str | None = None) -> Count:
    # Only the campaign workspace's posts count, as in `posts.selectors.campaign_posts`.
    condition = Q(posts__workspace=F("workspace"))
    if status:
        condition &= Q(posts__status=status)
    return Count("posts", filter=condition)


@login_required
@require_GET
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    owned = Campaign.objects.in_workspace(page_workspace(request))
    status = request.GET.get("status", "")
    status = status if status in CampaignStatus.values else ""
    by_status = dict(owned.order_by().values_list("status").annotate(n=Count("id")))
    campaigns = (owned.filter(status=status) if status else owned).annotate(
        post_count=_own_posts(),
        scheduled_count=_own_posts(PostStatus.SCHEDULED),
        published_count=_own_posts(PostStatus.PUBLISHED),
    )
    tabs = [("", "All", sum(by_status.values()))] + [
        (value, label, by_status.get(value, 0)) for value, label in CampaignStatus.choices
    ]
    context = {"campaigns": campaigns, "status": status, "tabs": tabs}
    return render(request, "campaigns/campaign_list.html", context)


@login_required
@require_GET
def campaign_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    analytics = campaign_analytics(campaign=campaign, tz=request_user(request).tzinfo)
    posts = (
        campaign_posts(campaign=campaign)
        .select_related("social_account")
        .order_by("-scheduled_time", "-id")[:POSTS_SHOWN]
    )
    context = {
        "campaign": campaign,
        "analytics": analytics,
        "status_counts": [
            (value, label, analytics["posts_by_status"].get(value, 0)) for value, label in PostStatus.choices
        ],
        "by_platform": _by_platform(analytics),
        "chart": campaign_day_chart(analytics["by_day"]),
        "posts": list(posts),
        "status_actions": [(value, label) for value, label in STATUS_ACTIONS.items() if value != campaign.status],
    }
    return render(request, "campaigns/campaign_detail.html", context)


def _by_platform(analytics: dict) -> list[dict]:
    """One row per network the campaign has posts on: all its posts, and the numbers of those with analytics."""
    measured = {row["platform"]: row for row in analytics["by_platform"]}
    return [
        {
            "platform": platform,
            "label": PLATFORM_LABELS.get(platform, platform),
            "posts": posts,
            "with_analytics": measured[platform]["posts"] if platform in measured else 0,
            "views": measured[platform]["views"] if platform in measured else 0,
            "engagement_rate": measured[platform]["engagement_rate"] if platform in measured else None,
        }
        for platform, posts in analytics["posts_by_platform"].items()
    ]


def _save(request: HttpRequest, form: CampaignForm, campaign: Campaign | None) -> HttpResponse:
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in CampaignForm.Meta.fields}
        try:
            if campaign is None:
                campaign = services.campaign_create(
                    workspace=page_workspace(request), actor=request_user(request), **fields
                )
            else:
                campaign = services.campaign_update(campaign=campaign, **fields)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Campaign “{campaign.name}” saved.")
            return redirect("campaign-detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign}, status=400)


@login_required
@requires(Capability.EDIT_CAMPAIGNS)
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, CampaignForm(request.POST), None)
    return render(request, "campaigns/campaign_form.html", {"form": CampaignForm(), "campaign": None})


@login_required
@requires(Capability.EDIT_CAMPAIGNS)
def campaign_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    if request.method == "POST":
        # A fresh instance for the form: the stored campaign changes only through the service.
        return _save(request, CampaignForm(request.POST, instance=Campaign(pk=campaign.pk)), campaign)
    context = {"form": CampaignForm(instance=campaign), "campaign": campaign}
    return render(request, "campaigns/campaign_form.html", context)


@login_required
@require_POST
@requires(Capability.EDIT_CAMPAIGNS)
def campaign_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    form = CampaignStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Unknown campaign status.")
        return redirect("campaign-detail", pk=campaign.pk)
    status = form.cleaned_data["status"]
    return run_action(
        request,
        lambda: services.campaign_update(campaign=campaign, status=status),
        success=f"Campaign “{campaign.name}” is now {CampaignStatus(status).label.lower()}.",
        default_next=reverse("campaign-detail", args=[campaign.pk]),
    )
