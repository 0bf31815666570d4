"""Writes on publisher posts: accept (validate, resolve, queue), process (render, validate all, create Posts), delete.

Processing is all-or-nothing: every delivery is rendered and checked first; only when all pass
are their Posts created (through `posts.services`, like any other post) in one transaction with
the status change, so the engine never sees half a publisher post.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User, Workspace
from kernel.errors import Conflict, InvalidInput
from posts import transitions
from posts.approvals import INTEGRATOR_ROLE, needs_approval
from posts.models import PostStatus
from posts.scheduling import publish_now_time
from posts.services import post_delete, posts_bulk_create
from publisher.config_services import webhook_secret_ensure
from publisher.models import (
    NETWORKTARGET_PREFIX,
    Delivery,
    FailOn,
    IntegratorApp,
    PublisherPost,
    PublisherStatus,
    config_id,
)
from publisher.rendering import PayloadContent, Rendering, extract_content, payload_network_options, render_delivery
from publisher.resolution import resolve_posttypes
from publisher.schema import PostRequest
from publisher.ssrf import UnsafeCallbackURL, check_callback_url
from publisher.status import advance_status, report_status


def _check_callbacks(*, request: PostRequest) -> None:
    errors: dict[str, list[str]] = {}
    for field, url in (
        ("postStatusCallback", request.status_callback),
        ("postCommentCallback", request.comment_callback),
    ):
        if not url:
            continue
        try:
            check_callback_url(url)
        except UnsafeCallbackURL as exc:
            errors[field] = [str(exc)]
    if errors:
        raise InvalidInput.from_errors(errors)


def publisher_post_create(
    *, workspace: Workspace, actor: User, request: PostRequest, app: IntegratorApp | None = None
) -> PublisherPost:
    """Accept a post: QUEUED, one delivery per resolved post type; processing runs after commit."""
    from publisher import tasks

    _check_callbacks(request=request)
    posttypes = resolve_posttypes(
        workspace=workspace,
        channels=request.channels,
        posttypes=request.posttypes,
        networktargets=request.networktargets,
    )
    if request.status_callback or request.comment_callback:
        # Callbacks are always signed; a manager reads the secret at GET /webhook-secret when ready to verify.
        webhook_secret_ensure(workspace=workspace, actor=actor)
    with transaction.atomic():
        publisher_post = PublisherPost.objects.create(
            workspace=workspace,
            owner=actor,
            app=app,
            payload=request.payload,
            filters=request.filters,
            content_source_link=request.content_source_link,
            status_callback_url=request.status_callback,
            comment_callback_url=request.comment_callback,
            scheduled_at=request.scheduled,
            strict=request.strict,
            fail_on=request.fail_on,
        )
        Delivery.objects.bulk_create(
            Delivery(
                publisher_post=publisher_post,
                post_type=posttype,
                network_target=posttype.network_target,
                requested_kind=posttype.kind,
            )
            for posttype in posttypes
        )
        report_status(publisher_post)  # QUEUED is the first status change the integrator hears of
        transaction.on_commit(lambda: tasks.process_publisher_post.delay(publisher_post.pk))
    return publisher_post


def _render(delivery: Delivery, content: PayloadContent, publisher_post: PublisherPost) -> Rendering:
    account = delivery.network_target
    if account is None or not account.is_active:
        state = "deleted" if account is None else "inactive"
        return Rendering(kind=delivery.requested_kind, text="", errors=[f"The network target is {state}."])
    rendering = render_delivery(
        content,
        kind=delivery.requested_kind,
        platform=account.platform,
        service_type=account.service_type or "profile",
        strict=publisher_post.strict,
    )
    if publisher_post.fail_on == FailOn.WARNING and rendering.warnings and not rendering.errors:
        failure = f'failOn is "warning": this delivery has {len(rendering.warnings)} warning(s).'
        rendering = dataclasses.replace(rendering, errors=[failure])
    return rendering


def _failure_summary(failed: list[Delivery], total: int) -> str:
    first = failed[0]
    where = config_id(NETWORKTARGET_PREFIX, first.network_target_id) if first.network_target_id else "a deleted target"
    return (
        f"Validation failed for {len(failed)} of {total} deliveries, so nothing was published. "
        f"First: {first.requested_kind} on {where}: {first.errors[0]}"
    )


def _network_options(delivery: Delivery, payload: Any) -> dict[str, Any]:
    """The post type's option defaults with the payload's well-known keys over them."""
    target = delivery.network_target
    assert target is not None  # _render refused every delivery without a network target
    defaults = delivery.post_type.network_options if delivery.post_type else {}
    return {**defaults, **payload_network_options(payload, target.platform)}


def _messages(problems: dict[str, Any]) -> list[str]:
    """A bulk item's errors as sentences; network_options nest one level per option."""
    found = []
    for key, messages in problems.items():
        if isinstance(messages, dict):
            found += [f"{key}.{option}: {m}" for option, option_messages in messages.items() for m in option_messages]
        else:
            found += messages
    return found


def _needs_approval(publisher_post: PublisherPost) -> bool:
    """An integrator's posts wait for approval in a workspace where every post does."""
    return needs_approval(workspace=publisher_post.workspace, role=INTEGRATOR_ROLE)


def _create_posts(publisher_post: PublisherPost, deliveries: list[Delivery], now: datetime) -> str:
    """Create the deliveries' Posts; return an error message instead when posts refuses one."""
    when = max(publisher_post.scheduled_at or now, publish_now_time())  # never in the past
    items = [
        {
            "social_account_id": delivery.network_target_id,
            "content": delivery.content,
            "media_urls": delivery.media_urls,
            "scheduled_time": when,
            "status": PostStatus.SCHEDULED,
            "network_options": _network_options(delivery, publisher_post.payload),
        }
        for delivery in deliveries
    ]
    try:
        with transaction.atomic():
            posts = posts_bulk_create(
                workspace=publisher_post.workspace,
                actor=publisher_post.owner,
                items=items,
                needs_approval=_needs_approval(publisher_post),
            )
    except InvalidInput as exc:
        for index, problems in exc.errors.items():  # bulk errors are keyed by item index
            if str(index).isdigit() and int(index) < len(deliveries) and isinstance(problems, dict):
                deliveries[int(index)].errors = _messages(problems)
        Delivery.objects.bulk_update(deliveries, ["errors"])
        return f"The posts could not be created: {exc.message}"
    for delivery, post in zip(deliveries, posts, strict=True):
        delivery.post = post
    Delivery.objects.bulk_update(deliveries, ["post"])
    return ""


def publisher_post_process(*, publisher_post_id: int, now: datetime | None = None) -> PublisherPost | None:
    """Render and validate every delivery, then create all Posts or none. None if already processed."""
    now = now or timezone.now()
    publisher_post = PublisherPost.objects.filter(pk=publisher_post_id, processed_at__isnull=True).first()
    if publisher_post is None:
        return None
    deliveries = list(publisher_post.deliveries.select_related("network_target", "post_type"))
    content = extract_content(publisher_post.payload, content_source_link=publisher_post.content_source_link)
    for delivery in deliveries:
        rendering = _render(delivery, content, publisher_post)
        delivery.kind, delivery.content, delivery.media_urls = rendering.kind, rendering.text, rendering.media_urls
        delivery.warnings, delivery.errors, delivery.updated_at = rendering.warnings, rendering.errors, now
    failed = [delivery for delivery in deliveries if delivery.errors]
    with transaction.atomic():
        # The claim: exactly one processor gets past this line.
        if not PublisherPost.objects.filter(pk=publisher_post.pk, processed_at__isnull=True).update(processed_at=now):
            return None
        publisher_post.processed_at = now
        Delivery.objects.bulk_update(deliveries, ["kind", "content", "media_urls", "warnings", "errors", "updated_at"])
        error = _failure_summary(failed, len(deliveries)) if failed else _create_posts(publisher_post, deliveries, now)
        if error:
            PublisherPost.objects.filter(pk=publisher_post.pk).update(error=error)
            publisher_post.error = error
            advance_status(publisher_post=publisher_post, to=PublisherStatus.ERROR, via_processed=False)
        else:
            scheduled = publisher_post.scheduled_at is not None and publisher_post.scheduled_at > now
            to = PublisherStatus.SCHEDULED if scheduled else PublisherStatus.PROCESSED
            advance_status(publisher_post=publisher_post, to=to)
    return publisher_post


def publisher_post_delete(*, publisher_post: PublisherPost) -> None:
    """Withdraw every Post not yet published (from Buffer too), then remove the publisher post.

    Published Posts stay: they are public history, with their analytics.
    """
    # Claim processing first: a processor running now must not create Posts for a deleted post.
    PublisherPost.objects.filter(pk=publisher_post.pk, processed_at__isnull=True).update(
        processed_at=timezone.now(), error="Deleted before processing."
    )
    deliveries = list(publisher_post.deliveries.select_related("post__social_account"))
    if any(d.post is not None and d.post.status in transitions.BUSY for d in deliveries):
        raise Conflict("A delivery of this post is being published right now; delete it again in a moment.")
    for delivery in deliveries:
        if delivery.post is not None and delivery.post.status != PostStatus.PUBLISHED:
            post_delete(post=delivery.post)
    publisher_post.delete()
