"""The bell in the top bar, the notifications page, and the notification choices on the Settings page."""

from __future__ import annotations

import re

import pytest

from accounts.models import Notification, NotificationKind, NotificationPreference, Role
from accounts.notifications import notify
from accounts.tests.factories import MembershipFactory, UserFactory, WorkspaceFactory
from accounts.workspaces import workspace_personal_for

pytestmark = pytest.mark.django_db


def note(user, text="Something happened", *, workspace=None, url="/posts/", read=False):
    workspace = workspace or workspace_personal_for(user)
    notify(workspace=workspace, kind=NotificationKind.MENTION, text=text, url=url, recipients=[user])
    notification = Notification.objects.filter(recipient=user).order_by("-id").first()
    if read:
        Notification.objects.filter(pk=notification.pk).update(read_at=notification.created_at)
    return notification


def bell_count(html: str) -> int | None:
    match = re.search(r'class="bell-count" data-unread="(\d+)"', html)
    return int(match.group(1)) if match else None


def test_the_bell_shows_your_unread_count_on_every_page(web, owner, outsider):
    assert bell_count(web.get("/posts/").content.decode()) is None  # nothing unread: no badge
    note(owner)
    note(owner)
    note(owner, read=True)
    note(outsider)
    for page in ("/", "/posts/", "/campaigns/", "/accounts/", "/settings/", "/notifications/"):
        html = web.get(page).content.decode()
        assert bell_count(html) == 2, page
        assert 'href="/notifications/"' in html


def test_the_bell_costs_one_query_however_often_a_page_shows_it(web, owner, django_assert_num_queries):
    for _ in range(5):
        note(owner)
    web.get("/notifications/")
    # session, user, count of the page, page of notifications with their workspaces, the workspace switcher,
    # unread count (bell)
    with django_assert_num_queries(6):
        html = web.get("/notifications/").content.decode()
    assert bell_count(html) == 5 and "5 unread" in html


@pytest.mark.parametrize("count", [3, 40])
def test_the_notifications_page_costs_the_same_whatever_the_count(web, owner, count, django_assert_num_queries):
    team = WorkspaceFactory(name="Team")
    MembershipFactory(workspace=team, user=owner, role=Role.EDITOR)
    for index in range(count):
        note(owner, f"Note {index}", workspace=team if index % 2 else None)
    with django_assert_num_queries(6):  # as above
        html = web.get("/notifications/").content.decode()
    assert html.count('class="unread"') == count


def test_the_page_lists_only_yours_newest_first(web, owner, outsider):
    note(owner, "First")
    note(owner, "Second", read=True)
    note(outsider, "Not yours")
    html = web.get("/notifications/").content.decode()
    assert html.index("Second") < html.index("First") and "Not yours" not in html
    unread_only = web.get("/notifications/?show=unread").content.decode()
    assert "First" in unread_only and "Second" not in unread_only


def test_opening_marks_read_and_goes_there_in_its_workspace(web, owner):
    team = WorkspaceFactory(name="Team")
    MembershipFactory(workspace=team, user=owner, role=Role.MANAGER)
    notification = note(owner, workspace=team, url="/posts/12/#comment-3")
    response = web.post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/posts/12/#comment-3"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert web.session["workspace_id"] == team.pk


def test_mark_one_and_all_read(web, owner):
    first, _second, _third = note(owner), note(owner), note(owner)
    assert web.post(f"/notifications/{first.pk}/read/").status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    response = web.post("/notifications/read-all/", follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_is_a_404(web, outsider):
    theirs = note(outsider)
    assert web.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert web.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_settings_show_and_save_the_choices_per_kind(web, owner):
    html = web.get("/settings/").content.decode()
    assert 'id="notifications"' in html and "owner&#x27;s workspace" in html
    for kind in NotificationKind.values:
        assert f'name="in_app_{kind}"' in html and f'name="email_{kind}"' in html
    assert html.count("checked") >= 2 * len(NotificationKind.values)  # the defaults: all on

    chosen = {f"in_app_{kind}": "on" for kind in NotificationKind.values}
    chosen["email_post_failed"] = "on"
    response = web.post("/settings/notifications/", chosen)
    assert response.status_code == 302 and response["Location"] == "/settings/#notifications"
    membership = workspace_personal_for(owner).memberships.get(user=owner)
    rows = {p.kind: (p.in_app, p.email) for p in NotificationPreference.objects.filter(membership=membership)}
    assert rows["post_failed"] == (True, True) and rows["mention"] == (True, False)

    page = web.get("/settings/").content.decode()
    assert "Notification settings saved" in page
    assert re.search(r'name="email_mention"(?![^>]*checked)', page)
    assert re.search(r'name="email_post_failed"[^>]*checked', page)


def test_the_choices_are_those_of_the_workspace_the_pages_act_in(client):
    user = UserFactory(username="member")
    team = WorkspaceFactory(name="Team")
    MembershipFactory(workspace=team, user=user, role=Role.VIEWER)
    client.force_login(user)
    session = client.session
    session["workspace_id"] = team.pk
    session.save()
    assert "Team" in client.get("/settings/").content.decode()
    assert client.post("/settings/notifications/", {}).status_code == 302
    assert NotificationPreference.objects.filter(membership__workspace=team).count() == len(NotificationKind.values)
    assert not NotificationPreference.objects.exclude(membership__workspace=team).exists()


def test_admin_lists_notifications_read_only(admin_client, owner):
    note(owner, "Shown in admin")
    response = admin_client.get("/admin/accounts/notification/")
    assert response.status_code == 200 and "Shown in admin" in response.content.decode()
    assert admin_client.get("/admin/accounts/notification/add/").status_code == 403
