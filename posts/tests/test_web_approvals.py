"""The Approvals page, the post page's approval buttons and notes, the chips, and the composer as a contributor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.scoping import SESSION_KEY
from accounts.tests.factories import SocialAccountFactory, UserFactory
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

S = PostStatus


def browser(user, team) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = team.pk
    session.save()
    return client


def waiting(contributor_account, **kwargs):
    return PostFactory(
        social_account=contributor_account,
        status=S.PENDING_APPROVAL,
        approval_required=True,
        submitted_at=timezone.now(),
        **kwargs,
    )


def test_a_manager_sees_the_queue_with_approve_and_reject(members, team, contributor_account):
    post = waiting(contributor_account, content="Please approve me")
    PostFactory(social_account=contributor_account, content="Already scheduled")
    html = browser(members[Role.MANAGER], team).get("/approvals/").content.decode()
    assert "Please approve me" in html and "Already scheduled" not in html
    assert f"/posts/{post.pk}/approve/" in html and f"/posts/{post.pk}/reject/" in html
    assert 'aria-current="page">Approvals<' in html


@pytest.mark.parametrize("role", [Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER])
def test_others_see_the_queue_read_only(members, team, contributor_account, role):
    post = waiting(contributor_account, content="Please approve me")
    response = browser(members[role], team).get("/approvals/")
    html = response.content.decode()
    assert response.status_code == 200 and "Please approve me" in html
    assert f"/posts/{post.pk}/approve/" not in html and "Managers and owners approve" in html


def test_another_workspaces_posts_are_not_in_the_queue(team, contributor_account):
    waiting(contributor_account, content="Team secret")
    outsider = UserFactory()
    client = Client()
    client.force_login(outsider)
    html = client.get("/approvals/").content.decode()
    assert "Team secret" not in html and "Nothing waits for approval" in html


def test_approve_inline(members, team, contributor_account):
    post = waiting(contributor_account)
    response = browser(members[Role.MANAGER], team).post(f"/posts/{post.pk}/approve/", {"comment": "Nice"})
    assert response.status_code == 302 and response["Location"] == "/approvals/"
    post.refresh_from_db()
    assert post.status == S.SCHEDULED and post.approved_by == members[Role.MANAGER] and post.approval_note == "Nice"


def test_reject_inline_needs_a_comment_and_shows_it_on_the_post(members, team, contributor_account):
    post = waiting(contributor_account)
    manager = browser(members[Role.MANAGER], team)
    refused = manager.post(f"/posts/{post.pk}/reject/", {"comment": " "}, follow=True)
    assert "rejection needs a comment" in refused.content.decode()
    post.refresh_from_db()
    assert post.status == S.PENDING_APPROVAL
    manager.post(f"/posts/{post.pk}/reject/", {"comment": "Use the spring photo"})
    post.refresh_from_db()
    assert post.status == S.DRAFT
    html = browser(members[Role.CONTRIBUTOR], team).get(f"/posts/{post.pk}/").content.decode()
    assert "Use the spring photo" in html and ">Rejected<" in html
    assert f"/posts/{post.pk}/submit/" in html  # submit it again


@pytest.mark.parametrize("role", [Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER])
def test_below_manager_cannot_decide(members, team, contributor_account, role):
    post = waiting(contributor_account)
    response = browser(members[role], team).post(f"/posts/{post.pk}/approve/", follow=True)
    assert "manager role or higher" in response.content.decode()
    post.refresh_from_db()
    assert post.status == S.PENDING_APPROVAL


def test_a_non_member_gets_a_404(team, contributor_account):
    post = waiting(contributor_account)
    outsider = Client()
    outsider.force_login(UserFactory())
    for action in ("submit", "approve", "reject"):
        assert outsider.post(f"/posts/{post.pk}/{action}/", {"comment": "x"}).status_code == 404
    post.refresh_from_db()
    assert post.status == S.PENDING_APPROVAL


def test_contributor_submits_from_the_post_page(members, team, contributor_account):
    post = PostFactory(social_account=contributor_account, status=S.DRAFT, approval_required=True)
    client = browser(members[Role.CONTRIBUTOR], team)
    html = client.get(f"/posts/{post.pk}/").content.decode()
    assert "Submit for approval" in html and f"/posts/{post.pk}/buffer/" not in html
    client.post(f"/posts/{post.pk}/submit/")
    post.refresh_from_db()
    assert post.status == S.PENDING_APPROVAL


def test_the_post_page_of_a_waiting_post_offers_the_decision_only_to_a_manager_or_owner(
    members, team, contributor_account, web, owner
):
    post = waiting(contributor_account)
    html = browser(members[Role.CONTRIBUTOR], team).get(f"/posts/{post.pk}/").content.decode()
    assert "Waiting for approval" in html and f"/posts/{post.pk}/approve/" not in html
    # The owner of a (personal) workspace decides on its posts from the post page too.
    own = waiting(SocialAccountFactory(owner=owner))
    html = web.get(f"/posts/{own.pk}/").content.decode()
    assert "Waiting for approval" in html and f"/posts/{own.pk}/approve/" in html and f"/posts/{own.pk}/reject/" in html


def test_chips_and_list_say_needs_approval_and_rejected(web, owner):
    own = SocialAccountFactory(owner=owner)
    when = timezone.now() + dt.timedelta(days=1)
    PostFactory(social_account=own, status=S.PENDING_APPROVAL, approval_required=True, scheduled_time=when)
    PostFactory(
        social_account=own, status=S.DRAFT, rejected_at=timezone.now(), rejection_comment="No", scheduled_time=when
    )
    listed = web.get("/posts/").content.decode()
    assert "status-pending_approval" in listed and ">Needs approval<" in listed and ">Rejected<" in listed
    local = timezone.localtime(when, owner.tzinfo).date()
    calendar = web.get(f"/?date={local}").content.decode()
    assert ">Needs approval<" in calendar and ">Rejected<" in calendar


def test_the_composer_says_submit_for_approval_to_a_contributor_and_submits(members, team, contributor_account):
    client = browser(members[Role.CONTRIBUTOR], team)
    html = client.get("/posts/new/").content.decode()
    assert "Submit for approval" in html and 'value="buffer"' not in html and 'value="publish"' not in html
    when = timezone.localtime(timezone.now() + dt.timedelta(days=1), members[Role.CONTRIBUTOR].tzinfo)
    response = client.post(
        "/posts/new/",
        {
            "accounts": [contributor_account.pk],
            "content": "From the composer",
            "scheduled_time": when.strftime("%Y-%m-%dT%H:%M"),
            "action": "schedule",
        },
        follow=True,
    )
    assert "submitted for approval" in response.content.decode()
    post = Post.objects.get(content="From the composer")
    assert post.status == S.PENDING_APPROVAL and post.approval_required


def test_the_composer_keeps_schedule_for_an_editor(members, team):
    html = browser(members[Role.EDITOR], team).get("/posts/new/").content.decode()
    assert "Submit for approval" not in html and ">Schedule<" in html


@pytest.mark.parametrize("count", [2, 30])
def test_the_queue_costs_the_same_queries_whatever_its_length(
    members, team, contributor_account, count, django_assert_num_queries
):
    for _ in range(count):
        waiting(contributor_account)
    client = browser(members[Role.MANAGER], team)
    # session, user, membership (with workspace), the waiting posts (account, campaign, approver, author
    # joined), the workspace switcher, the bell
    with django_assert_num_queries(6):
        response = client.get("/approvals/")
    assert response.content.decode().count("/approve/") == count
