"""The audit log: one event per write, whoever makes it (API, pages, admin, engine, commands), with the
fields that changed before and after, never a secret; read by managers and owners through
`GET /api/v1/audit`, admin and the workspace's audit page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent, Role
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, UserFactory, WorkspaceFactory
from accounts.workspaces import workspace_personal_for
from buffer_integration.tests.factories import BufferConfigFactory
from campaigns.tests.factories import CampaignFactory
from conftest import client_for
from kernel.actor import ENGINE, SYSTEM, acting_as, current_actor
from posts import transitions
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory
from publisher.config_services import integrator_app_create, webhook_secret_rotate

pytestmark = pytest.mark.django_db

AUDIT = "/api/v1/audit"


def events(**filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def last(**filters) -> AuditEvent:
    found = AuditEvent.objects.filter(**filters).order_by("-id").first()
    assert found is not None, f"no audit event with {filters}"
    return found


# -- who: every kind of writer ----------------------------------------------------------------------


def test_api_write_is_recorded_as_the_jwt_user(api, owner):
    post = PostFactory(social_account=SocialAccountFactory(owner=owner), content="Before")
    response = api.patch(f"/api/v1/posts/{post.pk}", {"content": "After"}, format="json")
    assert response.status_code == 200, response.json()
    event = last(object_type="posts.post", object_id=str(post.pk), action="updated")
    assert (event.actor_id, event.actor_label) == (owner.pk, "owner")
    assert event.workspace_id == post.workspace_id == workspace_personal_for(owner).pk
    assert event.changes == {"content": ["Before", "After"]}  # only what changed


def test_ui_form_post_is_recorded_as_the_session_user(web, owner):
    campaign = CampaignFactory(owner=owner, name="Spring")
    response = web.post(reverse("campaign-status", args=[campaign.pk]), {"status": "paused"})
    assert response.status_code == 302
    event = last(object_type="campaigns.campaign", object_id=str(campaign.pk), action="updated")
    assert (event.actor_id, event.actor_label, event.object_repr) == (owner.pk, "owner", "Spring")
    assert event.changes == {"status": ["active", "paused"]}


def test_admin_change_is_recorded_as_admin_username(client):
    staff = UserFactory(username="alice", is_staff=True, is_superuser=True)
    campaign = CampaignFactory(name="Old name", description="")
    client.force_login(staff)
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    form = {
        "owner": campaign.owner_id,
        "workspace": campaign.workspace_id,
        "name": "New name",
        "description": "",
        "start_date": campaign.start_date.isoformat(),
        "end_date": campaign.end_date.isoformat(),
        "status": "active",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = last(object_type="campaigns.campaign", object_id=str(campaign.pk), action="updated")
    assert (event.actor_id, event.actor_label) == (staff.pk, "admin:alice")
    assert event.changes == {"name": ["Old name", "New name"]}


def test_engine_task_claim_is_recorded_as_the_engine():
    from posts.tasks import dispatch_due_posts

    post = PostFactory(scheduled_time=timezone.now() - dt.timedelta(seconds=5))
    dispatch_due_posts.delay()  # eager in tests: Celery's prerun signal sets the actor
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHING
    event = last(object_type="posts.post", object_id=str(post.pk))
    assert (event.action, event.actor_label, event.actor_id) == ("claim", ENGINE, None)
    assert event.changes == {"status": ["scheduled", "publishing"]}
    assert event.workspace_id == post.workspace_id
    assert current_actor().label == SYSTEM  # the task's actor ends with the task


def test_engine_transition_records_its_name_and_the_columns_it_set():
    post = PostFactory(status=PostStatus.PUBLISHING)
    with acting_as(ENGINE):
        assert transitions.mark_failed(post_id=post.pk, error="Buffer said no " + "x" * 200)
    event = last(object_type="posts.post", object_id=str(post.pk))
    assert (event.action, event.actor_label) == ("mark_failed", ENGINE)
    assert event.changes["status"] == ["publishing", "failed"]
    before, after = event.changes["last_error"]
    assert before == "" and after.startswith("Buffer said no") and len(after) == audit.VALUE_MAX
    assert event.object_repr == f"Post #{post.pk} (twitter, failed)"


def test_a_lost_transition_records_nothing():
    post = PostFactory(status=PostStatus.PUBLISHED)
    before = AuditEvent.objects.count()
    assert not transitions.cancel(post_id=post.pk)
    assert AuditEvent.objects.count() == before


def test_transition_called_directly_is_named_after_its_allowed_from_entry():
    post = PostFactory(status=PostStatus.SCHEDULED)
    assert transitions.transition(
        post_id=post.pk, to=PostStatus.FAILED, allowed_from=transitions.ALLOWED_FROM["mark_failed"], last_error="x"
    )
    assert last(object_id=str(post.pk)).action == "mark_failed"
    assert transitions.transition(post_id=post.pk, to=PostStatus.CANCELLED, allowed_from={PostStatus.FAILED})
    assert last(object_id=str(post.pk)).action == "status:cancelled"


def test_api_cancel_is_recorded_with_status_before_and_after(api, owner):
    post = PostFactory(social_account=SocialAccountFactory(owner=owner), status=PostStatus.DRAFT, scheduled_time=None)
    assert api.post(f"/api/v1/posts/{post.pk}/cancel").status_code == 200
    event = last(object_id=str(post.pk), action="cancel")
    assert event.actor_label == "owner" and event.changes["status"] == ["draft", "cancelled"]


def test_management_command_is_recorded_as_system_and_never_shows_the_token():
    account = SocialAccountFactory(access_token="plain-network-token-123")
    ciphertext = account.access_token_encrypted
    call_command("rotate_encryption_keys", verbosity=0)
    event = last(object_type="accounts.socialaccount", object_id=str(account.pk), action="updated")
    assert (event.actor_label, event.actor_id) == (SYSTEM, None)
    assert event.changes == {"access_token_encrypted": "changed"}
    dumped = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "plain-network-token-123" not in dumped and ciphertext not in dumped


# -- what: creations, deletions, bulk, secrets ------------------------------------------------------


def test_create_lists_the_fields_set_and_delete_names_what_went(owner):
    campaign = CampaignFactory(owner=owner, name="Launch", description="")
    pk = str(campaign.pk)
    created = last(object_type="campaigns.campaign", object_id=pk, action="created")
    assert created.changes["name"] == [None, "Launch"]
    assert "description" not in created.changes  # empty: nothing to say
    campaign.delete()
    deleted = last(object_type="campaigns.campaign", object_id=pk, action="deleted")
    assert deleted.object_repr == "Launch" and deleted.workspace_id == campaign.workspace_id


def test_a_save_that_changes_no_tracked_field_records_nothing():
    account = SocialAccountFactory()
    before = AuditEvent.objects.count()
    account.last_checked_at = timezone.now()
    account.save()
    assert AuditEvent.objects.count() == before


def test_bulk_create_records_one_event_per_post_in_one_insert(api, owner, django_assert_num_queries):
    account = SocialAccountFactory(owner=owner)
    body = {"posts": [{"social_account_id": account.pk, "content": f"Bulk {n}"} for n in range(3)]}
    response = api.post("/api/v1/posts/bulk", body, format="json")
    assert response.status_code == 201, response.json()
    ids = [str(p["id"]) for p in response.json()["posts"]]
    created = events(object_type="posts.post", object_id__in=ids, action="created")
    assert len(created) == 3 and {e.actor_label for e in created} == {"owner"}
    assert created[0].changes["content"] == [None, "Bulk 0"]


def test_secrets_are_only_ever_changed(owner):
    config = BufferConfigFactory(owner=owner, access_token="buffer-secret-token-abc")
    app, app_secret = integrator_app_create(workspace=workspace_personal_for(owner), actor=owner, name="CMS")
    webhook, webhook_plain = webhook_secret_rotate(workspace=workspace_personal_for(owner), actor=owner)
    config.set_access_token("buffer-secret-token-def")
    config.save()
    assert last(object_type="buffer_integration.bufferconfig", action="updated").changes == {
        "access_token_encrypted": "changed"
    }
    assert last(object_type="publisher.integratorapp", action="created").changes["secret_encrypted"] == "changed"
    dumped = json.dumps(list(AuditEvent.objects.values()), default=str)
    for value in (
        "buffer-secret-token-abc",
        "buffer-secret-token-def",
        config.access_token_encrypted,
        app_secret,
        app.secret_encrypted,
        webhook_plain,
        webhook.secret_encrypted,
    ):
        assert value not in dumped


def test_long_and_structured_values_are_short():
    post = PostFactory(content="x" * 500, media_urls=[f"https://example.com/{n}.png" for n in range(20)])
    created = last(object_type="posts.post", object_id=str(post.pk), action="created")
    assert len(created.changes["content"][1]) == audit.VALUE_MAX
    assert created.changes["media_urls"][1].startswith('["https://example.com/0.png"')
    assert len(created.changes["media_urls"][1]) == audit.VALUE_MAX


def test_in_place_edit_of_a_json_field_is_a_change():
    post = PostFactory(media_urls=["https://example.com/a.png"])
    post = Post.objects.get(pk=post.pk)
    post.media_urls.append("https://example.com/b.png")
    post.save()
    change = last(object_id=str(post.pk), action="updated").changes["media_urls"]
    assert change == ['["https://example.com/a.png"]', '["https://example.com/a.png", "https://example.com/b.png"]']


def test_a_rolled_back_write_leaves_no_event(api, owner):
    account = SocialAccountFactory(owner=owner)
    before = AuditEvent.objects.count()
    response = api.post("/api/v1/posts", {"social_account_id": account.pk, "content": "x" * 5000}, format="json")
    assert response.status_code == 400
    assert AuditEvent.objects.count() == before


def test_membership_and_workspace_writes_are_in_that_workspace():
    workspace = WorkspaceFactory(name="Team")
    membership = MembershipFactory(workspace=workspace, role=Role.VIEWER)
    membership.role = Role.EDITOR
    membership.save()
    assert last(object_type="accounts.workspace", object_id=str(workspace.pk)).workspace_id == workspace.pk
    event = last(object_type="accounts.membership", object_id=str(membership.pk), action="updated")
    assert event.workspace_id == workspace.pk and event.changes == {"role": ["viewer", "editor"]}


# -- performance ------------------------------------------------------------------------------------


def test_post_update_costs_one_insert(api, owner, django_assert_num_queries):
    post = PostFactory(social_account=SocialAccountFactory(owner=owner))
    api.get("/api/v1/me")  # the personal workspace exists already (factories)
    # user (JWT), the caller's membership, the post, its owner, the UPDATE in a savepoint (with the approval
    # check, two statements more), and the event's INSERT: the audit log adds that one. The post's library items
    # twice: before the edit (did they change?) and for the answer.
    with django_assert_num_queries(10) as captured:
        assert api.patch(f"/api/v1/posts/{post.pk}", {"content": "Edited"}, format="json").status_code == 200
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "accounts_auditevent"')]
    assert len(inserts) == 1


def test_a_transition_costs_a_read_an_update_and_an_insert(django_assert_num_queries):
    post = PostFactory(status=PostStatus.PUBLISHING)
    with django_assert_num_queries(3):
        assert transitions.mark_published(post_id=post.pk, published_at=timezone.now())


def test_a_claim_costs_one_read_and_one_insert_for_all_its_posts(django_assert_num_queries):
    import uuid

    posts = [PostFactory(scheduled_time=timezone.now() - dt.timedelta(minutes=1)) for _ in range(5)]
    claim_id = uuid.uuid4()
    # UPDATE (the claim) + SELECT of the posts won + one INSERT of their events
    with django_assert_num_queries(3):
        assert transitions.claim(post_ids=[p.pk for p in posts], claim_id=claim_id, claimed_at=timezone.now()) == 5
    assert len(events(action="claim", actor_label=SYSTEM)) == 5


# -- GET /api/v1/audit ------------------------------------------------------------------------------


@pytest.fixture
def team():
    """A team workspace with one member per role, and a few events in it."""
    workspace = WorkspaceFactory(name="Team")
    members = {role: MembershipFactory(workspace=workspace, role=role).user for role in Role.values}
    return workspace, members


def _in(workspace, *, label="alice", action="updated", object_type="posts.post", object_id="1", at=None, user=None):
    event = audit.event(
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=f"{object_type} {object_id}",
        workspace_id=workspace.pk,
        changes={"content": ["a", "b"]},
        actor=audit.Actor(label=label, user=user),
        at=at,
    )
    event.save()
    return event


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.OWNER, 200),
        (Role.MANAGER, 200),
        (Role.EDITOR, 403),
        (Role.CONTRIBUTOR, 403),
        (Role.VIEWER, 403),
    ],
)
def test_roles(team, role, status):
    workspace, members = team
    response = client_for(members[role]).get(AUDIT, HTTP_X_WORKSPACE=str(workspace.pk))
    assert response.status_code == status, response.json()
    if status == 403:
        assert "manager role or higher" in response.json()["detail"]


def test_a_non_member_gets_404_and_anonymous_401(team, outsider):
    workspace, _ = team
    assert client_for(outsider).get(AUDIT, HTTP_X_WORKSPACE=str(workspace.pk)).status_code == 404
    from rest_framework.test import APIClient

    assert APIClient().get(AUDIT).status_code == 401


def test_lists_only_the_workspace_newest_first_with_filters(team):
    workspace, members = team
    other = WorkspaceFactory()
    now = timezone.now()
    bob = members[Role.EDITOR]
    old = _in(workspace, label="engine", action="claim", object_id="7", at=now - dt.timedelta(days=2))
    mid = _in(workspace, label=bob.username, user=bob, object_type="campaigns.campaign", object_id="3", at=now)
    new = _in(workspace, label=f"admin:{bob.username}", user=bob, object_id="7", at=now + dt.timedelta(minutes=1))
    _in(other, label="engine", action="claim", object_id="7")
    api = client_for(members[Role.MANAGER])

    def ids(**params):
        response = api.get(AUDIT, params, HTTP_X_WORKSPACE=str(workspace.pk))
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json() if row["id"] in {old.pk, mid.pk, new.pk}]

    assert ids() == [new.pk, mid.pk, old.pk]
    assert ids(actor="engine") == [old.pk]
    assert ids(actor=bob.username) == [new.pk, mid.pk]  # their admin changes too
    assert ids(object_type="posts.post", object_id="7") == [new.pk, old.pk]
    assert ids(action="claim") == [old.pk]
    assert ids(since=(now - dt.timedelta(hours=1)).isoformat(), until=(now + dt.timedelta(seconds=30)).isoformat()) == [
        mid.pk
    ]
    row = api.get(AUDIT, {"action": "claim"}, HTTP_X_WORKSPACE=str(workspace.pk)).json()[0]
    assert set(row) == {
        "id",
        "created_at",
        "workspace_id",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "changes",
    }
    assert row["changes"] == {"content": ["a", "b"]} and row["actor_id"] is None


@pytest.mark.parametrize(
    "params",
    [{"since": "2027-01-01"}, {"until": "yesterday"}, {"actor": ""}, {"limit": "0"}, {"skip": "-1"}],
)
def test_bad_filters_are_400(team, params):
    workspace, members = team
    response = client_for(members[Role.OWNER]).get(AUDIT, params, HTTP_X_WORKSPACE=str(workspace.pk))
    assert response.status_code == 400, response.json()


def test_pagination_and_a_constant_query_count(team, django_assert_num_queries):
    workspace, members = team
    for n in range(30):
        _in(workspace, object_id=str(n))
    api = client_for(members[Role.OWNER])
    api.get(AUDIT, HTTP_X_WORKSPACE=str(workspace.pk))  # warm: nothing is cached across requests anyway
    # user (JWT) + membership with its workspace + COUNT + the page
    with django_assert_num_queries(4):
        response = api.get(AUDIT, {"limit": 10, "skip": 5}, HTTP_X_WORKSPACE=str(workspace.pk))
    assert response.status_code == 200 and len(response.json()) == 10
    assert int(response["X-Total-Count"]) == AuditEvent.objects.filter(workspace=workspace).count()
    with django_assert_num_queries(4):
        assert len(api.get(AUDIT, {"limit": 100}, HTTP_X_WORKSPACE=str(workspace.pk)).json()) > 30


def test_the_personal_workspace_is_the_default(api, owner):
    campaign = CampaignFactory(owner=owner)
    rows = api.get(AUDIT, {"object_type": "campaigns.campaign"}).json()
    assert [row["object_id"] for row in rows] == [str(campaign.pk)]


def test_documented_in_the_schema(api):
    schema = api.get("/api/schema", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/audit"]["get"]
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    names = {p["name"] for p in operation["parameters"]}
    assert {"actor", "object_type", "object_id", "action", "since", "until", "skip", "limit", "X-Workspace"} <= names


# -- admin and the page -----------------------------------------------------------------------------


def test_admin_is_read_only(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    event = _in(WorkspaceFactory())
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_auditevent_changelist"), {"q": "posts"}).status_code == 200
    assert client.get(reverse("admin:accounts_auditevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(("role", "status"), [(Role.OWNER, 200), (Role.MANAGER, 200), (Role.EDITOR, 403)])
def test_page_for_managers(client, team, role, status):
    workspace, members = team
    _in(workspace, label="engine", action="mark_published", object_id="42")
    client.force_login(members[role])
    session = client.session
    session["workspace_id"] = workspace.pk
    session.save()
    response = client.get(reverse("settings-audit"))
    assert response.status_code == status
    if status == 200:
        assert "mark_published" in response.content.decode()
        assert b"Audit log" in client.get(reverse("settings")).content
    else:
        assert b'href="/settings/audit/"' not in client.get(reverse("settings")).content


def test_page_filters_and_bad_input(web, owner):
    CampaignFactory(owner=owner, name="Visible campaign")
    PostFactory(social_account=SocialAccountFactory(owner=owner), content="A post")
    page = web.get(reverse("settings-audit"), {"object_type": "campaigns.campaign"}).content.decode()
    assert "Visible campaign" in page and "A post" not in page
    assert web.get(reverse("settings-audit"), {"since": "nonsense"}).status_code == 400


def test_page_query_count(web, owner, django_assert_num_queries):
    for _ in range(5):
        CampaignFactory(owner=owner)
    web.get(reverse("settings-audit"))
    # session + user + the membership with its workspace + the events + the workspace switcher + the bell
    with django_assert_num_queries(6):
        assert web.get(reverse("settings-audit")).status_code == 200


# -- `.update()`s outside the transitions ------------------------------------------------------------


def test_revoking_an_app_on_the_settings_page_is_recorded(web, owner):
    app, _ = integrator_app_create(workspace=workspace_personal_for(owner), actor=owner, name="CMS")
    response = web.post(reverse("settings-app-revoke", args=[app.pk]))
    assert response.status_code == 302
    event = last(object_type="publisher.integratorapp", object_id=str(app.pk), action="updated")
    assert event.actor_label == "owner"
    before, after = event.changes["revoked_at"]
    assert before is None and after is not None
    assert set(event.changes) == {"revoked_at"}


def test_record_update_records_only_rows_it_changed(owner, django_assert_num_queries):
    accounts = [SocialAccountFactory(owner=owner, is_active=active) for active in (True, True, False)]
    from accounts.models import SocialAccount

    before = AuditEvent.objects.count()
    # the rows, the UPDATE by their ids, one INSERT of the events
    with django_assert_num_queries(3):
        updated = audit.record_update(SocialAccount.objects.filter(owner=owner), is_active=False)
    assert updated == 3
    changed = events(object_type="accounts.socialaccount", action="updated", id__gt=0)[-2:]
    assert AuditEvent.objects.count() == before + 2  # the third was inactive already
    assert {e.object_id for e in changed} == {str(accounts[0].pk), str(accounts[1].pk)}
    assert changed[0].changes == {"is_active": [True, False]}
    with django_assert_num_queries(1):
        assert audit.record_update(SocialAccount.objects.filter(pk=-1), is_active=True) == 0


def test_the_engine_holding_and_releasing_a_post_is_recorded():
    from posts.engine.dispatch import HOLD_ACCOUNT_INACTIVE, refresh_holds

    account = SocialAccountFactory(is_active=False)
    post = PostFactory(social_account=account, scheduled_time=timezone.now() - dt.timedelta(minutes=1))
    with acting_as(ENGINE):
        refresh_holds(now=timezone.now())
        hold = last(object_id=str(post.pk), object_type="posts.post")
        assert (hold.action, hold.actor_label) == ("hold", ENGINE)
        assert hold.changes == {"hold_reason": ["", audit.short(HOLD_ACCOUNT_INACTIVE)]}
        refresh_holds(now=timezone.now())  # nothing new: nothing recorded
        assert last(object_id=str(post.pk), object_type="posts.post").pk == hold.pk
        account.is_active = True
        account.save()
        refresh_holds(now=timezone.now())
    assert last(object_id=str(post.pk), object_type="posts.post").action == "release"


def test_a_refreshed_instance_diffs_from_what_it_reloaded():
    post = PostFactory(status=PostStatus.SCHEDULED, content="Same")
    post = Post.objects.get(pk=post.pk)
    assert transitions.cancel(post_id=post.pk)
    post.refresh_from_db()
    post.content = "Changed"
    post.save()
    event = last(object_id=str(post.pk), object_type="posts.post")
    assert event.changes == {"content": ["Same", "Changed"]}  # not the status again


def test_activating_a_buffer_config_records_the_one_it_turned_off(owner):
    from buffer_integration.services import buffer_config_update

    first = BufferConfigFactory(owner=owner, is_active=True)
    second = BufferConfigFactory(owner=owner, is_active=False)
    with acting_as("alice"):
        buffer_config_update(config=second, is_active=True)
    off = last(object_type="buffer_integration.bufferconfig", object_id=str(first.pk))
    on = last(object_type="buffer_integration.bufferconfig", object_id=str(second.pk))
    assert (off.action, off.actor_label, off.changes) == ("updated", "alice", {"is_active": [True, False]})
    assert on.changes == {"is_active": [False, True]}
