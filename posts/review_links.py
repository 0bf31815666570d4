"""Client review links: a signed, expiring URL through which someone without an account reviews posts.

A link selects a campaign's posts or those of a date range (days of the workspace's timezone) in one
workspace. Whoever has the URL sees them read-only and may approve or request changes on posts that
are pending approval, giving a name and a comment; every use is a `ReviewLinkUse` row.

The token: 32 random bytes (`secrets.token_urlsafe`), carried by the URL and never stored. The row
keeps its keyed hash (`hmac-sha256:…`, HMAC-SHA256 under a key derived from SECRET_KEY, as refresh
tokens are kept): the server only ever has to recognise a token, never to show it again, so nothing
at rest (a backup, an admin page, a leaked dump) can be turned back into a working link. The URL is
shown once, when the link is made; a manager who lost it revokes it and makes another. (Encrypting it
with `kernel.crypto` would let it be shown again, at the price of a readable secret in every backup
for as long as the keys live.) Rotating SECRET_KEY invalidates every review link.

The token is looked up by its hash (a unique index); the stored hash is compared again with
`hmac.compare_digest`, so no comparison of a secret depends on how much of it matched. Unknown,
expired and revoked tokens raise the same `NotFound` with the same sentence: the answer says nothing
about which it was.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import re
import secrets
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from campaigns.models import Campaign
from kernel import ratelimit
from kernel.actor import acting_as
from kernel.crypto import keyed_hash
from kernel.errors import Conflict, InvalidInput, NotFound, TooManyAttempts
from kernel.wording import retry_after_seconds
from posts.approvals import COMMENT_MAX, REVIEWER_NAME_MAX, post_approve, post_reject
from posts.models import Post, PostStatus, ReviewAction, ReviewLink, ReviewLinkUse
from posts.selectors import calendar_days

if TYPE_CHECKING:
    from accounts.models import User, Workspace

TOKEN_BYTES = 32
# token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
FINGERPRINT_PREFIX = "hmac-sha256:"
MAX_LIFETIME = dt.timedelta(days=90)
MAX_RANGE_DAYS = 366
MAX_NAME_LENGTH = REVIEWER_NAME_MAX
MAX_COMMENT_LENGTH = COMMENT_MAX
USES_SHOWN = 100
# Requests per client address and minute on the public pages (views and decisions together).
PUBLIC_RATE_LIMIT = 60
PUBLIC_RATE_WINDOW = 60
NOT_VALID = "This review link is not valid: it may have expired or been revoked."
# Not shown to a reviewer: a cancelled post is no longer part of the plan.
HIDDEN_STATUSES = (PostStatus.CANCELLED,)
DECISIONS = ("approve", "request_changes")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_fingerprint(token: str) -> str:
    return FINGERPRINT_PREFIX + keyed_hash(token, purpose="review-link")


# --- Writes ----------------------------------------------------------------------------------------


def _selection_errors(
    *, workspace: Workspace, campaign_id: int | None, start_date: dt.date | None, end_date: dt.date | None
) -> tuple[dict[str, list[str]], Campaign | None]:
    errors: dict[str, list[str]] = {}
    has_range = start_date is not None or end_date is not None
    if campaign_id is not None and has_range:
        message = "Give either a campaign or a date range, not both."
        return {"campaign_id": [message], "start_date": [message]}, None
    if campaign_id is None and not has_range:
        return {"campaign_id": ["Give a campaign, or a start and an end date."]}, None
    if campaign_id is not None:
        campaign = Campaign.objects.filter(workspace=workspace, pk=campaign_id).first()
        if campaign is None:  # unknown, or another workspace's: the same answer
            errors["campaign_id"] = ["No such campaign in this workspace."]
        return errors, campaign
    if start_date is None:
        errors["start_date"] = ["Give the first day of the range."]
    if end_date is None:
        errors["end_date"] = ["Give the last day of the range."]
    if start_date is not None and end_date is not None:
        if end_date < start_date:
            errors["end_date"] = ["The end date may not precede the start date."]
        elif (end_date - start_date).days + 1 > MAX_RANGE_DAYS:
            errors["end_date"] = [f"A range covers at most {MAX_RANGE_DAYS} days."]
    return errors, None


def review_link_create(
    *,
    workspace: Workspace,
    actor: User,
    expires_at: dt.datetime,
    campaign_id: int | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> tuple[ReviewLink, str]:
    """The link and its token (shown once: only its hash is kept). Rights are the caller's to check."""
    now = now or timezone.now()
    errors, campaign = _selection_errors(
        workspace=workspace, campaign_id=campaign_id, start_date=start_date, end_date=end_date
    )
    if expires_at <= now:
        errors["expires_at"] = ["Must be in the future."]
    elif expires_at > now + MAX_LIFETIME:
        errors["expires_at"] = [f"A review link lives at most {MAX_LIFETIME.days} days."]
    if errors:
        raise InvalidInput.from_errors(errors)
    token = new_token()
    link = ReviewLink.objects.create(
        workspace=workspace,
        created_by=actor,
        campaign=campaign,
        start_date=start_date if campaign is None else None,
        end_date=end_date if campaign is None else None,
        expires_at=expires_at,
        token_hash=token_fingerprint(token),
    )
    return link, token


def review_link_revoke(*, link: ReviewLink, now: dt.datetime | None = None) -> ReviewLink:
    """From now on the link's URL is a 404; revoking twice keeps the first time. The log stays."""
    now = now or timezone.now()
    ReviewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now, updated_at=now)
    link.refresh_from_db(fields=["revoked_at", "updated_at"])
    return link


def _stored_address(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def review_link_record_use(
    *,
    link: ReviewLink,
    action: str,
    client_ip: str,
    post: Post | None = None,
    reviewer_name: str = "",
    comment: str = "",
    now: dt.datetime | None = None,
) -> ReviewLinkUse:
    return ReviewLinkUse.objects.create(
        link=link,
        at=now or timezone.now(),
        action=action,
        post=post,
        reviewer_name=reviewer_name,
        comment=comment,
        client_ip=_stored_address(client_ip),
    )


def _decision_errors(*, decision: str, reviewer_name: str, comment: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if decision not in DECISIONS:
        errors["decision"] = ["Choose Approve or Request changes."]
    if not reviewer_name:
        errors["reviewer_name"] = ["Give your name."]
    elif len(reviewer_name) > MAX_NAME_LENGTH:
        errors["reviewer_name"] = [f"At most {MAX_NAME_LENGTH} characters."]
    if len(comment) > MAX_COMMENT_LENGTH:
        errors["comment"] = [f"At most {MAX_COMMENT_LENGTH} characters."]
    elif decision == "request_changes" and not comment:
        errors["comment"] = ["Say what should change."]
    return errors


def review_link_decide(
    *,
    link: ReviewLink,
    post_id: int,
    decision: str,
    reviewer_name: str,
    comment: str,
    client_ip: str,
    now: dt.datetime | None = None,
) -> Post:
    """A reviewer's approval or request for changes on one of the link's posts, recorded as a use.

    Only a post pending approval can be decided; another post of the link is a Conflict (409), a post
    outside the link a NotFound (404); losing a race with another decision is the Conflict of
    `posts.approvals`, and then nothing is logged. The post changes through `posts.approvals`.
    """
    now = now or timezone.now()
    post = review_link_posts(link=link).filter(pk=post_id).first()
    if post is None:
        raise NotFound("No such post in this review.")
    reviewer_name, comment = reviewer_name.strip(), comment.strip()
    errors = _decision_errors(decision=decision, reviewer_name=reviewer_name, comment=comment)
    if errors:
        raise InvalidInput.from_errors(errors)
    if post.status != PostStatus.PENDING_APPROVAL:
        label = post.get_status_display().lower()
        raise Conflict(f"This post is not waiting for approval (it is {label}): nothing to decide.")
    with transaction.atomic(), acting_as(f"review link: {reviewer_name} (client)"):
        post = _apply_decision(post=post, decision=decision, reviewer_name=reviewer_name, comment=comment)
        action = ReviewAction.APPROVED if decision == "approve" else ReviewAction.CHANGES_REQUESTED
        review_link_record_use(
            link=link,
            action=action,
            client_ip=client_ip,
            post=post,
            reviewer_name=reviewer_name,
            comment=comment,
            now=now,
        )
    return post


def _apply_decision(*, post: Post, decision: str, reviewer_name: str, comment: str) -> Post:
    """Through `posts.approvals`, as a manager's decision: a client is `approver=None` with their name."""
    if decision == "approve":
        return post_approve(post=post, approver=None, reviewer_name=reviewer_name, comment=comment)
    return post_reject(post=post, approver=None, reviewer_name=reviewer_name, comment=comment)


def review_link_throttle(*, client_ip: str) -> None:
    """TooManyAttempts (429) past PUBLIC_RATE_LIMIT requests a minute from one address on the public pages."""
    hit = ratelimit.hit(f"review-link:{client_ip}", window=PUBLIC_RATE_WINDOW)
    if hit.count > PUBLIC_RATE_LIMIT:
        seconds = retry_after_seconds(hit.retry_after)
        raise TooManyAttempts(
            f"Too many requests: try again in {seconds} second{'s' if seconds != 1 else ''}.",
            retry_after=hit.retry_after,
        )


# --- Reads -----------------------------------------------------------------------------------------


def review_link_for_token(*, token: str, now: dt.datetime | None = None) -> ReviewLink:
    """The usable link of `token`, with its workspace and campaign; NotFound for any other token."""
    now = now or timezone.now()
    if not _TOKEN.fullmatch(token):
        raise NotFound(NOT_VALID)
    fingerprint = token_fingerprint(token)
    link = ReviewLink.objects.select_related("workspace", "campaign").filter(token_hash=fingerprint).first()
    if link is None or not hmac.compare_digest(link.token_hash, fingerprint) or not link.is_usable(now=now):
        raise NotFound(NOT_VALID)
    return link


def review_links_of(*, workspace: Workspace) -> QuerySet[ReviewLink]:
    """A workspace's links, newest first, with who made them, their campaign and use counts (one query)."""
    return (
        ReviewLink.objects.filter(workspace=workspace)
        .select_related("created_by", "campaign")
        .annotate(use_count=Count("uses"), last_used_at=Max("uses__at"))
        .order_by("-created_at", "-id")  # Meta.ordering does not apply to an aggregating query
    )


def review_link_uses(*, link: ReviewLink, limit: int = USES_SHOWN) -> list[ReviewLinkUse]:
    return list(link.uses.order_by("-at", "-id")[:limit])


def review_link_decisions(*, link: ReviewLink, post_ids: list[int]) -> dict[int, list[ReviewLinkUse]]:
    """The decisions given through this link on these posts, oldest first, by post (one query).

    Only this link's: what members decided, and their notes, are internal and not shown to a reviewer.
    """
    decisions: dict[int, list[ReviewLinkUse]] = {}
    uses = link.uses.filter(post_id__in=post_ids).exclude(action=ReviewAction.VIEWED).order_by("at", "id")
    for use in uses:
        if use.post_id is not None:
            decisions.setdefault(use.post_id, []).append(use)
    return decisions


def _local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def review_link_posts(*, link: ReviewLink) -> QuerySet[Post]:
    """The posts the link shows: of its workspace only, in its campaign or scheduled within its days."""
    posts = Post.objects.filter(workspace_id=link.workspace_id).exclude(status__in=HIDDEN_STATUSES)
    if link.campaign_id is not None:
        return posts.filter(campaign_id=link.campaign_id)
    if link.start_date is None or link.end_date is None:  # the table's constraint makes this impossible
        return posts.none()
    tz = link.workspace.tzinfo
    return posts.filter(
        scheduled_time__gte=_local_midnight(link.start_date, tz),
        scheduled_time__lt=_local_midnight(link.end_date + dt.timedelta(days=1), tz),
    )


def review_link_calendar(*, link: ReviewLink, start_date: dt.date, end_date: dt.date) -> list[dict]:
    """The link's posts from start_date to end_date (days of the workspace), shaped as `calendar_for`'s. One query."""
    return calendar_days(
        posts=review_link_posts(link=link), start_date=start_date, end_date=end_date, tz=link.workspace.tzinfo
    )


def review_link_first_day(*, link: ReviewLink) -> dt.date | None:
    """Where the review's calendar opens: its range's first day, or the campaign's first scheduled post."""
    if link.start_date is not None:
        return link.start_date
    first = review_link_posts(link=link).filter(scheduled_time__isnull=False).order_by("scheduled_time").first()
    if first is not None and first.scheduled_time is not None:
        return first.scheduled_time.astimezone(link.workspace.tzinfo).date()
    return link.campaign.start_date if link.campaign is not None else None


def review_link_state(link: ReviewLink, *, now: dt.datetime) -> str:
    if link.revoked_at is not None:
        return "revoked"
    return "active" if link.expires_at > now else "expired"
