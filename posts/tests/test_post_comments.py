"""Internal comments: `GET/POST /api/v1/posts/{id}/comments`, mentions that notify, and the post page."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import Notification, NotificationKind, Role
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, UserFactory, WorkspaceFactory
from accounts.workspaces import workspace_personal_for
from conftest import client_for
from posts.comments import BODY_MAX, mentioned_names, post_comment_create
from posts.models import PostComment, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    workspace = WorkspaceFactory(name="Acme")
    members = {role: MembershipFactory(workspace=workspace, role=role, user__username=role) for role in Role.values}
    return workspace, {role: membership.user for role, membership in members.items()}


@pytest.fixture
def post(team):
    workspace, users = team
    account = SocialAccountFactory(owner=users["owner"], workspace=workspace)
    return PostFactory(social_account=account, workspace=workspace, status=PostStatus.DRAFT)


def url(post) -> str:
    return f"/api/v1/posts/{post.pk}/comments"


def as_member(user, workspace):
    client = client_for(user)
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_X_WORKSPACE=str(workspace.pk))
    return client


def _mentioned() -> list[str]:
    rows = Notification.objects.filter(kind=NotificationKind.MENTION).order_by("recipient__username")
    return list(rows.values_list("recipient__username", flat=True))


def test_mentioned_names():
    body = "@Editor and @viewer. Ask me@example.com, not @ alone; @editor again, @a.b-c+d_e!"
    assert mentioned_names(body) == ["editor", "viewer", "a.b-c+d_e"]


def test_a_contributor_comments_and_every_member_reads(team, post, django_capture_on_commit_callbacks):
    workspace, users = team
    with django_capture_on_commit_callbacks(execute=True):
        response = as_member(users["contributor"], workspace).post(url(post), {"body": "  Needs a picture  "})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"id", "post_id", "author", "body", "created_at", "mentions"}
    assert (body["author"], body["body"], body["mentions"], body["post_id"]) == (
        "contributor",
        "Needs a picture",
        [],
        post.pk,
    )
    listed = as_member(users["viewer"], workspace).get(url(post))
    assert listed.status_code == 200 and [c["body"] for c in listed.json()] == ["Needs a picture"]
    assert listed["X-Total-Count"] == "1"
    assert not Notification.objects.exists()


def test_a_viewer_may_not_comment(team, post):
    workspace, users = team
    response = as_member(users["viewer"], workspace).post(url(post), {"body": "Hi"})
    assert response.status_code == 403 and "contributor" in response.json()["detail"]
    assert not PostComment.objects.exists()


def test_a_post_of_another_workspace_is_a_404(team, post):
    workspace, users = team
    outsider = UserFactory(username="outsider")
    client = client_for(outsider)  # acts in their personal workspace
    assert client.get(url(post)).status_code == 404
    assert client.post(url(post), {"body": "Hi"}).status_code == 404
    # Naming the workspace they are not a member of: 404 too.
    assert as_member(outsider, workspace).get(url(post)).status_code == 404
    # A member of the team acting in their personal workspace does not see the team's post.
    assert client_for(users["editor"]).get(url(post)).status_code == 404
    assert as_member(users["editor"], workspace).get("/api/v1/posts/999999/comments").status_code == 404
    assert not PostComment.objects.exists()


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({}, "required"),
        ({"body": ""}, "blank"),
        ({"body": "   "}, "blank"),
        ({"body": "x" * (BODY_MAX + 1)}, f"no more than {BODY_MAX}"),
        ({"body": 7}, "string"),
        ({"body": None}, "null"),
    ],
)
def test_bad_bodies_are_400s_with_the_field(team, post, body, problem):
    workspace, users = team
    response = as_member(users["editor"], workspace).post(url(post), body, format="json")
    assert response.status_code == 400
    assert problem in " ".join(response.json()["errors"]["body"])
    assert not PostComment.objects.exists()


def test_mentions_notify_members_but_not_strangers_nor_the_author(team, post, django_capture_on_commit_callbacks):
    workspace, users = team
    UserFactory(username="stranger")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_member(users["editor"], workspace).post(
            url(post), {"body": "@Manager @viewer please check. @stranger @editor @nobody"}
        )
    assert response.status_code == 201
    assert sorted(response.json()["mentions"]) == ["editor", "manager", "viewer"]  # members only, self included
    assert _mentioned() == ["manager", "viewer"]
    assert sorted(m.to[0] for m in mail.outbox) == ["manager@example.com", "viewer@example.com"]
    comment = PostComment.objects.get()
    note = Notification.objects.filter(recipient=users["manager"]).get()
    assert note.workspace == workspace and note.url == f"/posts/{post.pk}/#comment-{comment.pk}"
    assert note.text.startswith(f"editor mentioned you on post #{post.pk}: “@Manager @viewer please check.")


def test_mentioning_only_yourself_notifies_nobody(team, post, django_capture_on_commit_callbacks):
    _workspace, users = team
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment_create(post=post, author=users["owner"], body="Note to self @owner")
    assert [u.username for u in comment.mentions.all()] == ["owner"]
    assert not Notification.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("count", [2, 25])
def test_list_query_count_is_constant(team, post, count, django_assert_num_queries):
    workspace, users = team
    for index in range(count):
        post_comment_create(post=post, author=users["editor"], body=f"Comment {index} @manager @viewer")
    client = as_member(users["viewer"], workspace)
    # user (JWT), workspace membership, post, count, page of comments with authors, their mentions
    with django_assert_num_queries(6):
        assert len(client.get(url(post), {"limit": 100}).json()) == count


# -- the post page ---------------------------------------------------------------------------------------


@pytest.fixture
def personal_post(owner):
    account = SocialAccountFactory(owner=owner)
    return PostFactory(social_account=account, status=PostStatus.DRAFT)


def test_the_post_page_shows_comments_escaped_with_mentions_highlighted(web, owner, personal_post):
    buddy = UserFactory(username="buddy")
    MembershipFactory(workspace=workspace_personal_for(owner), user=buddy, role=Role.EDITOR)
    post_comment_create(
        post=personal_post, author=owner, body="<script>alert(1)</script> @buddy & @ghost, see\nthe link"
    )
    html = web.get(f"/posts/{personal_post.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<span class="mention">@buddy</span> &amp; @ghost, see<br>the link' in html
    assert 'id="comments"' in html and "Add comment" in html


def test_adding_a_comment_from_the_post_page(web, owner, personal_post, django_capture_on_commit_callbacks):
    buddy = UserFactory(username="buddy")
    MembershipFactory(workspace=workspace_personal_for(owner), user=buddy, role=Role.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(f"/posts/{personal_post.pk}/comments/", {"body": "Ready, @buddy?"})
    comment = PostComment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/posts/{personal_post.pk}/#comment-{comment.pk}"
    assert _mentioned() == ["buddy"]
    page = web.get(f"/posts/{personal_post.pk}/").content.decode()
    assert "Comment added." in page and '<span class="mention">@buddy</span>' in page


def test_an_empty_comment_from_the_page_is_refused_with_a_message(web, personal_post):
    response = web.post(f"/posts/{personal_post.pk}/comments/", {"body": "  "}, follow=True)
    assert response.status_code == 200 and "Comment not added" in response.content.decode()
    assert not PostComment.objects.exists()


def test_a_viewer_may_not_comment_from_the_page(client, team, post):
    workspace, users = team
    client.force_login(users["viewer"])
    session = client.session
    session["workspace_id"] = workspace.pk
    session.save()
    assert client.post(f"/posts/{post.pk}/comments/", {"body": "Hi"}).status_code == 403
    assert not PostComment.objects.exists()


def test_another_workspaces_post_from_the_page_is_a_404(client, personal_post):
    client.force_login(UserFactory(username="nosy"))
    assert client.post(f"/posts/{personal_post.pk}/comments/", {"body": "Hi"}).status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_the_post_pages_queries_do_not_grow_with_comments(web, owner, personal_post, count, django_assert_num_queries):
    buddy = UserFactory(username="buddy")
    MembershipFactory(workspace=workspace_personal_for(owner), user=buddy, role=Role.EDITOR)
    for index in range(count):
        post_comment_create(post=personal_post, author=buddy if index % 2 else owner, body=f"{index} @buddy")
    web.get(f"/posts/{personal_post.pk}/")  # warm: first-time lookups the page makes once per session
    # session, user, post, delivery, snapshots, attempts, Buffer config for analytics (x2),
    # comments with authors, their mentions, the caller's membership (once per request), the workspace
    # switcher, unread notifications (bell), the library items its preview shows
    with django_assert_num_queries(14):
        html = web.get(f"/posts/{personal_post.pk}/").content.decode()
    assert html.count('class="mention"') == count
