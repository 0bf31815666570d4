"""Workspaces, members and invitations through the API: every rule, with owner, teammates and an outsider."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, Membership, Role, Workspace
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, UserFactory, WorkspaceFactory
from accounts.workspaces import workspace_personal_for
from conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(owner):
    """A team workspace: `owner` owns it, with a manager, an editor and a viewer."""
    workspace = WorkspaceFactory(name="Team")
    people = {"owner": MembershipFactory(workspace=workspace, user=owner, role=Role.OWNER)}
    for role in (Role.MANAGER, Role.EDITOR, Role.VIEWER):
        people[role] = MembershipFactory(workspace=workspace, user=UserFactory(username=role), role=role)
    return workspace, people


def _api(team, who):
    return client_for(team[1][who].user)


def _members_url(workspace, member=None):
    base = f"/api/v1/workspaces/{workspace.pk}/members"
    return f"{base}/{member.pk}" if member else base


# --- workspaces ------------------------------------------------------------------------------------


def test_list_shows_each_workspace_with_the_callers_role(api, owner, team):
    response = api.get("/api/v1/workspaces")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    assert rows["Team"]["role"] == "owner" and rows["Team"]["personal"] is False
    assert rows["owner's workspace"]["personal"] is True
    assert response["X-Total-Count"] == "2"


def test_list_paginates_and_hides_other_workspaces(api, outsider, team):
    workspace_personal_for(outsider)
    pages = [api.get(f"/api/v1/workspaces?limit=1&skip={skip}") for skip in (0, 1, 2)]
    assert [[row["name"] for row in page.json()] for page in pages] == [["Team"], ["owner's workspace"], []]
    assert 'rel="next"' in pages[0]["Link"]
    assert all("outsider" not in page.content.decode() for page in pages)


def test_list_query_count_does_not_grow_with_workspaces(api, owner, django_assert_num_queries):
    for _ in range(5):
        MembershipFactory(user=owner, role=Role.VIEWER)
    workspace_personal_for(owner)
    # user (JWT), personal workspace, count, page
    with django_assert_num_queries(4):
        response = api.get("/api/v1/workspaces")
    assert len(response.json()) == 6


def test_create_makes_the_caller_owner_with_their_timezone(owner):
    owner.timezone = "Europe/Berlin"
    owner.save()
    response = client_for(owner).post("/api/v1/workspaces", {"name": "Launch"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"] == "owner" and body["timezone"] == "Europe/Berlin" and body["approval_required"] is False
    assert Membership.objects.get(workspace_id=body["id"]).user == owner


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "name"), ({"name": "  "}, "name"), ({"name": "X", "timezone": "Mars/Olympus"}, "timezone")],
)
def test_create_refuses_bad_input_per_field(api, body, field):
    response = api.post("/api/v1/workspaces", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_retrieve_and_update_settings(api, team):
    workspace, _ = team
    response = api.put(
        f"/api/v1/workspaces/{workspace.pk}", {"timezone": "Asia/Tokyo", "approval_required": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "Team" and response.json()["timezone"] == "Asia/Tokyo"
    workspace.refresh_from_db()
    assert workspace.approval_required is True
    assert api.get(f"/api/v1/workspaces/{workspace.pk}").json()["timezone"] == "Asia/Tokyo"


def test_update_refuses_an_unknown_timezone(api, team):
    response = api.put(f"/api/v1/workspaces/{team[0].pk}", {"timezone": "Nowhere/Land"}, format="json")
    assert response.status_code == 400
    assert "timezone" in response.json()["errors"]


@pytest.mark.parametrize("who", [Role.EDITOR, Role.VIEWER])
def test_update_needs_manager_and_names_the_role(team, who):
    response = _api(team, who).put(f"/api/v1/workspaces/{team[0].pk}", {"name": "Mine"}, format="json")
    assert response.status_code == 403
    assert "manager role or higher" in response.json()["detail"]
    assert f"you are an {who}" in response.json()["detail"] or f"you are a {who}" in response.json()["detail"]


def test_manager_may_update_but_not_delete(team):
    client = _api(team, Role.MANAGER)
    assert client.put(f"/api/v1/workspaces/{team[0].pk}", {"name": "Renamed"}, format="json").status_code == 200
    response = client.delete(f"/api/v1/workspaces/{team[0].pk}")
    assert response.status_code == 403
    assert "owner role in this workspace" in response.json()["detail"]


def test_owner_deletes_a_team_workspace(api, team):
    assert api.delete(f"/api/v1/workspaces/{team[0].pk}").status_code == 204
    assert not Workspace.objects.filter(pk=team[0].pk).exists()


def test_a_workspace_with_social_accounts_is_not_deleted(api, owner, team):
    SocialAccountFactory(owner=owner, workspace=team[0])
    response = api.delete(f"/api/v1/workspaces/{team[0].pk}")
    assert response.status_code == 409
    assert "1 social account" in response.json()["detail"]


def test_personal_workspace_cannot_be_deleted(api, owner):
    personal = workspace_personal_for(owner)
    response = api.delete(f"/api/v1/workspaces/{personal.pk}")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("A personal workspace cannot be deleted")
    assert Workspace.objects.filter(pk=personal.pk).exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_workspace_is_404(outsider_api, team, method):
    response = getattr(outsider_api, method)(f"/api/v1/workspaces/{team[0].pk}", {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_huge_ids_are_404(api):
    assert api.get(f"/api/v1/workspaces/{10**30}").status_code == 404
    assert api.get(f"/api/v1/workspaces/{10**30}/members").status_code == 404


# --- members -----------------------------------------------------------------------------------------


def test_members_list_with_roles_and_pinned_queries(team, django_assert_num_queries):
    workspace, _people = team
    for _ in range(4):
        MembershipFactory(workspace=workspace)
    client = _api(team, Role.VIEWER)
    # user (JWT), the caller's membership, count, page (users joined)
    with django_assert_num_queries(4):
        response = client.get(_members_url(workspace))
    assert response.status_code == 200
    rows = {row["username"]: row["role"] for row in response.json()}
    assert rows["owner"] == "owner" and rows["viewer"] == "viewer"
    assert len(rows) == 8


def test_outsider_sees_no_members(outsider_api, team):
    assert outsider_api.get(_members_url(team[0])).status_code == 404
    body = {"user": "outsider", "role": "viewer"}
    assert outsider_api.post(_members_url(team[0]), body, format="json").status_code == 404


def test_manager_adds_an_existing_user_by_username_or_email(team):
    workspace, _ = team
    client = _api(team, Role.MANAGER)
    alice = UserFactory(username="alice", email="Alice@Example.com")
    response = client.post(_members_url(workspace), {"user": "alice", "role": "editor"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["invitation"] is None
    assert response.json()["member"]["username"] == "alice" and response.json()["member"]["role"] == "editor"
    bob = UserFactory(username="bob", email="bob@example.com")
    response = client.post(_members_url(workspace), {"user": "BOB@example.com", "role": "viewer"}, format="json")
    assert response.status_code == 201
    assert Membership.objects.get(workspace=workspace, user=bob).role == Role.VIEWER
    assert Membership.objects.filter(workspace=workspace, user=alice).exists()
    assert mail.outbox == []


def test_adding_a_member_again_is_409(api, team):
    response = api.post(_members_url(team[0]), {"user": "editor", "role": "viewer"}, format="json")
    assert response.status_code == 409
    assert "already a member" in response.json()["detail"]


def test_unknown_username_is_400_on_the_user_field(api, team):
    response = api.post(_members_url(team[0]), {"user": "nobody", "role": "viewer"}, format="json")
    assert response.status_code == 400
    assert "user" in response.json()["errors"]


def test_bad_role_is_400(api, team):
    response = api.post(_members_url(team[0]), {"user": "nobody", "role": "king"}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()["errors"]


@pytest.mark.parametrize("who", [Role.EDITOR, Role.VIEWER])
def test_only_managers_invite(team, who):
    response = _api(team, who).post(_members_url(team[0]), {"user": "x@example.com", "role": "viewer"}, format="json")
    assert response.status_code == 403
    assert "manager role or higher" in response.json()["detail"]
    assert not Invitation.objects.exists()


def test_an_email_without_account_gets_an_invitation_link_and_an_email(team):
    workspace, _people = team
    response = _api(team, Role.MANAGER).post(
        _members_url(workspace), {"user": "New@Example.com", "role": "contributor"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["member"] is None
    invitation = body["invitation"]
    assert invitation["email"] == "new@example.com" and invitation["role"] == "contributor"
    assert invitation["invited_by"] == "manager"
    assert invitation["url"].startswith("http://testserver/invitations/")
    assert response["Cache-Control"] == "no-store"
    token = invitation["url"].rstrip("/").rsplit("/", 1)[1]
    stored = Invitation.objects.get()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.expires_at - timezone.now() > dt.timedelta(days=13)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"] and invitation["url"] in mail.outbox[0].body
    assert "Team" in mail.outbox[0].subject


def test_inviting_again_renews_the_link(api, team):
    first = api.post(_members_url(team[0]), {"user": "n@example.com", "role": "viewer"}, format="json").json()
    second = api.post(_members_url(team[0]), {"user": "n@example.com", "role": "editor"}, format="json").json()
    assert first["invitation"]["id"] == second["invitation"]["id"]
    assert first["invitation"]["url"] != second["invitation"]["url"]
    assert Invitation.objects.get().role == Role.EDITOR


def test_only_an_owner_grants_the_owner_role(team):
    workspace, people = team
    manager = _api(team, Role.MANAGER)
    response = manager.post(_members_url(workspace), {"user": "x@example.com", "role": "owner"}, format="json")
    assert response.status_code == 403
    assert "Only an owner" in response.json()["detail"] and "you are a manager" in response.json()["detail"]
    response = manager.put(_members_url(workspace, people[Role.EDITOR]), {"role": "owner"}, format="json")
    assert response.status_code == 403
    owner = _api(team, "owner")
    response = owner.put(_members_url(workspace, people[Role.EDITOR]), {"role": "owner"}, format="json")
    assert response.status_code == 200 and response.json()["role"] == "owner"


def test_manager_changes_roles_but_not_an_owners(team):
    workspace, people = team
    manager = _api(team, Role.MANAGER)
    response = manager.put(_members_url(workspace, people[Role.VIEWER]), {"role": "editor"}, format="json")
    assert response.status_code == 200 and response.json()["role"] == "editor"
    response = manager.put(_members_url(workspace, people["owner"]), {"role": "viewer"}, format="json")
    assert response.status_code == 403
    assert manager.delete(_members_url(workspace, people["owner"])).status_code == 403
    assert manager.delete(_members_url(workspace, people[Role.VIEWER])).status_code == 204
    assert not Membership.objects.filter(pk=people[Role.VIEWER].pk).exists()


def test_editor_cannot_change_or_remove_others(team):
    workspace, people = team
    editor = _api(team, Role.EDITOR)
    response = editor.put(_members_url(workspace, people[Role.VIEWER]), {"role": "manager"}, format="json")
    assert response.status_code == 403 and "manager role or higher" in response.json()["detail"]
    assert editor.delete(_members_url(workspace, people[Role.VIEWER])).status_code == 403


def test_a_member_may_leave(team):
    workspace, people = team
    assert _api(team, Role.VIEWER).delete(_members_url(workspace, people[Role.VIEWER])).status_code == 204
    assert not Membership.objects.filter(pk=people[Role.VIEWER].pk).exists()


def test_the_last_owner_cannot_leave_or_be_demoted(api, team):
    workspace, people = team
    response = api.delete(_members_url(workspace, people["owner"]))
    assert response.status_code == 409
    assert "last owner" in response.json()["detail"]
    response = api.put(_members_url(workspace, people["owner"]), {"role": "manager"}, format="json")
    assert response.status_code == 409
    assert "last owner" in response.json()["detail"]
    assert Membership.objects.get(pk=people["owner"].pk).role == Role.OWNER


def test_with_two_owners_one_may_step_down(api, team):
    workspace, people = team
    api.put(_members_url(workspace, people[Role.MANAGER]), {"role": "owner"}, format="json")
    response = api.put(_members_url(workspace, people["owner"]), {"role": "manager"}, format="json")
    assert response.status_code == 200
    # now the former manager is the last owner
    response = _api(team, Role.MANAGER).delete(_members_url(workspace, people[Role.MANAGER]))
    assert response.status_code == 409


def test_nobody_leaves_their_personal_workspace(owner, api):
    personal = workspace_personal_for(owner)
    mine = Membership.objects.get(workspace=personal, user=owner)
    MembershipFactory(workspace=personal, role=Role.OWNER)  # even with another owner
    response = api.delete(_members_url(personal, mine))
    assert response.status_code == 409
    assert "personal workspace" in response.json()["detail"]


def test_a_member_of_another_workspace_is_404(api, team):
    elsewhere = MembershipFactory()
    assert api.put(_members_url(team[0], elsewhere), {"role": "viewer"}, format="json").status_code == 404
    assert api.delete(_members_url(team[0], elsewhere)).status_code == 404


# --- invitations -------------------------------------------------------------------------------------


def _invite(client, workspace, email="n@example.com", role="editor"):
    response = client.post(_members_url(workspace), {"user": email, "role": role}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["invitation"]


def test_pending_invitations_are_listed_and_revoked(api, team):
    workspace, _ = team
    invitation = _invite(api, workspace)
    response = api.get(f"/api/v1/workspaces/{workspace.pk}/invitations")
    assert response.status_code == 200
    assert [row["email"] for row in response.json()] == ["n@example.com"]
    assert "url" not in response.json()[0]
    assert api.delete(f"/api/v1/workspaces/{workspace.pk}/invitations/{invitation['id']}").status_code == 204
    assert api.get(f"/api/v1/workspaces/{workspace.pk}/invitations").json() == []
    assert api.delete(f"/api/v1/workspaces/{workspace.pk}/invitations/{invitation['id']}").status_code == 404


def test_expired_invitations_are_not_pending(api, team):
    _invite(api, team[0])
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get(f"/api/v1/workspaces/{team[0].pk}/invitations").json() == []


def test_invitations_need_a_manager_and_are_404_elsewhere(team, outsider_api):
    workspace, _ = team
    invitation = _invite(_api(team, "owner"), workspace)
    response = _api(team, Role.EDITOR).get(f"/api/v1/workspaces/{workspace.pk}/invitations")
    assert response.status_code == 403
    url = f"/api/v1/workspaces/{workspace.pk}/invitations/{invitation['id']}"
    assert _api(team, Role.EDITOR).delete(url).status_code == 403
    assert outsider_api.get(f"/api/v1/workspaces/{workspace.pk}/invitations").status_code == 404
    assert outsider_api.delete(url).status_code == 404
    other = WorkspaceFactory()
    MembershipFactory(workspace=other, user=team[1]["owner"].user, role=Role.OWNER)
    assert (
        _api(team, "owner").delete(f"/api/v1/workspaces/{other.pk}/invitations/{invitation['id']}").status_code == 404
    )


def test_an_email_that_cannot_be_sent_still_answers_the_link(api, team, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr("accounts.workspaces.send_mail", refuse)
    invitation = _invite(api, team[0])
    assert invitation["url"].startswith("http://testserver/invitations/")
    assert "could not be sent" in caplog.text
    assert invitation["url"] not in caplog.text


def test_the_personal_workspace_owner_is_never_demoted_or_removed(owner):
    personal = workspace_personal_for(owner)
    mine = Membership.objects.get(workspace=personal, user=owner)
    co_owner = MembershipFactory(workspace=personal, role=Role.OWNER)
    client = client_for(co_owner.user)
    response = client.put(_members_url(personal, mine), {"role": "viewer"}, format="json")
    assert response.status_code == 409 and "personal workspace" in response.json()["detail"]
    response = client.delete(_members_url(personal, mine))
    assert response.status_code == 409 and "personal workspace" in response.json()["detail"]
    alone = client_for(owner).delete(_members_url(personal, mine))  # and alone there, the same reason
    assert alone.status_code == 409 and "personal workspace" in alone.json()["detail"]
    assert Membership.objects.get(pk=mine.pk).role == Role.OWNER
