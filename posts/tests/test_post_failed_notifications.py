"""A failed post tells its workspace's managers and owners and its creator: once per failure, after commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import ConnectionStatus, Notification, NotificationKind, Role
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, WorkspaceFactory
from posts import alerts, transitions
from posts.models import PostStatus
from posts.tests.engine_helpers import ENGINE_TEST_SETTINGS, due_posts, publish_due, sandbox_account
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_post():
    workspace = WorkspaceFactory(name="Acme")
    members = {role: MembershipFactory(workspace=workspace, role=role, user__username=role) for role in Role.values}
    creator = members["contributor"].user
    account = SocialAccountFactory(owner=members["owner"].user, workspace=workspace, account_name="@acme")
    post = PostFactory(
        social_account=account, owner=creator, workspace=workspace, status=PostStatus.PUBLISHING, content="Launch day!"
    )
    return post


def _failed_for() -> list[str]:
    rows = Notification.objects.filter(kind=NotificationKind.POST_FAILED).order_by("recipient__username")
    return list(rows.values_list("recipient__username", flat=True))


def test_managers_owners_and_the_creator_hear_of_it_once_committed(team_post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert transitions.mark_failed(post_id=team_post.pk, error="Buffer refused: too long")
        assert not Notification.objects.exists()  # not before the failure is committed
    assert len(callbacks) >= 1
    assert _failed_for() == ["contributor", "manager", "owner"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "contributor@example.com",
        "manager@example.com",
        "owner@example.com",
    ]
    note = Notification.objects.first()
    assert note.text == f"Post #{team_post.pk} “Launch day!” on @acme failed: Buffer refused: too long"
    assert note.url == f"/posts/{team_post.pk}/" and note.workspace == team_post.workspace


def test_a_second_writer_that_loses_the_transition_notifies_nobody(team_post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert transitions.mark_failed(post_id=team_post.pk, error="first")
        assert not transitions.mark_failed(post_id=team_post.pk, error="second")  # already failed
    assert len(_failed_for()) == 3


def test_a_retry_is_not_a_failure(team_post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert transitions.release_for_retry(post_id=team_post.pk, error="503", retry_at=timezone.now())
    assert not Notification.objects.exists()


def test_other_transitions_notify_nobody(team_post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert transitions.mark_published(post_id=team_post.pk, published_at=timezone.now())
    assert not Notification.objects.exists()


@pytest.fixture
def fast(settings):
    for name, value in ENGINE_TEST_SETTINGS.items():
        setattr(settings, name, value)


def test_the_engine_notifies_once_after_its_retries_are_spent(
    owner, sandbox, settings, fast, django_capture_on_commit_callbacks
):
    settings.PUBLISH_RETRY_BUDGET = 3
    account = sandbox_account(owner, sandbox, "notify-token")
    [post] = due_posts([account], 1)
    sandbox.faults(down=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due() == ["retry"]
        for _ in range(2):
            post.__class__.objects.filter(pk=post.pk).update(retry_at=timezone.now())  # the backoff has passed
            publish_due()
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED and post.attempts == 3
    # A personal workspace: its owner is the post's creator, told once.
    [note] = Notification.objects.filter(kind=NotificationKind.POST_FAILED)
    assert note.recipient == owner and "Gave up after 3 attempts" in note.text
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_a_rejected_token_fails_the_post_and_breaks_the_connection_once(
    owner, sandbox, fast, django_capture_on_commit_callbacks
):
    account = sandbox_account(owner, sandbox, "invalid-token")
    due_posts([account], 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert sorted(publish_due()) == ["failed", "failed"]
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.ERROR
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == ["connection_broken", "post_failed", "post_failed"]


# -- approvals (posts.alerts helpers for the approval flow) ------------------------------------------


def _of(kind) -> list[str]:
    rows = Notification.objects.filter(kind=kind).order_by("recipient__username")
    return list(rows.values_list("recipient__username", flat=True))


def test_approval_requested_tells_managers_and_owners_but_not_the_submitter(
    team_post, django_capture_on_commit_callbacks
):
    manager = team_post.workspace.memberships.get(role=Role.MANAGER).user
    type(team_post).objects.filter(pk=team_post.pk).update(status="pending_approval")
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.notify_approval_requested(post_ids=[team_post.pk], actor=team_post.owner) == 2
        assert alerts.notify_approval_requested(post_ids=[team_post.pk], actor=manager) == 1  # a manager submitting
    assert _of(NotificationKind.APPROVAL_REQUESTED) == ["manager", "owner", "owner"]
    note = Notification.objects.filter(recipient=manager).get()
    assert note.text == f"Post #{team_post.pk} “Launch day!” on @acme waits for approval (from contributor)."
    assert note.url == f"/posts/{team_post.pk}/" and len(mail.outbox) == 3


def test_a_decision_tells_the_creator_with_the_comment(team_post, django_capture_on_commit_callbacks):
    manager = team_post.workspace.memberships.get(role=Role.MANAGER).user
    with django_capture_on_commit_callbacks(execute=True):
        alerts.notify_approval_decided(post=team_post, approved=False, actor=manager, comment="Wrong picture")
        alerts.notify_approval_decided(post=team_post, approved=True, actor=manager)
        # The creator deciding on their own post: nobody to tell.
        assert alerts.notify_approval_decided(post=team_post, approved=True, actor=team_post.owner) == 0
    [rejected] = Notification.objects.filter(kind=NotificationKind.REJECTED)
    [approved] = Notification.objects.filter(kind=NotificationKind.APPROVED)
    assert rejected.recipient == approved.recipient == team_post.owner
    assert rejected.text.endswith("was rejected by manager: Wrong picture")
    assert approved.text.endswith("was approved by manager.")
    assert [m.to for m in mail.outbox] == [["contributor@example.com"]] * 2
