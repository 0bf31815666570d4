"""The one place that changes `Post.status`.

Every transition is a compare-and-set: `UPDATE ... WHERE id = %s AND status IN (allowed_from)`.
It returns True when this caller won; False means the post was no longer in an allowed state
(another request, the worker or an admin got there first) and nothing was written. Callers
decide what losing means: the API answers 409, the publishing engine skips the post.

    API / UI:  hand_to_buffer, cancel, reschedule
    approvals: submit, approve, reject, withdraw_approval (posts.approvals)
    engine:    claim, defer, mark_published, mark_failed, release_for_retry, mark_reconciling,
               found_at_buffer

Engine transitions pass the `claim_id` they hold: a redelivered or duplicate task, or a worker the
sweeper gave up on, then finds another claim and writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, TypedDict, Unpack
from uuid import UUID

from django.db.models import Case, Exists, F, Q, Value, When
from django.db.models.expressions import Combinable
from django.utils import timezone

from accounts import audit
from accounts.models import User
from posts.alerts import approval_requested_on_commit, post_failed_on_commit
from posts.models import APPROVED_OR_NOT_REQUIRED, HOLDS_SLOT, Post, PostStatus, PublishAttempt

S = PostStatus
POST_TYPE = audit.object_type(Post)

# The states each named transition starts from. The UI reads this to enable its buttons.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "hand_to_buffer": frozenset({S.DRAFT, S.SCHEDULED, S.FAILED}),
    "cancel": frozenset({S.DRAFT, S.SCHEDULED, S.FAILED, S.PENDING_APPROVAL}),
    # A post that needs approval and has none goes to pending_approval instead of scheduled.
    "reschedule": frozenset({S.DRAFT, S.SCHEDULED, S.FAILED, S.CANCELLED, S.PENDING_APPROVAL}),
    # Approvals: a draft (a rejected post is a draft again) is submitted; a manager or a client decides.
    "submit": frozenset({S.DRAFT}),
    "approve": frozenset({S.PENDING_APPROVAL}),
    "reject": frozenset({S.PENDING_APPROVAL}),
    "claim": frozenset({S.SCHEDULED}),
    # Scheduled too: a post handed to Buffer is published by Buffer without passing through `publishing`.
    # Reconciling: Buffer turned out to have it.
    "mark_published": frozenset({S.PUBLISHING, S.SCHEDULED, S.RECONCILING}),
    "mark_failed": frozenset({S.PUBLISHING, S.SCHEDULED, S.RECONCILING}),
    "release_for_retry": frozenset({S.PUBLISHING, S.RECONCILING}),
    "defer": frozenset({S.PUBLISHING}),
    "mark_reconciling": frozenset({S.PUBLISHING}),
    "found_at_buffer": frozenset({S.RECONCILING}),
}
# The engine is talking to Buffer about these right now: deleting them (or their account) could leave a
# live post behind, or an update at Buffer we hold no id for.
BUSY = frozenset({S.PUBLISHING, S.RECONCILING})
# Content, media, time, account and campaign may be edited in these states (not a status change).
# Editing an approved post's content or media withdraws the approval (`withdraw_approval`).
EDITABLE = frozenset({S.DRAFT, S.SCHEDULED, S.FAILED, S.CANCELLED, S.PENDING_APPROVAL})


class TransitionFields(TypedDict, total=False):
    """The columns a status change may set besides `status` (and `updated_at`, always)."""

    scheduled_time: datetime
    attempts: int | Combinable  # F("attempts") + 1 when a claim counts an attempt
    last_error: str
    retry_at: datetime | None
    hold_reason: str
    buffer_update_id: str
    handed_to_buffer_at: datetime | None
    published_at: datetime
    service_link: str
    lateness_seconds: float | None
    approval_required: bool
    submitted_at: datetime | None | Combinable
    approved_at: datetime | None
    approved_by: User | None
    approved_by_name: str
    approval_note: str
    rejected_at: datetime | None
    rejected_by_name: str
    rejection_comment: str
    queued: bool


def transition(
    *,
    post_id: int,
    to: str | Combinable,
    allowed_from: Collection[str],
    only_if: dict[str, Any] | None = None,
    where: Q | None = None,
    action: str | None = None,
    **fields: Unpack[TransitionFields],
) -> bool:
    """Set `status=to` (and `fields`) iff the post is in `allowed_from` (and matches `only_if` / `where`).

    A won transition is recorded in the audit log as `action` (by default the name of the
    `ALLOWED_FROM` entry passed as `allowed_from`), with the status and the columns it set, before
    and after. The status is read first and the update made from exactly that status, so the log's
    "before" is the truth: should the post have moved in between, this caller loses as it would a
    moment later. Three queries: that read, the update, the event.

    A post going to a status that holds no time (published, failed, cancelled, draft) leaves its
    account's queue (`queued`), so its slot is free at once (posts.queueing).
    """
    if isinstance(to, str) and to not in HOLDS_SLOT:
        fields.setdefault("queued", False)
    before = _row_before(post_id, fields)
    if before is None or before["status"] not in allowed_from:
        return False
    updated = (
        Post.objects.filter(pk=post_id, status=before["status"], **(only_if or {}))
        .filter(where or Q())
        # `.update()` skips auto_now, so stamp updated_at here.
        .update(status=to, updated_at=timezone.now(), **fields)
    )
    if updated != 1:
        return False
    logged: dict[str, Any] = dict(fields)
    computed = [n for n, value in fields.items() if isinstance(value, Combinable) and n not in _UNLOGGED_COLUMNS]
    if isinstance(to, str) and not computed:
        status = to
    else:  # decided in the UPDATE (e.g. reschedule): the log reads the result
        row = Post.objects.filter(pk=post_id).values("status", *computed).get()
        status = row.pop("status")
        logged.update(row)
    _record(post_id, before, to=status, action=action or _transition_name(allowed_from, status), fields=logged)
    if status == S.FAILED:  # this write, and no other, failed the post: tell the team once
        post_failed_on_commit(post_id=post_id)
    elif status == S.PENDING_APPROVAL and before["status"] != S.PENDING_APPROVAL:
        approval_requested_on_commit(post_ids=[post_id])
    return True


# What a transition's audit event shows besides the status: the columns set, except bookkeeping.
_UNLOGGED_COLUMNS = frozenset({"attempts", "retry_at"})


def _row_before(post_id: int, fields: TransitionFields) -> dict[str, Any] | None:
    logged = [name for name in fields if name not in _UNLOGGED_COLUMNS]
    row: dict[str, Any] | None = (
        Post.objects.filter(pk=post_id).values("status", "workspace_id", "platform", *logged).first()
    )
    return row


def _transition_name(allowed_from: Collection[str], to: str) -> str:
    for name, states in ALLOWED_FROM.items():
        if states is allowed_from:
            return name
    return f"status:{to}"


def _record(post_id: int, before: dict[str, Any], *, to: str, action: str, fields: dict[str, Any]) -> None:
    after: dict[str, Any] = {"status": to, **{k: v for k, v in fields.items() if k not in _UNLOGGED_COLUMNS}}
    audit.record(
        [
            audit.event(
                action=action,
                object_type=POST_TYPE,
                object_id=post_id,
                object_repr=f"Post #{post_id} ({before['platform']}, {to})",
                workspace_id=before["workspace_id"],
                changes=audit.changes_between(before, after),
            )
        ]
    )


def hand_to_buffer(*, post_id: int, buffer_update_id: str, handed_at: datetime) -> bool:
    """Buffer accepted the post (updates/create): it is scheduled there. Only once per post, only if approved."""
    return transition(
        post_id=post_id,
        to=S.SCHEDULED,
        allowed_from=ALLOWED_FROM["hand_to_buffer"],
        only_if={"buffer_update_id": ""},
        where=APPROVED_OR_NOT_REQUIRED,
        buffer_update_id=buffer_update_id,
        handed_to_buffer_at=handed_at,
        queued=False,  # Buffer publishes it at its time now: not ours to move in the queue
    )


def cancel(*, post_id: int) -> bool:
    """Withdrawn by its owner; any Buffer update was destroyed first, so the handover is forgotten."""
    return transition(
        post_id=post_id,
        to=S.CANCELLED,
        allowed_from=ALLOWED_FROM["cancel"],
        buffer_update_id="",
        handed_to_buffer_at=None,
    )


def reschedule(
    *,
    post_id: int,
    scheduled_time: datetime,
    keep_buffer_update: bool = False,
    needs_approval: bool = False,
    queued: bool = False,
) -> bool:
    """Scheduled again at `scheduled_time`; an explicit retry starts a fresh attempt count.

    `keep_buffer_update` when the Buffer update was edited to the new time; otherwise a stale
    handover (a failed or withdrawn Buffer update) is dropped so the post can be handed over anew.
    A post that needs approval (`needs_approval`: the caller does; or the post already did) and has
    none is submitted instead: pending_approval, decided in the same statement. `queued`: the time is a
    queue slot (posts.queueing); any other time takes the post out of its queue.
    """
    fields: TransitionFields = {
        "queued": queued,
        "scheduled_time": scheduled_time,
        "attempts": 0,
        "last_error": "",
        "retry_at": None,
        "hold_reason": "",
    }
    if not keep_buffer_update:
        fields["buffer_update_id"] = ""
        fields["handed_to_buffer_at"] = None
    unapproved = Q(approved_at__isnull=True) if needs_approval else Q(approved_at__isnull=True, approval_required=True)
    to = Case(When(unapproved, then=Value(S.PENDING_APPROVAL)), default=Value(S.SCHEDULED))
    # Submitted by this reschedule: stamp when (a post already pending keeps its time).
    newly_submitted = unapproved & ~Q(status=S.PENDING_APPROVAL)
    fields["submitted_at"] = Case(When(newly_submitted, then=Value(timezone.now())), default=F("submitted_at"))
    if needs_approval:
        fields["approval_required"] = True
    return transition(post_id=post_id, to=to, allowed_from=ALLOWED_FROM["reschedule"], **fields)


def mark_published(
    *,
    post_id: int,
    published_at: datetime,
    service_link: str = "",
    buffer_update_id: str | None = None,
    claim_id: UUID | None = None,
    only_if: dict[str, Any] | None = None,
    handed_to_buffer_at: datetime | None = None,
    lateness_seconds: float | None = None,
) -> bool:
    fields: TransitionFields = {
        "published_at": published_at,
        "service_link": service_link,
        "last_error": "",
        "retry_at": None,
    }
    if buffer_update_id is not None:
        fields["buffer_update_id"] = buffer_update_id
    if handed_to_buffer_at is not None:
        fields["handed_to_buffer_at"] = handed_to_buffer_at
    if lateness_seconds is not None:
        fields["lateness_seconds"] = lateness_seconds
    return transition(
        post_id=post_id,
        to=S.PUBLISHED,
        allowed_from=ALLOWED_FROM["mark_published"],
        only_if={**(only_if or {}), **_claimed(claim_id)},
        **fields,
    )


def mark_failed(
    *, post_id: int, error: str, claim_id: UUID | None = None, lateness_seconds: float | None = None
) -> bool:
    """Permanently failed (or out of retries); the owner may reschedule it."""
    fields: TransitionFields = {"last_error": error, "retry_at": None}
    if lateness_seconds is not None:
        fields["lateness_seconds"] = lateness_seconds
    return transition(
        post_id=post_id, to=S.FAILED, allowed_from=ALLOWED_FROM["mark_failed"], only_if=_claimed(claim_id), **fields
    )


def release_for_retry(
    *, post_id: int, error: str, retry_at: datetime | None = None, claim_id: UUID | None = None
) -> bool:
    """A retryable failure: back to scheduled (time unchanged), not tried again before `retry_at`."""
    return transition(
        post_id=post_id,
        to=S.SCHEDULED,
        allowed_from=ALLOWED_FROM["release_for_retry"],
        only_if=_claimed(claim_id),
        last_error=error,
        retry_at=retry_at,
    )


# -- the publishing engine's claims --------------------------------------------------------------


def _claimed(claim_id: UUID | None) -> dict[str, Any]:
    return {"claim_id": claim_id} if claim_id is not None else {}


def claim(*, post_ids: Collection[int], claim_id: UUID, claimed_at: datetime) -> int:
    """The dispatcher takes due posts (scheduled -> publishing) under one claim; returns how many it won.

    Never a post that needs an approval it does not have (pending_approval is not claimable either).
    The posts won are logged as `claim` events: one read and one insert for the whole claim.
    """
    won = (
        Post.objects.filter(
            pk__in=list(post_ids), status__in=list(ALLOWED_FROM["claim"]), buffer_update_id="", hold_reason=""
        )
        .filter(APPROVED_OR_NOT_REQUIRED)
        .update(status=S.PUBLISHING, claim_id=claim_id, claimed_at=claimed_at, updated_at=timezone.now())
    )
    if won:
        claimed = Post.objects.filter(claim_id=claim_id, status=S.PUBLISHING)
        rows = claimed.values_list("pk", "workspace_id", "platform")
        changes = {"status": [S.SCHEDULED.value, S.PUBLISHING.value]}
        audit.record(
            [
                audit.event(
                    action="claim",
                    object_type=POST_TYPE,
                    object_id=pk,
                    object_repr=f"Post #{pk} ({platform}, {S.PUBLISHING})",
                    workspace_id=workspace_id,
                    changes=changes,
                )
                for pk, workspace_id, platform in rows
            ]
        )
    return won


def renew_claim(*, post_id: int, claim_id: UUID, claimed_at: datetime, stale_before: datetime) -> bool:
    """Restart the age of a claim no worker has started (its task is sent again); False if one started it."""
    started = PublishAttempt.objects.filter(post_id=post_id, claim_id=claim_id)
    return bool(
        Post.objects.filter(pk=post_id, claim_id=claim_id, status=S.PUBLISHING, claimed_at__lt=stale_before)
        .exclude(Exists(started))
        .update(claimed_at=claimed_at, updated_at=timezone.now())
    )


def defer(*, post_id: int, claim_id: UUID, retry_at: datetime | None = None, hold_reason: str = "") -> bool:
    """Give a claimed post back untried (held, or our own Buffer budget says wait): no attempt is spent."""
    return transition(
        post_id=post_id,
        to=S.SCHEDULED,
        allowed_from=ALLOWED_FROM["defer"],
        only_if={"claim_id": claim_id},
        retry_at=retry_at,
        hold_reason=hold_reason,
    )


def mark_reconciling(*, post_id: int, claim_id: UUID, error: str, check_after: datetime) -> bool:
    """Buffer may or may not have the post (lost answer, dead worker): ask Buffer before any resend."""
    return transition(
        post_id=post_id,
        to=S.RECONCILING,
        allowed_from=ALLOWED_FROM["mark_reconciling"],
        only_if={"claim_id": claim_id},
        last_error=error,
        retry_at=check_after,
    )


def found_at_buffer(*, post_id: int, claim_id: UUID, buffer_update_id: str, handed_at: datetime) -> bool:
    """Reconciliation found the post pending at Buffer: it is scheduled there, as after a handover."""
    return transition(
        post_id=post_id,
        to=S.SCHEDULED,
        allowed_from=ALLOWED_FROM["found_at_buffer"],
        only_if={"claim_id": claim_id},
        buffer_update_id=buffer_update_id,
        handed_to_buffer_at=handed_at,
        retry_at=None,
        last_error="",
    )


# -- approvals (posts.approvals) -------------------------------------------------------------------


# What withdrawing an approval clears (a rejection, a new submission, an edit of approved content).
class _NoApproval(TypedDict):
    approved_at: None
    approved_by: None
    approved_by_name: str
    approval_note: str


NO_APPROVAL: _NoApproval = {"approved_at": None, "approved_by": None, "approved_by_name": "", "approval_note": ""}


def submit(*, post_id: int, submitted_at: datetime) -> bool:
    """A draft (a rejected one too) waits for approval; any earlier approval is gone with it."""
    return transition(
        post_id=post_id,
        to=S.PENDING_APPROVAL,
        allowed_from=ALLOWED_FROM["submit"],
        where=Q(scheduled_time__isnull=False),
        approval_required=True,
        submitted_at=submitted_at,
        **NO_APPROVAL,
    )


def approve(
    *, post_id: int, approved_at: datetime, approved_by: User | None, approved_by_name: str = "", note: str = ""
) -> bool:
    """Approved: scheduled at its time, the approval stamped and the last rejection cleared."""
    return transition(
        post_id=post_id,
        to=S.SCHEDULED,
        allowed_from=ALLOWED_FROM["approve"],
        approved_at=approved_at,
        approved_by=approved_by,
        approved_by_name=approved_by_name,
        approval_note=note,
        rejected_at=None,
        rejected_by_name="",
        rejection_comment="",
        attempts=0,
        last_error="",
        retry_at=None,
        hold_reason="",
    )


def reject(*, post_id: int, rejected_at: datetime, rejected_by_name: str, comment: str) -> bool:
    """Rejected: a draft again, with the comment kept (and shown) until it is approved."""
    return transition(
        post_id=post_id,
        to=S.DRAFT,
        allowed_from=ALLOWED_FROM["reject"],
        rejected_at=rejected_at,
        rejected_by_name=rejected_by_name,
        rejection_comment=comment,
        **NO_APPROVAL,
    )


def withdraw_approval(*, post_id: int, status: str, needs_approval: bool = False) -> bool:
    """An approved post's content or media was edited (or edited by a member who needs approval): any
    approval is void, the post needs one, and a scheduled post waits for it again.

    Only for a post still in `status`, not at Buffer (Buffer would send it anyway: `posts.services.post_update`
    refuses that edit first), and approved unless `needs_approval`. Run in the edit's transaction.
    """
    to = S.PENDING_APPROVAL if status == S.SCHEDULED else status
    return transition(
        post_id=post_id,
        to=to,
        allowed_from=[status],
        only_if={"buffer_update_id": ""},
        where=Q() if needs_approval else Q(approved_at__isnull=False),
        approval_required=True,
        **NO_APPROVAL,
        submitted_at=timezone.now() if status == S.SCHEDULED else F("submitted_at"),
    )
