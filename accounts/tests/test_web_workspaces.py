"""The workspace pages: switcher, settings, members, invitations (accept and sign up), new workspace."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Invitation, Membership, Role, Workspace
from accounts.scoping import SESSION_KEY
from accounts.tests.factories import MembershipFactory, UserFactory, WorkspaceFactory
from accounts.workspaces import member_add, workspace_personal_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(owner):
    workspace = WorkspaceFactory(name="Team")
    people = {"owner": MembershipFactory(workspace=workspace, user=owner, role=Role.OWNER)}
    for role in (Role.MANAGER, Role.EDITOR, Role.VIEWER):
        people[role] = MembershipFactory(workspace=workspace, user=UserFactory(username=role), role=role)
    return workspace, people


def _browser(user, workspace=None) -> Client:
    browser = Client()
    browser.force_login(user)
    if workspace is not None:
        session = browser.session
        session[SESSION_KEY] = workspace.pk
        session.save()
    return browser


def _invite(team, email="new@example.com", role=Role.EDITOR) -> str:
    """An invitation to the team; returns its link's path."""
    owner = team[1]["owner"]
    added = member_add(membership=owner, user_ref=email, role=role, link_for=lambda token: f"/invitations/{token}/")
    return added.url


# --- switcher -----------------------------------------------------------------------------------------


def test_the_top_bar_lists_the_users_workspaces_and_marks_the_current_one(web, owner, team):
    html = web.get("/workspace/").content.decode()
    assert 'action="/workspaces/switch/"' in html
    assert "owner&#x27;s workspace · Owner" in html and "Team · Owner" in html
    assert re.search(rf'<option value="{workspace_personal_for(owner).pk}" selected>', html)


def test_switching_keeps_the_choice_in_the_session(web, owner, team):
    workspace, _ = team
    response = web.post("/workspaces/switch/", {"workspace": workspace.pk, "next": "/posts/"})
    assert response.status_code == 302 and response["Location"] == "/posts/"
    assert web.session[SESSION_KEY] == workspace.pk
    html = web.get("/workspace/").content.decode()
    assert "<h1>Team" in html
    assert re.search(rf'<option value="{workspace.pk}" selected>', html)


@pytest.mark.parametrize("value", ["", "abc", str(10**30)])
def test_switching_to_nonsense_is_404(web, value):
    assert web.post("/workspaces/switch/", {"workspace": value}).status_code == 404


def test_switching_to_a_workspace_the_user_is_not_in_is_404(web, outsider):
    foreign = workspace_personal_for(outsider)
    assert web.post("/workspaces/switch/", {"workspace": foreign.pk}).status_code == 404
    assert SESSION_KEY not in web.session


def test_switching_needs_csrf(owner, team):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    assert browser.post("/workspaces/switch/", {"workspace": team[0].pk}).status_code == 403


def test_switcher_query_count_does_not_grow_with_workspaces(web, owner, django_assert_num_queries):
    web.get("/workspace/")  # the personal workspace exists
    for _ in range(6):
        MembershipFactory(user=owner, role=Role.VIEWER)
    # session, user, personal workspace, the membership in it, its members, its pending invitations,
    # and the switcher's memberships with their workspaces (one query however many)
    with django_assert_num_queries(7):
        html = web.get("/workspace/").content.decode()
    assert html.count("<option value=") >= 7


def test_the_switcher_adds_one_query_to_a_page(web, owner, team, django_assert_num_queries):
    """It picks the current workspace out of its own list, by the rules of `accounts.scoping`."""
    from web.accounts.workspaces import switcher_context

    request = web.get("/workspace/").wsgi_request
    with django_assert_num_queries(1):
        context = switcher_context(request)
    assert [m.workspace.name for m in context["memberships"]] == ["owner's workspace", "Team"]
    assert context["current"].workspace == workspace_personal_for(owner)


def test_the_switcher_follows_scoping_when_the_chosen_workspace_is_gone(owner, team):
    browser = _browser(owner, team[0])
    assert re.search(rf'<option value="{team[0].pk}" selected>', browser.get("/workspace/").content.decode())
    team[0].delete()
    html = browser.get("/workspace/").content.decode()
    assert re.search(rf'<option value="{workspace_personal_for(owner).pk}" selected>', html)
    assert "<h1>owner&#x27;s workspace" in html


def test_the_switcher_honours_the_workspace_header(owner, team):
    browser = _browser(owner)
    html = browser.get("/workspace/", headers={"X-Workspace": str(team[0].pk)}).content.decode()
    assert re.search(rf'<option value="{team[0].pk}" selected>', html) and "<h1>Team" in html
    assert browser.get("/workspace/", headers={"X-Workspace": str(10**6)}).status_code == 404


# --- workspace page -------------------------------------------------------------------------------------


def test_a_manager_edits_the_settings(team):
    workspace, people = team
    browser = _browser(people[Role.MANAGER].user, workspace)
    page = browser.get("/workspace/").content.decode()
    assert 'action="/workspace/settings/"' in page and 'action="/workspace/members/"' in page
    response = browser.post(
        "/workspace/settings/", {"name": "Renamed", "timezone": "Europe/Paris", "approval_required": "on"}
    )
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert (workspace.name, workspace.timezone, workspace.approval_required) == ("Renamed", "Europe/Paris", True)


def test_settings_errors_are_shown_with_a_400(team):
    workspace, people = team
    browser = _browser(people["owner"].user, workspace)
    response = browser.post("/workspace/settings/", {"name": "", "timezone": "Mars/Base"})
    assert response.status_code == 400
    workspace.refresh_from_db()
    assert workspace.name == "Team"


def test_an_editor_sees_read_only_settings_and_cannot_post_them(team):
    workspace, people = team
    browser = _browser(people[Role.EDITOR].user, workspace)
    page = browser.get("/workspace/").content.decode()
    assert 'action="/workspace/settings/"' not in page and 'action="/workspace/members/"' not in page
    assert "Managers and owners change these." in page
    assert "manager" in page and "viewer" in page  # the members are listed
    response = browser.post("/workspace/settings/", {"name": "Mine", "timezone": "UTC"})
    assert response.status_code == 403
    assert "needs the manager role or higher" in response.content.decode()
    workspace.refresh_from_db()
    assert workspace.name == "Team"


def test_invite_an_existing_user_by_username(team):
    workspace, people = team
    UserFactory(username="alice")
    browser = _browser(people[Role.MANAGER].user, workspace)
    response = browser.post("/workspace/members/", {"user": "alice", "role": "viewer"}, follow=True)
    assert "alice is now a member." in response.content.decode()
    assert Membership.objects.get(workspace=workspace, user__username="alice").role == Role.VIEWER


def test_invite_an_email_shows_the_link_once_and_sends_it(team):
    workspace, people = team
    browser = _browser(people["owner"].user, workspace)
    response = browser.post("/workspace/members/", {"user": "friend@example.com", "role": "editor"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    link = re.search(r"http://testserver/invitations/[\w-]+/", html).group(0)
    assert link in mail.outbox[0].body
    page = browser.get("/workspace/").content.decode()
    assert "friend@example.com" in page and link not in page  # pending, without the link
    assert 'action="/workspace/invitations/' in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"user": "nobody", "role": "viewer"}, "No user has that username or email"),
        ({"user": "editor", "role": "viewer"}, "editor is already a member"),
    ],
)
def test_invite_errors_are_shown(team, body, message):
    browser = _browser(team[1]["owner"].user, team[0])
    response = browser.post("/workspace/members/", body)
    assert response.status_code in (400, 409)
    assert message in response.content.decode()


def test_a_manager_cannot_make_an_owner(team):
    workspace, people = team
    browser = _browser(people[Role.MANAGER].user, workspace)
    response = browser.post(f"/workspace/members/{people[Role.EDITOR].pk}/role/", {"role": "owner"}, follow=True)
    assert "Only an owner may grant the owner role" in response.content.decode()
    people[Role.EDITOR].refresh_from_db()
    assert people[Role.EDITOR].role == Role.EDITOR


def test_change_role_and_remove(team):
    workspace, people = team
    browser = _browser(people["owner"].user, workspace)
    response = browser.post(f"/workspace/members/{people[Role.VIEWER].pk}/role/", {"role": "manager"}, follow=True)
    assert "viewer is now manager." in response.content.decode()
    browser.post(f"/workspace/members/{people[Role.EDITOR].pk}/remove/")
    assert not Membership.objects.filter(pk=people[Role.EDITOR].pk).exists()


def test_the_last_owner_cannot_leave_on_the_page(team):
    workspace, people = team
    browser = _browser(people["owner"].user, workspace)
    response = browser.post(f"/workspace/members/{people['owner'].pk}/remove/", follow=True)
    assert "The last owner of a workspace cannot leave it" in response.content.decode()
    assert Membership.objects.filter(pk=people["owner"].pk).exists()


def test_a_member_leaves_and_is_back_in_their_personal_workspace(team):
    workspace, people = team
    viewer = people[Role.VIEWER].user
    browser = _browser(viewer, workspace)
    response = browser.post(f"/workspace/members/{people[Role.VIEWER].pk}/remove/")
    assert response["Location"] == "/"
    assert SESSION_KEY not in browser.session
    assert "viewer&#x27;s workspace" in browser.get("/workspace/").content.decode()


def test_a_member_of_another_workspace_is_404_on_the_page(web, team):
    elsewhere = MembershipFactory()
    assert web.post(f"/workspace/members/{elsewhere.pk}/role/", {"role": "viewer"}).status_code == 404
    assert web.post(f"/workspace/members/{elsewhere.pk}/remove/").status_code == 404
    assert web.post(f"/workspace/members/{team[1][Role.EDITOR].pk}/remove/").status_code == 404  # not current


def test_revoke_an_invitation(team):
    workspace, people = team
    link = _invite(team)
    invitation = Invitation.objects.get()
    browser = _browser(people[Role.MANAGER].user, workspace)
    assert browser.post(f"/workspace/invitations/{invitation.pk}/revoke/").status_code == 302
    assert not Invitation.objects.exists()
    assert Client().get(link).status_code == 404


def test_an_editor_cannot_revoke(team):
    _invite(team)
    browser = _browser(team[1][Role.EDITOR].user, team[0])
    browser.post(f"/workspace/invitations/{Invitation.objects.get().pk}/revoke/")
    assert Invitation.objects.exists()


def test_new_workspace_form(web, owner):
    assert web.get("/workspaces/new/").status_code == 200
    assert web.post("/workspaces/new/", {"name": "", "timezone": "UTC"}).status_code == 400
    response = web.post("/workspaces/new/", {"name": "Launch", "timezone": "Asia/Tokyo"})
    assert response["Location"] == "/workspace/"
    workspace = Workspace.objects.get(name="Launch")
    assert web.session[SESSION_KEY] == workspace.pk
    assert Membership.objects.get(workspace=workspace).role == Role.OWNER


def test_delete_a_workspace_on_the_page(owner, team):
    browser = _browser(owner, team[0])
    assert browser.post("/workspace/delete/")["Location"] == "/"
    assert not Workspace.objects.filter(pk=team[0].pk).exists()
    response = _browser(owner).post("/workspace/delete/", follow=True)  # the personal one
    assert "A personal workspace cannot be deleted" in response.content.decode()


# --- invitation page -------------------------------------------------------------------------------------


def test_a_signed_in_user_accepts(team, outsider):
    link = _invite(team, email="outsider-other@example.com", role=Role.CONTRIBUTOR)
    browser = _browser(outsider)
    page = browser.get(link)
    assert page.status_code == 200 and "Accept and join" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    response = browser.post(link)
    assert response["Location"] == "/workspace/"
    assert Membership.objects.get(workspace=team[0], user=outsider).role == Role.CONTRIBUTOR
    assert browser.session[SESSION_KEY] == team[0].pk
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None and invitation.accepted_by == outsider
    assert browser.get(link).status_code == 404  # used


def test_a_member_accepting_keeps_their_role(team):
    link = _invite(team)
    _browser(team[1][Role.MANAGER].user).post(link)
    assert Membership.objects.get(pk=team[1][Role.MANAGER].pk).role == Role.MANAGER


def test_someone_without_an_account_signs_up_and_joins(team):
    team[0].timezone = "Europe/Berlin"
    team[0].save(update_fields=["timezone"])
    link = _invite(team, email="New@Example.com", role=Role.VIEWER)
    browser = Client()
    page = browser.get(link).content.decode()
    assert "new@example.com" in page and "Create account and join" in page
    response = browser.post(
        link, {"username": "newbie", "password1": "a-Long-pass-phrase-9", "password2": "a-Long-pass-phrase-9"}
    )
    assert response["Location"] == "/workspace/", response.content.decode()
    user = get_user_model().objects.get(username="newbie")
    assert user.email == "new@example.com" and user.check_password("a-Long-pass-phrase-9")
    assert user.timezone == "Europe/Berlin"  # the workspace's timezone is its new members' default
    assert Membership.objects.get(workspace=team[0], user=user).role == Role.VIEWER
    assert "Team" in browser.get("/workspace/").content.decode()  # signed in, in the team workspace
    assert Client().get(link).status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"username": "editor", "password1": "a-Long-pass-phrase-9", "password2": "a-Long-pass-phrase-9"}, "taken"),
        ({"username": "fresh", "password1": "123", "password2": "123"}, "too short"),
        ({"username": "fresh", "password1": "a-Long-pass-phrase-9", "password2": "other-pass-phrase-9"}, "differ"),
        ({"username": "bad name!", "password1": "a-Long-pass-phrase-9", "password2": "a-Long-pass-phrase-9"}, "valid"),
    ],
)
def test_sign_up_errors_keep_the_invitation(team, body, message):
    link = _invite(team)
    response = Client().post(link, body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Invitation.objects.get().accepted_at is None
    assert not get_user_model().objects.filter(username="fresh").exists()


@pytest.mark.parametrize("case", ["unknown", "expired", "revoked", "used", "huge"])
def test_unusable_links_are_the_same_404(team, outsider, case):
    link = _invite(team)
    invitation = Invitation.objects.get()
    if case == "unknown":
        link = "/invitations/not-a-real-token/"
    elif case == "expired":
        Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif case == "revoked":
        invitation.delete()
    elif case == "used":
        Invitation.objects.update(accepted_at=timezone.now())
    elif case == "huge":
        link = "/invitations/" + "x" * 500 + "/"
    anonymous, signed_in = Client(), _browser(outsider)
    for browser in (anonymous, signed_in):
        assert browser.get(link).status_code == 404
        assert (
            browser.post(
                link, {"username": "z", "password1": "a-Long-pass-9x", "password2": "a-Long-pass-9x"}
            ).status_code
            == 404
        )
    assert not Membership.objects.filter(user=outsider, workspace=team[0]).exists()
