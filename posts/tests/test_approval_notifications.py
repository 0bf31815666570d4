"""Approval events reach the team: a submission tells managers and owners, a decision tells the creator."""

import pytest
from django.core import mail

from accounts.models import Notification, NotificationKind, Role
from posts.approvals import post_approve, post_reject, post_submit
from posts.models import PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(contributor_account, members):
    return PostFactory(social_account=contributor_account, owner=members[Role.CONTRIBUTOR], status=PostStatus.DRAFT)


def _kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_submission_tells_managers_and_owners_but_not_the_submitter(
    draft, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_submit(post=draft, actor=members[Role.CONTRIBUTOR])
    assert _kinds(members[Role.MANAGER]) == [NotificationKind.APPROVAL_REQUESTED]
    assert _kinds(members[Role.OWNER]) == [NotificationKind.APPROVAL_REQUESTED]
    assert _kinds(members[Role.EDITOR]) == [] and _kinds(members[Role.CONTRIBUTOR]) == []
    assert {tuple(m.to) for m in mail.outbox} == {(members[Role.MANAGER].email,), (members[Role.OWNER].email,)}


def test_an_approval_tells_the_creator(draft, members):
    post_submit(post=draft, actor=members[Role.CONTRIBUTOR])
    post_approve(post=draft, approver=members[Role.MANAGER])
    note = Notification.objects.get(recipient=members[Role.CONTRIBUTOR])
    assert note.kind == NotificationKind.APPROVED
    assert f"approved by {members[Role.MANAGER].username}" in note.text


def test_a_clients_rejection_through_a_review_link_tells_the_creator_who_said_it(draft, members):
    post_submit(post=draft, actor=members[Role.CONTRIBUTOR])
    post_reject(post=draft, approver=None, reviewer_name="Jane at Acme", comment="Wrong logo")
    note = Notification.objects.get(recipient=members[Role.CONTRIBUTOR])
    assert note.kind == NotificationKind.REJECTED
    assert "rejected by Jane at Acme (review link): Wrong logo" in note.text


def test_a_clients_decision_is_audited_under_the_name_they_gave(draft, members):
    from accounts.models import AuditEvent
    from posts.models import ReviewLink
    from posts.review_links import review_link_decide

    post_submit(post=draft, actor=members[Role.CONTRIBUTOR])
    day = draft.scheduled_time.date()
    link = ReviewLink.objects.create(
        workspace=draft.workspace,
        start_date=day,
        end_date=day,
        expires_at=draft.scheduled_time,
        token_hash="test-only",
    )
    review_link_decide(
        link=link, post_id=draft.pk, decision="approve", reviewer_name="Jane", comment="", client_ip="203.0.113.5"
    )
    event = AuditEvent.objects.filter(object_id=str(draft.pk), action="approve").get()
    assert event.actor_label == "review link: Jane (client)" and event.actor is None


def test_a_reschedule_that_submits_is_audited_with_the_status_it_reached(contributor_account, members):
    from accounts.models import AuditEvent
    from posts import services

    post = PostFactory(social_account=contributor_account, owner=members[Role.CONTRIBUTOR], status=PostStatus.DRAFT)
    later = post.scheduled_time.replace(microsecond=0)
    services.post_reschedule(post=post, scheduled_time=later, needs_approval=True)
    event = AuditEvent.objects.filter(object_id=str(post.pk), action="reschedule").get()
    assert event.changes["status"] == ["draft", "pending_approval"]
    assert event.changes["submitted_at"][0] is None and event.changes["submitted_at"][1]


def test_a_contributors_bulk_tells_each_manager_once_with_the_count(
    contributor_account, members, django_capture_on_commit_callbacks
):
    from posts import services

    items = [
        {"social_account_id": contributor_account.pk, "content": f"Post {i}", "scheduled_time": draft_time()}
        for i in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.posts_bulk_create(
            workspace=contributor_account.workspace, actor=members[Role.CONTRIBUTOR], items=items, needs_approval=True
        )
    note = Notification.objects.get(recipient=members[Role.MANAGER])
    assert note.kind == NotificationKind.APPROVAL_REQUESTED and note.text.startswith("3 posts wait for approval")
    assert note.url == "/approvals/"


def test_editing_an_approved_post_asks_again(draft, members, django_capture_on_commit_callbacks):
    from posts import services

    post_submit(post=draft, actor=members[Role.CONTRIBUTOR])
    post_approve(post=draft, approver=members[Role.MANAGER])
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(post=draft, content="Changed after approval")
    assert _kinds(members[Role.MANAGER]) == [NotificationKind.APPROVAL_REQUESTED]


def draft_time():
    import datetime as dt

    from django.utils import timezone

    return timezone.now() + dt.timedelta(days=2)
