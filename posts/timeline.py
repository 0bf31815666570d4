"""A post's history for its web page: created, handed to Buffer, scheduled, each publishing attempt, outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from posts.models import AttemptOutcome, Post, PostStatus, PublishAttempt

_ATTEMPT_TONES: dict[str, str] = {
    AttemptOutcome.PUBLISHED: "good",
    AttemptOutcome.RETRY: "bad",
    AttemptOutcome.FAILED: "bad",
}


@dataclass(frozen=True)
class Event:
    title: str
    when: dt.datetime | None = None
    detail: str = ""
    tone: str = ""  # "good" / "bad" / "": the dot's colour; the title always says it in words
    link: str = ""


def _attempt_events(post: Post, attempts: list[PublishAttempt]) -> list[Event]:
    if not attempts and post.attempts:
        # Counted by the engine but not (or no longer) recorded one by one.
        plural = "s" if post.attempts != 1 else ""
        return [
            Event(
                f"{post.attempts} publishing attempt{plural}", None, post.last_error, "bad" if post.last_error else ""
            )
        ]
    return [
        Event(
            f"Attempt {attempt.number}: {attempt.get_outcome_display().lower()}",
            attempt.started_at,
            attempt.error,
            _ATTEMPT_TONES.get(attempt.outcome, ""),
        )
        for attempt in attempts
    ]


def post_timeline(post: Post, attempts: list[PublishAttempt]) -> list[Event]:
    events = [Event("Created", post.created_at, "as a draft" if post.status == PostStatus.DRAFT else "")]
    if post.handed_to_buffer_at:
        events.append(Event("Handed to Buffer", post.handed_to_buffer_at, f"Buffer update {post.buffer_update_id}"))
    if post.scheduled_time and post.status not in (PostStatus.DRAFT, PostStatus.CANCELLED):
        events.append(Event("Scheduled", post.scheduled_time, "for this time"))
    if post.hold_reason:
        events.append(Event("On hold", None, post.hold_reason, "bad"))
    events.extend(_attempt_events(post, attempts))
    if post.status == PostStatus.PUBLISHING:
        events.append(Event("Publishing now", None, "the engine is sending it"))
    elif post.status == PostStatus.RECONCILING:
        events.append(
            Event("Checking with Buffer", post.retry_at, "the last answer was lost; nothing is resent before")
        )
    elif post.status == PostStatus.PUBLISHED:
        events.append(Event("Published", post.published_at, "", "good", post.service_link))
    elif post.status == PostStatus.FAILED:
        events.append(Event("Failed", post.updated_at, post.last_error, "bad"))
    elif post.status == PostStatus.CANCELLED:
        events.append(Event("Cancelled", post.updated_at, "", "bad"))
    return events
