"""`/api/v1/notifications`: your own notifications only, newest first, unread count, read, preferences."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Notification, NotificationKind, NotificationPreference, Role
from accounts.tests.factories import MembershipFactory
from accounts.workspaces import workspace_personal_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications"


def make(user, count=1, *, read=False, workspace=None, text="Note", hours_ago=1):
    workspace = workspace or workspace_personal_for(user)
    start = timezone.now() - dt.timedelta(hours=hours_ago)
    rows = [
        Notification(
            recipient=user,
            workspace=workspace,
            kind=NotificationKind.MENTION,
            text=f"{text} {i}",
            url="/posts/",
            created_at=start + dt.timedelta(seconds=i),
            read_at=timezone.now() if read else None,
        )
        for i in range(count)
    ]
    return Notification.objects.bulk_create(rows)


def test_lists_only_yours_newest_first_with_counts(api, owner, outsider):
    make(owner, 3)
    make(owner, 1, read=True, text="Old", hours_ago=2)
    make(outsider, 2, text="Theirs")
    response = api.get(URL)
    assert response.status_code == 200
    texts = [row["text"] for row in response.json()]
    assert texts == ["Note 2", "Note 1", "Note 0", "Old 0"]
    assert response["X-Total-Count"] == "4" and response["X-Unread-Count"] == "3"
    row = response.json()[0]
    assert set(row) == {"id", "workspace_id", "kind", "text", "url", "created_at", "read_at", "is_read"}
    assert row["kind"] == "mention" and row["is_read"] is False and row["read_at"] is None


def test_unread_filter_and_pages(api, owner):
    make(owner, 3)
    make(owner, 2, read=True, text="Read", hours_ago=2)
    unread = api.get(URL, {"unread": "true"}).json()
    assert [row["text"] for row in unread] == ["Note 2", "Note 1", "Note 0"]
    read = api.get(URL, {"unread": "false"}).json()
    assert [row["text"] for row in read] == ["Read 1", "Read 0"]
    page = api.get(URL, {"skip": 1, "limit": 2})
    assert [row["text"] for row in page.json()] == ["Note 1", "Note 0"] and 'rel="next"' in page["Link"]


@pytest.mark.parametrize("value", ["", "yes", "1"])
def test_a_bad_unread_filter_is_a_400(api, value):
    response = api.get(URL, {"unread": value})
    assert response.status_code == 400 and "unread" in response.json()["errors"]


@pytest.mark.parametrize("count", [3, 60])
def test_list_query_count_is_constant(api, owner, count, django_assert_num_queries):
    make(owner, count)
    with django_assert_num_queries(4):  # user (JWT), count, page, unread count
        assert len(api.get(URL, {"limit": 100}).json()) == count


def test_mark_one_read(api, owner):
    [note, _other] = make(owner, 2)
    response = api.post(f"{URL}/{note.pk}/read")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert response["X-Unread-Count"] == "1"
    note.refresh_from_db()
    first = note.read_at
    assert first is not None
    again = api.post(f"{URL}/{note.pk}/read")  # already read: unchanged
    assert again.status_code == 200
    note.refresh_from_db()
    assert note.read_at == first


def test_another_users_notification_is_a_404(api, outsider_api, owner):
    [note] = make(owner)
    response = outsider_api.post(f"{URL}/{note.pk}/read")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert api.post(f"{URL}/999999/read").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_read_all_marks_only_yours(api, owner, outsider):
    make(owner, 3)
    make(outsider, 2)
    response = api.post(f"{URL}/read-all")
    assert response.status_code == 200 and response.json() == {"marked": 3, "unread_count": 0}
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    assert api.post(f"{URL}/read-all").json()["marked"] == 0


def test_preferences_default_then_changed(api, owner):
    response = api.get(f"{URL}/preferences")
    body = response.json()
    assert response.status_code == 200 and body["workspace_id"] == workspace_personal_for(owner).pk
    assert body["preferences"][0] == {"kind": "approval_requested", "in_app": True, "email": True}
    assert [row["kind"] for row in body["preferences"]] == list(NotificationKind.values)

    change = {"preferences": [{"kind": "post_failed", "in_app": False, "email": True}]}
    updated = api.put(f"{URL}/preferences", change, format="json").json()
    by_kind = {row["kind"]: row for row in updated["preferences"]}
    assert by_kind["post_failed"] == {"kind": "post_failed", "in_app": False, "email": True}
    assert by_kind["mention"] == {"kind": "mention", "in_app": True, "email": True}  # kept
    assert api.get(f"{URL}/preferences").json() == updated


def test_preferences_are_per_workspace_named_by_the_header(api, owner, outsider):
    team = MembershipFactory(user=owner, role=Role.VIEWER).workspace
    change = {"preferences": [{"kind": "mention", "in_app": False, "email": False}]}
    response = api.put(f"{URL}/preferences", change, format="json", HTTP_X_WORKSPACE=str(team.pk))
    assert response.status_code == 200 and response.json()["workspace_id"] == team.pk  # even a viewer chooses
    assert NotificationPreference.objects.get().membership.workspace == team
    mine = {row["kind"]: row for row in api.get(f"{URL}/preferences").json()["preferences"]}
    assert mine["mention"]["in_app"] is True  # the personal workspace keeps the default

    theirs = workspace_personal_for(outsider)
    assert api.get(f"{URL}/preferences", HTTP_X_WORKSPACE=str(theirs.pk)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "preferences"),
        ({"preferences": "all"}, "preferences"),
        ({"preferences": [{"kind": "party", "in_app": True, "email": True}]}, "preferences"),
        ({"preferences": [{"kind": "mention", "in_app": 1, "email": True}]}, "preferences"),
        ({"preferences": [{"kind": "mention", "in_app": True}]}, "preferences"),
        (
            {
                "preferences": [
                    {"kind": "mention", "in_app": True, "email": True},
                    {"kind": "mention", "in_app": False, "email": True},
                ]
            },
            "preferences",
        ),
    ],
)
def test_bad_preferences_are_400s_and_change_nothing(api, body, field):
    response = api.put(f"{URL}/preferences", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not NotificationPreference.objects.exists()


def test_anonymous_gets_401(client):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/preferences").status_code == 401


def test_documented_in_the_openapi_schema(api):
    schema = api.get("/api/schema", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/notifications",
        "/api/v1/notifications/{id}/read",
        "/api/v1/notifications/read-all",
        "/api/v1/notifications/preferences",
        "/api/v1/posts/{id}/comments",
    ):
        assert path in paths, sorted(paths)
    assert {"get", "put"} <= set(paths["/api/v1/notifications/preferences"])
    assert "unread" in [p["name"] for p in paths["/api/v1/notifications"]["get"]["parameters"]]
    assert set(schema["components"]["schemas"]["NotificationKindEnum"]["enum"]) == set(NotificationKind.values)
