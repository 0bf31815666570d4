"""Admin for workspaces (members inline) and invitations: the token hash is never shown."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Invitation, Role, Workspace
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, UserFactory, WorkspaceFactory
from accounts.workspaces import member_add, workspace_personal_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_browser():
    browser = Client()
    browser.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
    return browser


def test_workspace_change_page_lists_members(staff_browser):
    member = MembershipFactory(role=Role.MANAGER, user=UserFactory(username="carol"))
    response = staff_browser.get(f"/admin/accounts/workspace/{member.workspace_id}/change/")
    assert response.status_code == 200
    assert "carol" in response.content.decode() or str(member.user_id) in response.content.decode()
    assert staff_browser.get("/admin/accounts/workspace/").status_code == 200


def test_invitation_admin_never_shows_the_token_or_its_hash(staff_browser):
    owner = MembershipFactory(role=Role.OWNER)
    added = member_add(membership=owner, user_ref="guest@example.com", role=Role.VIEWER, link_for=lambda t: t)
    invitation = Invitation.objects.get()
    for page in ("/admin/accounts/invitation/", f"/admin/accounts/invitation/{invitation.pk}/change/"):
        response = staff_browser.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "guest@example.com" in html
        assert added.url not in html and invitation.token_hash not in html, page
    assert staff_browser.get("/admin/accounts/invitation/add/").status_code == 403


def test_admin_deletes_a_team_workspace_but_not_a_personal_one_or_one_with_accounts(staff_browser):
    team = WorkspaceFactory()
    assert staff_browser.post(f"/admin/accounts/workspace/{team.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Workspace.objects.filter(pk=team.pk).exists()
    personal = workspace_personal_for(UserFactory())
    assert staff_browser.post(f"/admin/accounts/workspace/{personal.pk}/delete/", {"post": "yes"}).status_code == 403
    busy = WorkspaceFactory()
    SocialAccountFactory(workspace=busy)
    assert staff_browser.post(f"/admin/accounts/workspace/{busy.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Workspace.objects.filter(pk__in=[personal.pk, busy.pk]).count() == 2
