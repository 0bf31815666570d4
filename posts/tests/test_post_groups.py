"""posts.groups as a service: the merge, audit and approval per delivery, and a delivery held at Buffer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from buffer_integration.exceptions import BufferError
from kernel.errors import InvalidInput
from posts import groups, services
from posts.models import Post, PostGroup, PostStatus

pytestmark = pytest.mark.django_db


def in_days(days: float) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


def test_delivery_fields_take_the_shared_then_the_variants_overrides():
    shared = {"content": "Shared", "media_urls": ["https://cdn.example/a.png"], "network_options": {"title": "T"}}
    assert groups.delivery_fields(shared, {}) == shared
    merged = groups.delivery_fields(shared, {"content": "Own", "network_options": {}})
    assert merged == {"content": "Own", "media_urls": ["https://cdn.example/a.png"], "network_options": {}}


def test_each_delivery_is_audited_as_a_single_post(owner):
    ids = [SocialAccountFactory(owner=owner, platform=p).pk for p in ("twitter", "mastodon")]
    group = groups.create_post_group(
        workspace=workspace_personal_for(owner),
        actor=owner,
        social_account_ids=ids,
        content="Hi",
        scheduled_time=in_days(2),
    )
    created = AuditEvent.objects.filter(workspace=group.workspace, object_type="posts.post", action="created")
    assert sorted(created.values_list("object_id", flat=True)) == sorted(str(p.pk) for p in group.posts.all())


def test_a_later_delivery_refused_rolls_back_the_earlier_ones(owner):
    ids = [SocialAccountFactory(owner=owner, platform=p).pk for p in ("mastodon", "twitter")]
    with pytest.raises(InvalidInput) as refused:
        groups.create_post_group(
            workspace=workspace_personal_for(owner), actor=owner, social_account_ids=ids, content="x" * 300
        )
    assert list(refused.value.errors["deliveries"]) == [str(ids[1])]
    assert not Post.objects.exists() and not PostGroup.objects.exists()
    # (Scoped to the workspace: other modules' fixtures may leave their own events behind.)
    assert not AuditEvent.objects.filter(workspace=workspace_personal_for(owner), object_type="posts.post").exists()


def test_needs_approval_submits_every_scheduled_delivery(owner, django_capture_on_commit_callbacks):
    ids = [SocialAccountFactory(owner=owner, platform=p).pk for p in ("twitter", "linkedin")]
    with django_capture_on_commit_callbacks() as callbacks:
        group = groups.create_post_group(
            workspace=workspace_personal_for(owner),
            actor=owner,
            social_account_ids=ids,
            content="Review me",
            scheduled_time=in_days(2),
            needs_approval=True,
        )
    assert set(group.posts.values_list("status", flat=True)) == {PostStatus.PENDING_APPROVAL}
    assert callbacks  # the approvers are told once the whole group is in


def test_a_draft_group(owner):
    ids = [SocialAccountFactory(owner=owner, platform=p).pk for p in ("twitter", "linkedin")]
    group = groups.create_post_group(
        workspace=workspace_personal_for(owner), actor=owner, social_account_ids=ids, content="Later", status="draft"
    )
    assert set(group.posts.values_list("status", flat=True)) == {PostStatus.DRAFT}


class TestAtBuffer:
    @pytest.fixture
    def group(self, owner, buffer_account):
        other = SocialAccountFactory(owner=owner, platform="bluesky")
        group = groups.create_post_group(
            workspace=workspace_personal_for(owner),
            actor=owner,
            social_account_ids=[buffer_account.pk, other.pk],
            content="Launch day!",
            scheduled_time=in_days(1),
        )
        services.post_schedule_via_buffer(post=group.posts.get(social_account=buffer_account))
        return group

    def test_a_new_shared_text_is_edited_at_buffer_too(self, group, sandbox):
        groups.group_update(group=group, content="Launch day, updated")
        [update] = sandbox.admin("GET", "updates").json()
        assert update["text"] == "Launch day, updated"
        assert set(group.posts.values_list("content", flat=True)) == {"Launch day, updated"}

    def test_a_refused_edit_never_reaches_buffer(self, group, sandbox):
        with pytest.raises(InvalidInput) as refused:
            # X counts the link as 23 characters, Bluesky every one of them: refused before X's turn at Buffer.
            groups.group_update(group=group, content="See https://example.com/" + "a" * 330)
        assert list(refused.value.errors["deliveries"]) == [str(group.posts.get(platform="bluesky").social_account_id)]
        [update] = sandbox.admin("GET", "updates").json()
        assert update["text"] == "Launch day!"

    def test_delete_withdraws_the_handed_over_delivery(self, group, sandbox):
        kept = groups.group_delete(group=group)
        assert kept == [] and not Post.objects.exists() and not PostGroup.objects.exists()
        assert [update["deleted"] for update in sandbox.admin("GET", "updates").json()] == [True]

    def test_buffer_down_keeps_the_group_and_what_buffer_holds(self, group, sandbox):
        sandbox.faults(down=True)
        with pytest.raises(BufferError):
            groups.group_delete(group=group)
        # Buffer refused the first delivery: it and the rest stay, in their group, to delete again.
        assert PostGroup.objects.filter(pk=group.pk).exists() and group.posts.count() == 2
