"""Approvals: who needs one, the submit / approve / reject transitions and services, and the engine's claim."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory, WorkspaceFactory
from kernel.errors import Conflict, Forbidden, InvalidInput
from posts import approvals, services, transitions
from posts.engine.dispatch import claim_due_posts
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

S = PostStatus
NOW = timezone.now()


def team_post(account, **kwargs):
    kwargs.setdefault("status", S.DRAFT)
    return PostFactory(social_account=account, approval_required=True, **kwargs)


# -- who needs approval --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "required", "expected"),
    [
        (Role.OWNER, False, False),
        (Role.MANAGER, False, False),
        (Role.EDITOR, False, False),
        (Role.CONTRIBUTOR, False, True),
        (Role.VIEWER, False, True),
        (Role.OWNER, True, True),
        (Role.MANAGER, True, True),
        (Role.EDITOR, True, True),
        (Role.CONTRIBUTOR, True, True),
    ],
)
def test_needs_approval_table(role, required, expected):
    workspace = WorkspaceFactory.build(approval_required=required)
    assert approvals.needs_approval(workspace=workspace, role=role) is expected


# -- transitions ---------------------------------------------------------------------------------

CALLS = {
    "submit": lambda pk: transitions.submit(post_id=pk, submitted_at=NOW),
    "approve": lambda pk: transitions.approve(post_id=pk, approved_at=NOW, approved_by=None, approved_by_name="C"),
    "reject": lambda pk: transitions.reject(post_id=pk, rejected_at=NOW, rejected_by_name="m", comment="No"),
}
TARGET = {"submit": S.PENDING_APPROVAL, "approve": S.SCHEDULED, "reject": S.DRAFT}


@pytest.mark.parametrize("name", list(CALLS))
@pytest.mark.parametrize("start", list(S.values))
def test_each_approval_transition_wins_exactly_from_its_allowed_states(name, start):
    post = PostFactory(status=start, approval_required=True)
    won = CALLS[name](post.pk)
    post.refresh_from_db()
    assert won is (start in transitions.ALLOWED_FROM[name])
    assert post.status == (TARGET[name] if won else start)


def test_submit_needs_a_time():
    post = PostFactory(status=S.DRAFT, scheduled_time=None)
    assert transitions.submit(post_id=post.pk, submitted_at=NOW) is False


def test_only_one_of_two_reviewers_wins():
    post = PostFactory(status=S.PENDING_APPROVAL, approval_required=True)
    assert CALLS["approve"](post.pk) is True
    assert CALLS["reject"](post.pk) is False
    assert CALLS["approve"](post.pk) is False
    post.refresh_from_db()
    assert post.status == S.SCHEDULED and post.approved_by_name == "C"


def test_reschedule_of_a_post_needing_approval_submits_it():
    post = PostFactory(status=S.CANCELLED, approval_required=True)
    assert transitions.reschedule(post_id=post.pk, scheduled_time=NOW + dt.timedelta(days=2))
    post.refresh_from_db()
    assert post.status == S.PENDING_APPROVAL and post.submitted_at is not None


def test_reschedule_by_a_member_needing_approval_submits_even_a_post_that_did_not():
    post = PostFactory(status=S.DRAFT)
    assert transitions.reschedule(post_id=post.pk, scheduled_time=NOW + dt.timedelta(days=2), needs_approval=True)
    post.refresh_from_db()
    assert post.status == S.PENDING_APPROVAL and post.approval_required


def test_reschedule_keeps_an_approval():
    post = PostFactory(status=S.CANCELLED, approval_required=True, approved_at=NOW, approved_by_name="C")
    assert transitions.reschedule(post_id=post.pk, scheduled_time=NOW + dt.timedelta(days=2), needs_approval=True)
    post.refresh_from_db()
    assert post.status == S.SCHEDULED and post.approved_at is not None


def test_an_unapproved_post_is_not_handed_to_buffer():
    post = PostFactory(status=S.DRAFT, approval_required=True)
    assert transitions.hand_to_buffer(post_id=post.pk, buffer_update_id="u1", handed_at=NOW) is False


# -- the engine ----------------------------------------------------------------------------------


def test_the_engine_never_claims_a_post_waiting_for_approval():
    due = NOW - dt.timedelta(minutes=1)
    waiting = PostFactory(status=S.PENDING_APPROVAL, approval_required=True, scheduled_time=due)
    # Scheduled but unapproved (e.g. written by hand in the database): still not claimed.
    unapproved = PostFactory(status=S.SCHEDULED, approval_required=True, scheduled_time=due)
    approved = PostFactory(status=S.SCHEDULED, approval_required=True, approved_at=NOW, scheduled_time=due)
    free = PostFactory(status=S.SCHEDULED, scheduled_time=due)
    claimed = {claim.post_id for claim in claim_due_posts(now=NOW, limit=10)}
    assert claimed == {approved.pk, free.pk}
    assert not transitions.claim(post_ids=[waiting.pk, unapproved.pk], claim_id=uuid.uuid4(), claimed_at=NOW)


def test_editing_an_approved_posts_content_sends_it_back_and_the_engine_skips_it(contributor_account, members):
    post = team_post(contributor_account, status=S.PENDING_APPROVAL)
    approvals.post_approve(post=post, approver=members[Role.MANAGER])
    post = services.post_update(post=Post.objects.with_relations().get(pk=post.pk), content="Changed after approval")
    assert post.status == S.PENDING_APPROVAL and post.approved_at is None and post.approver_name == ""
    Post.objects.filter(pk=post.pk).update(scheduled_time=NOW - dt.timedelta(minutes=1))
    assert claim_due_posts(now=NOW, limit=10) == []


def test_editing_media_withdraws_the_approval_but_the_time_alone_does_not(contributor_account, members):
    post = team_post(contributor_account, status=S.PENDING_APPROVAL)
    approvals.post_approve(post=post, approver=members[Role.MANAGER])
    fetch = lambda: Post.objects.with_relations().get(pk=post.pk)  # noqa: E731
    moved = services.post_update(post=fetch(), scheduled_time=NOW + dt.timedelta(days=3))
    assert moved.status == S.SCHEDULED and moved.approved_at is not None
    edited = services.post_update(post=fetch(), media_urls=["https://cdn.example.com/a.png"])
    assert edited.status == S.PENDING_APPROVAL and edited.approved_at is None


def test_editing_an_approved_post_at_buffer_is_refused(contributor_account):
    post = team_post(contributor_account, status=S.SCHEDULED, approved_at=NOW, buffer_update_id="b1")
    with pytest.raises(Conflict, match="needs a new approval"):
        services.post_update(post=post, content="Changed")
    post.refresh_from_db()
    assert post.content != "Changed" and post.approved_at is not None


def test_editing_a_post_that_needs_no_approval_leaves_it_scheduled():
    post = PostFactory(status=S.SCHEDULED)
    assert services.post_update(post=post, content="Changed").status == S.SCHEDULED


# -- services --------------------------------------------------------------------------------------


def test_submit_approve_round_trip(contributor_account, members):
    post = team_post(contributor_account)
    post = approvals.post_submit(post=post, actor=members[Role.CONTRIBUTOR])
    assert post.status == S.PENDING_APPROVAL and post.submitted_at is not None
    post = approvals.post_approve(post=post, approver=members[Role.MANAGER], comment="  Lovely  ")
    assert post.status == S.SCHEDULED
    assert post.approved_by == members[Role.MANAGER] and post.approval_note == "Lovely"
    assert post.approver_name == members[Role.MANAGER].username


def test_reject_keeps_the_comment_until_approved(contributor_account, members):
    post = team_post(contributor_account, status=S.PENDING_APPROVAL)
    post = approvals.post_reject(post=post, approver=members[Role.OWNER], comment="Wrong hashtag")
    assert post.status == S.DRAFT and post.is_rejected
    assert post.rejection_comment == "Wrong hashtag" and post.rejected_by_name == members[Role.OWNER].username
    post = approvals.post_submit(post=post, actor=members[Role.CONTRIBUTOR])
    assert post.rejection_comment == "Wrong hashtag"  # the reviewer sees what was asked
    post = approvals.post_approve(post=post, approver=members[Role.MANAGER])
    assert post.rejection_comment == "" and post.rejected_at is None


def test_an_external_reviewer_approves_by_name(contributor_account):
    post = team_post(contributor_account, status=S.PENDING_APPROVAL)
    post = approvals.post_approve(post=post, approver=None, reviewer_name=" Client Carla ")
    assert post.status == S.SCHEDULED and post.approved_by is None and post.approver_name == "Client Carla"


def test_an_external_reviewer_must_give_a_name(contributor_account):
    post = team_post(contributor_account, status=S.PENDING_APPROVAL)
    with pytest.raises(InvalidInput) as error:
        approvals.post_reject(post=post, approver=None, reviewer_name="  ", comment="No")
    assert "reviewer_name" in error.value.errors


@pytest.mark.parametrize("comment", ["", "   "])
def test_reject_needs_a_comment(contributor_account, members, comment):
    post = team_post(contributor_account, status=S.PENDING_APPROVAL)
    with pytest.raises(InvalidInput) as error:
        approvals.post_reject(post=post, approver=members[Role.MANAGER], comment=comment)
    assert error.value.status_code == 400 and "comment" in error.value.errors
    post.refresh_from_db()
    assert post.status == S.PENDING_APPROVAL


@pytest.mark.parametrize("role", [Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_managers_and_owners_approve(contributor_account, members, role):
    post = team_post(contributor_account, status=S.PENDING_APPROVAL)
    with pytest.raises(Forbidden, match="manager role or higher"):
        approvals.post_approve(post=post, approver=members[role])


def test_a_non_member_cannot_approve(contributor_account):
    post = team_post(contributor_account, status=S.PENDING_APPROVAL)
    with pytest.raises(Forbidden):
        approvals.post_approve(post=post, approver=UserFactory())


def test_a_lost_race_is_a_conflict(contributor_account, members):
    post = team_post(contributor_account, status=S.PENDING_APPROVAL)
    stale = Post.objects.get(pk=post.pk)
    approvals.post_reject(post=post, approver=members[Role.MANAGER], comment="No")
    with pytest.raises(Conflict, match="now draft") as error:
        approvals.post_approve(post=stale, approver=members[Role.MANAGER])
    assert error.value.status_code == 409


@pytest.mark.parametrize("status", [S.SCHEDULED, S.PUBLISHED, S.CANCELLED, S.FAILED])
def test_only_waiting_posts_are_decided(contributor_account, members, status):
    post = team_post(contributor_account, status=status)
    with pytest.raises(Conflict, match="not waiting for approval"):
        approvals.post_approve(post=post, approver=members[Role.MANAGER])


@pytest.mark.parametrize("status", [S.SCHEDULED, S.PENDING_APPROVAL, S.PUBLISHED])
def test_only_a_draft_is_submitted(contributor_account, members, status):
    post = team_post(contributor_account, status=status)
    with pytest.raises(Conflict, match="only a draft"):
        approvals.post_submit(post=post, actor=members[Role.CONTRIBUTOR])


def test_submit_checks_the_post_can_be_scheduled(contributor_account, members):
    no_time = team_post(contributor_account, scheduled_time=None)
    with pytest.raises(InvalidInput, match="date and time"):
        approvals.post_submit(post=no_time, actor=members[Role.CONTRIBUTOR])
    past = team_post(contributor_account, scheduled_time=NOW - dt.timedelta(hours=1))
    with pytest.raises(InvalidInput, match="future"):
        approvals.post_submit(post=past, actor=members[Role.CONTRIBUTOR])


def test_announce_is_called_once_per_event(contributor_account, members, monkeypatch):
    events = []
    monkeypatch.setattr(approvals, "_announce", lambda **kwargs: events.append((kwargs["event"], kwargs["post"].pk)))
    post = team_post(contributor_account)
    approvals.post_submit(post=post, actor=members[Role.CONTRIBUTOR])
    approvals.post_reject(post=post, approver=members[Role.MANAGER], comment="No")
    approvals.post_submit(post=post, actor=members[Role.CONTRIBUTOR])
    approvals.post_approve(post=post, approver=members[Role.MANAGER])
    assert events == [("submitted", post.pk), ("rejected", post.pk), ("submitted", post.pk), ("approved", post.pk)]


# -- creating and scheduling as a member who needs approval ------------------------------------------


def test_a_scheduled_post_created_by_someone_needing_approval_waits(contributor_account, members):
    post = services.post_create(
        workspace=contributor_account.workspace,
        actor=members[Role.CONTRIBUTOR],
        social_account_id=contributor_account.pk,
        content="Hello",
        scheduled_time=NOW + dt.timedelta(days=1),
        needs_approval=True,
    )
    assert (
        post.status == S.PENDING_APPROVAL
        and post.approval_required
        and post.workspace_id == contributor_account.workspace_id
    )
    draft = services.post_create(
        workspace=contributor_account.workspace,
        actor=members[Role.CONTRIBUTOR],
        social_account_id=contributor_account.pk,
        content="Later",
        needs_approval=True,
    )
    assert draft.status == S.DRAFT and draft.approval_required


def test_scheduling_via_buffer_needs_an_approval(contributor_account):
    post = team_post(contributor_account, status=S.DRAFT)
    with pytest.raises(Conflict, match="needs approval"):
        services.post_schedule_via_buffer(post=post)
    free = PostFactory(status=S.DRAFT)
    with pytest.raises(Conflict, match="needs approval"):
        services.post_schedule_via_buffer(post=free, needs_approval=True)


def test_rescheduling_as_someone_needing_approval_submits(contributor_account):
    post = PostFactory(social_account=contributor_account, status=S.DRAFT)
    post = services.post_reschedule(post=post, scheduled_time=NOW + dt.timedelta(days=2), needs_approval=True)
    assert post.status == S.PENDING_APPROVAL


def test_waiting_posts_count_toward_the_days_capacity(contributor_account, members, monkeypatch):
    from posts import capacity

    monkeypatch.setattr(capacity, "day_capacity", lambda workspace: 1)
    when = NOW + dt.timedelta(days=1)
    team_post(contributor_account, status=S.PENDING_APPROVAL, scheduled_time=when)
    with pytest.raises(InvalidInput, match="more than the 1 a day"):
        services.post_create(
            workspace=contributor_account.workspace,
            actor=members[Role.CONTRIBUTOR],
            social_account_id=contributor_account.pk,
            content="One too many",
            scheduled_time=when,
            needs_approval=True,
        )
