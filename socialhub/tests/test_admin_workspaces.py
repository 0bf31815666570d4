"""Admin and workspaces: admin is for staff (Django's own permissions), not for workspace roles.

A workspace owner who is not staff cannot get in; a staff operator sees and acts on every workspace's
objects (the actions call the same services as the API), and the one admin form that links two
objects (a post type and its network target) refuses a target of another workspace.
"""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, UserFactory, WorkspaceFactory
from accounts.workspaces import workspace_personal_for
from posts.models import PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_workspace_owner_who_is_not_staff_is_sent_to_the_admin_login(owner):
    MembershipFactory(user=owner, role=Role.OWNER)
    for path in ("/admin/", "/admin/posts/post/"):
        response = _browser(owner).get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    post = PostFactory(social_account=SocialAccountFactory(owner=owner), status=PostStatus.DRAFT)
    response = _browser(owner).post("/admin/posts/post/", {"action": "cancel_posts", "_selected_action": [post.pk]})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT


def test_staff_act_on_the_posts_of_every_workspace(owner, outsider):
    staff = _browser(UserFactory(username="operator", is_staff=True, is_superuser=True))
    team = WorkspaceFactory(name="Team")
    mine = PostFactory(social_account=SocialAccountFactory(owner=owner), status=PostStatus.SCHEDULED)
    theirs = PostFactory(
        social_account=SocialAccountFactory(owner=outsider, workspace=team), status=PostStatus.SCHEDULED
    )
    page = staff.get("/admin/posts/post/").content.decode()
    assert "Team" in page and workspace_personal_for(owner).name.replace("'", "&#x27;") in page
    response = staff.post(
        "/admin/posts/post/", {"action": "cancel_posts", "_selected_action": [mine.pk, theirs.pk]}, follow=True
    )
    assert response.status_code == 200
    for post in (mine, theirs):
        post.refresh_from_db()
        assert post.status == PostStatus.CANCELLED


def test_a_post_type_cannot_target_another_workspaces_account(owner, outsider):
    from publisher.admin import PostTypeAdminForm

    theirs = SocialAccountFactory(owner=outsider)
    data = {
        "workspace": workspace_personal_for(owner).pk,
        "owner": owner.pk,
        "network_target": theirs.pk,
        "kind": "STATUS",
        "name": "Stolen",
        "description": "",
        "network_options": "{}",
    }
    form = PostTypeAdminForm(data=data)
    assert not form.is_valid()
    assert form.errors["network_target"] == ["This account belongs to another workspace."]
