"""accounts.notifications: who gets what, in-app and by email, as each member chose; connection breaks once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import transaction

from accounts import notifications, services
from accounts.models import ConnectionStatus, Notification, NotificationKind, NotificationPreference, Role
from accounts.notifications import DEFAULTS, MANAGERS, Delivery, notify
from accounts.services import BufferAnswer, ConnectionCheck
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db
K = NotificationKind


@pytest.fixture
def team():
    """A workspace with one member of each role (usernames = roles) and an outsider."""
    workspace = WorkspaceFactory(name="Acme")
    members = {role: MembershipFactory(workspace=workspace, role=role, user__username=role) for role in Role.values}
    return workspace, members, UserFactory(username="stranger")


def _recipients(kind: str | None = None) -> list[str]:
    rows = Notification.objects.order_by("recipient__username")
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("recipient__username", flat=True))


def _mailed() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_defaults_everything_in_app_and_the_six_kinds_by_email():
    assert set(DEFAULTS) == set(K.values)
    assert all(choice.in_app for choice in DEFAULTS.values())
    assert {kind for kind, choice in DEFAULTS.items() if choice.email} == {
        "approval_requested",
        "approved",
        "rejected",
        "post_failed",
        "connection_broken",
        "mention",
    }


def test_roles_reach_those_members_in_app_and_by_email_after_commit(team, django_capture_on_commit_callbacks):
    workspace, _members, _ = team
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reached = notify(
            workspace=workspace, kind=K.APPROVAL_REQUESTED, text="Post #1 waits", url="/posts/1/", roles=MANAGERS
        )
        assert mail.outbox == []  # nothing is sent before the caller's transaction commits
    assert reached == 2 and len(callbacks) == 1
    assert _recipients() == ["manager", "owner"]
    assert _mailed() == ["manager@example.com", "owner@example.com"]
    message = mail.outbox[0]
    assert message.subject == "[Acme] Approval requested: Post #1 waits"
    assert "Post #1 waits" in message.body and "https://testserver/posts/1/" in message.body
    assert "https://testserver/settings/#notifications" in message.body
    notification = Notification.objects.first()
    assert (notification.workspace, notification.kind, notification.url, notification.read_at) == (
        workspace,
        "approval_requested",
        "/posts/1/",
        None,
    )


def test_recipients_outside_the_workspace_inactive_or_excluded_get_nothing(team, django_capture_on_commit_callbacks):
    workspace, members, stranger = team
    editor, viewer = members["editor"].user, members["viewer"].user
    viewer.is_active = False
    viewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        reached = notify(
            workspace=workspace,
            kind=K.APPROVED,
            text="Approved",
            url="/posts/2/",
            recipients=[editor, viewer, stranger, members["owner"].user],
            exclude=members["owner"].user,
        )
    assert reached == 1 and _recipients() == ["editor"] and _mailed() == ["editor@example.com"]


def test_recipients_and_roles_together_notify_each_member_once(team, django_capture_on_commit_callbacks):
    workspace, members, _ = team
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            workspace=workspace,
            kind=K.POST_FAILED,
            text="Failed",
            url="/posts/3/",
            roles=MANAGERS,
            recipients=[members["manager"].user, members["contributor"].user],
        )
    assert _recipients() == ["contributor", "manager", "owner"] and len(mail.outbox) == 3


def test_each_members_choice_is_respected(team, django_capture_on_commit_callbacks):
    workspace, members, _ = team
    notifications.notification_preferences_set(
        membership=members["owner"], preferences={K.POST_FAILED: Delivery(in_app=False, email=True)}
    )
    notifications.notification_preferences_set(
        membership=members["manager"], preferences={K.POST_FAILED: Delivery(in_app=True, email=False)}
    )
    notifications.notification_preferences_set(  # nothing at all for this one
        membership=members["editor"], preferences={K.POST_FAILED: Delivery(in_app=False, email=False)}
    )
    # Another kind's choice does not count for this one.
    notifications.notification_preferences_set(
        membership=members["viewer"], preferences={K.MENTION: Delivery(in_app=False, email=False)}
    )
    everyone = [membership.user for membership in members.values()]
    with django_capture_on_commit_callbacks(execute=True):
        reached = notify(workspace=workspace, kind=K.POST_FAILED, text="Failed", url="/posts/4/", recipients=everyone)
    assert reached == 4  # owner (email only), manager (in-app only), contributor and viewer (both)
    assert _recipients() == ["contributor", "manager", "viewer"]
    assert _mailed() == ["contributor@example.com", "owner@example.com", "viewer@example.com"]


def test_a_choice_in_one_workspace_leaves_the_others_alone(django_capture_on_commit_callbacks):
    user = UserFactory(username="both")
    first, second = MembershipFactory(user=user, role=Role.OWNER), MembershipFactory(user=user, role=Role.OWNER)
    notifications.notification_preferences_set(
        membership=first, preferences={K.MENTION: Delivery(in_app=False, email=False)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(workspace=first.workspace, kind=K.MENTION, text="Hi", url="/", recipients=[user]) == 0
        assert notify(workspace=second.workspace, kind=K.MENTION, text="Hi", url="/", recipients=[user]) == 1
    assert Notification.objects.get().workspace == second.workspace and len(mail.outbox) == 1


def test_no_email_address_no_email(team, django_capture_on_commit_callbacks):
    workspace, members, _ = team
    owner = members["owner"].user
    owner.email = ""
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(workspace=workspace, kind=K.REJECTED, text="No", url="/posts/5/", recipients=[owner]) == 1
    assert _recipients() == ["owner"] and mail.outbox == []


def test_a_rolled_back_write_sends_no_email():
    workspace = WorkspaceFactory()
    member = MembershipFactory(workspace=workspace, role=Role.OWNER)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        notify(workspace=workspace, kind=K.MENTION, text="Hi", url="/", recipients=[member.user])
        raise Undo
    assert not Notification.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("members", [2, 30])
def test_two_queries_whatever_the_number_of_members(members, django_assert_num_queries):
    workspace = WorkspaceFactory()
    for index in range(members):
        membership = MembershipFactory(workspace=workspace, role=Role.MANAGER)
        if index % 2:
            NotificationPreference.objects.create(membership=membership, kind=K.POST_FAILED, in_app=True, email=False)
    with django_assert_num_queries(2):  # the members with their choice for the kind; one bulk insert
        assert notify(workspace=workspace, kind=K.POST_FAILED, text="x", url="/", roles=MANAGERS) == members
    assert Notification.objects.count() == members


def test_long_text_is_one_shortened_line(team):
    workspace, members, _ = team
    notify(workspace=workspace, kind=K.MENTION, text="word\n" * 200, url="/", recipients=[members["owner"].user])
    text = Notification.objects.get().text
    assert len(text) == 500 and text.endswith("…") and "\n" not in text


@pytest.mark.parametrize("url", ["https://evil.example/x", "//evil.example/x", "posts/1/", "/\\evil", "/" + "x" * 500])
def test_the_url_must_be_a_path_of_the_app(team, url):
    workspace, members, _ = team
    with pytest.raises(ValueError, match="path of the app"):
        notify(workspace=workspace, kind=K.MENTION, text="x", url=url, recipients=[members["owner"].user])


def test_unknown_kind_or_nobody_named_is_a_programming_error(team):
    workspace, _members, _ = team
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(workspace=workspace, kind="party", text="x", url="/", roles=MANAGERS)
    with pytest.raises(ValueError, match="needs recipients"):
        notify(workspace=workspace, kind=K.MENTION, text="x", url="/")
    assert notify(workspace=workspace, kind=K.MENTION, text="x", url="/", recipients=[]) == 0


def test_preferences_defaults_then_set_and_kept(team):
    _, members, _ = team
    owner = members["owner"]
    assert notifications.notification_preferences_for(membership=owner) == DEFAULTS
    notifications.notification_preferences_set(
        membership=owner, preferences={K.APPROVED: Delivery(in_app=False, email=True)}
    )
    notifications.notification_preferences_set(
        membership=owner, preferences={K.APPROVED: Delivery(in_app=False, email=False)}
    )
    choices = notifications.notification_preferences_for(membership=owner)
    assert choices[K.APPROVED] == Delivery(in_app=False, email=False)
    assert choices[K.MENTION] == DEFAULTS[K.MENTION]
    assert NotificationPreference.objects.filter(membership=owner).count() == 1
    assert list(choices) == list(K.values)


def test_mark_read_only_your_own(team):
    workspace, members, _ = team
    owner, editor = members["owner"].user, members["editor"].user
    notify(workspace=workspace, kind=K.MENTION, text="x", url="/", recipients=[owner, editor])
    mine = Notification.objects.get(recipient=owner)
    marked = notifications.notification_mark_read(user=owner, notification_id=mine.pk)
    first = marked.read_at
    assert first is not None
    assert notifications.notification_mark_read(user=owner, notification_id=mine.pk).read_at == first  # kept
    with pytest.raises(notifications.NotFound):
        notifications.notification_mark_read(user=editor, notification_id=mine.pk)
    assert notifications.notification_unread_count(user=editor) == 1
    assert notifications.notifications_mark_all_read(user=editor) == 1
    assert notifications.notification_unread_count(user=editor) == 0


# -- an account's Buffer connection breaks -------------------------------------------------------------


@pytest.fixture
def broken_buffer(monkeypatch):
    """Buffer answers every check of an account: disconnected."""

    def ask(account, config):
        return ConnectionCheck(
            ok=False,
            checked_at=datetime(2030, 1, 1, tzinfo=UTC),
            message="Buffer reports this profile as disconnected.",
            buffer_answer=BufferAnswer.PROFILE_DISCONNECTED,
            buffer_config_id=1,
            buffer_api="v1",
        )

    monkeypatch.setattr(services, "_ask_buffer", ask)
    monkeypatch.setattr(services, "buffer_config_for_account", lambda account: None)


@pytest.fixture
def team_account(team):
    workspace, members, _ = team
    return SocialAccountFactory(
        owner=members["owner"].user, workspace=workspace, account_name="@acme", connection_status=ConnectionStatus.OK
    )


def test_a_connection_that_breaks_tells_managers_and_owners_once(
    team_account, broken_buffer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.social_account_test_connection(account=team_account)
        services.social_account_test_connection(account=team_account)  # still broken: no news
    team_account.refresh_from_db()
    assert team_account.connection_status == ConnectionStatus.ERROR
    assert _recipients(K.CONNECTION_BROKEN) == ["manager", "owner"]
    assert _mailed() == ["manager@example.com", "owner@example.com"]
    text = Notification.objects.first().text
    assert text == "The Buffer connection of @acme (X / Twitter) broke: Buffer reports this profile as disconnected."
    assert Notification.objects.first().url == "/accounts/"


def test_the_engine_marking_an_account_failing_notifies_once(team_account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.social_account_mark_failing(account_id=team_account.pk, message="Token revoked")
        services.social_account_mark_failing(account_id=team_account.pk, message="Token revoked again")
    team_account.refresh_from_db()
    assert team_account.last_error == "Token revoked again"
    assert _recipients(K.CONNECTION_BROKEN) == ["manager", "owner"]


def test_broken_again_after_it_was_fixed_notifies_again(team_account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.social_account_mark_failing(account_id=team_account.pk, message="Token revoked")
        type(team_account).objects.filter(pk=team_account.pk).update(connection_status=ConnectionStatus.OK)
        services.social_account_mark_failing(account_id=team_account.pk, message="Token revoked")
    assert len(_recipients(K.CONNECTION_BROKEN)) == 4


def test_an_account_already_in_error_or_a_new_one_says_nothing(team, broken_buffer, django_capture_on_commit_callbacks):
    workspace, members, _ = team
    account = SocialAccountFactory(
        owner=members["owner"].user, workspace=workspace, connection_status=ConnectionStatus.ERROR
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.social_account_test_connection(account=account)
    assert not Notification.objects.exists()
