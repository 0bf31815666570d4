"""Whether a post may exist as given: its account, platform, text, media, time and campaign.

Pure over already-loaded objects (no queries), so one request and a bulk of 1,000 share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from buffer_integration.platforms import NOT_PUBLISHABLE_MESSAGE, can_publish
from campaigns.models import Campaign, CampaignStatus
from posts.models import PostStatus
from posts.network_options import network_option_errors
from posts.text import validate_post_content

CREATABLE_STATUSES = (PostStatus.DRAFT, PostStatus.SCHEDULED)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _campaign_errors(*, owner, campaign: Campaign, scheduled_time: datetime | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if campaign.status == CampaignStatus.COMPLETED:
        _add(errors, "campaign_id", f"Campaign '{campaign.name}' is completed: it takes no more posts.")
    elif scheduled_time is not None:
        # Campaign dates are calendar days of the owner, so compare in the owner's timezone.
        day = timezone.localtime(scheduled_time, owner.tzinfo).date()
        too_early = campaign.start_date is not None and day < campaign.start_date
        too_late = campaign.end_date is not None and day > campaign.end_date
        if too_early or too_late:
            start = campaign.start_date or "its start"
            end = campaign.end_date or "open end"
            _add(
                errors,
                "scheduled_time",
                f"{day} is outside campaign '{campaign.name}' ({start} to {end}, in {owner.timezone}).",
            )
    return errors


def post_errors(
    *,
    owner,
    account,
    campaign: Campaign | None,
    platform: str | None,
    content: str,
    media_urls: list[str],
    scheduled_time: datetime | None,
    status: str,
    network_options: dict | None,
    time_changed: bool = True,
    library_kinds: Sequence[str] = (),
) -> dict:
    """Every rule a post breaks, by API field name. `account` is the caller's own (resolved) account.

    `library_kinds`: the kinds of the post's library items (posts.media), counted with `media_urls`.
    `time_changed=False` lets an edit keep an unchanged time that has meanwhile passed. Option problems
    nest per option: {"network_options": {"board_id": [...]}}.
    """
    errors: dict = {}
    if platform and platform != account.platform:
        _add(errors, "platform", f"Must be the account's platform ({account.platform}), or left out.")
    elif not can_publish(account.platform):
        _add(errors, "social_account_id", NOT_PUBLISHABLE_MESSAGE.format(label=account.get_platform_display()))
    else:
        if option_errors := network_option_errors(account=account, options=network_options):
            errors["network_options"] = option_errors
        service_type = account.service_type or "profile"
        errors.update(
            validate_post_content(
                platform=account.platform,
                content=content,
                media_urls=media_urls,
                service_type=service_type,
                library_kinds=library_kinds,
            )
        )
    if status == PostStatus.SCHEDULED:
        if scheduled_time is None:
            _add(errors, "scheduled_time", "A scheduled post needs a scheduled_time.")
        elif time_changed and scheduled_time <= timezone.now():
            _add(errors, "scheduled_time", "Must be in the future.")
    horizon = settings.SCHEDULE_HORIZON_DAYS
    if scheduled_time is not None and time_changed and scheduled_time > timezone.now() + timedelta(days=horizon):
        # API, composer and calendar alike: a year-9999 post would only break periodic work.
        _add(errors, "scheduled_time", f"Must be at most {horizon} days ahead.")
    if campaign is not None:
        for field, messages in _campaign_errors(owner=owner, campaign=campaign, scheduled_time=scheduled_time).items():
            for message in messages:
                _add(errors, field, message)
    return errors
