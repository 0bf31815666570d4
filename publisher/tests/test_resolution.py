"""The filters narrow each other; with none, the default post type of every target in any channel."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from kernel.errors import InvalidInput
from publisher import config_services
from publisher.defaults import ensure_default_posttypes
from publisher.models import PostKind, PostType
from publisher.resolution import resolve_posttypes

pytestmark = pytest.mark.django_db


def kinds(resolved) -> list[tuple[str, str]]:
    return [(p.network_target.account_name, p.kind) for p in resolved]


@pytest.fixture
def linkedin(owner):
    """An account in no channel."""
    return SocialAccountFactory(owner=owner, platform="linkedin", account_name="Acme in")


def posttype(account, kind) -> PostType:
    ensure_default_posttypes(workspace=workspace_personal_for(account.owner))
    return PostType.objects.get(network_target=account, kind=kind)


def test_no_filters_default_type_of_every_active_target_through_the_default_channel(owner, channel, linkedin):
    # linkedin is in no channel of the user's own, but in the default channel: every target is.
    assert kinds(resolve_posttypes(workspace=workspace_personal_for(owner))) == [
        ("@acme", "IMAGE"),
        ("Acme page", "IMAGE"),
        ("Acme in", "IMAGE"),
    ]


def test_channels_give_their_post_types(owner, channel, twitter):
    status = posttype(twitter, PostKind.STATUS)
    config_services.channel_create(
        workspace=workspace_personal_for(owner), actor=owner, name="HR", posttype_ids=[status.pk]
    )
    assert kinds(resolve_posttypes(workspace=workspace_personal_for(owner), channels=[channel.config_id])) == [
        ("@acme", "IMAGE"),
        ("Acme page", "IMAGE"),
    ]
    hr = channel.__class__.objects.get(name="HR")
    assert kinds(resolve_posttypes(workspace=workspace_personal_for(owner), channels=[hr.config_id])) == [
        ("@acme", "STATUS")
    ]


def test_channels_narrowed_by_networktargets(owner, channel, facebook):
    resolved = resolve_posttypes(
        workspace=workspace_personal_for(owner), channels=[channel.config_id], networktargets=[f"nt_{facebook.pk}"]
    )
    assert kinds(resolved) == [("Acme page", "IMAGE")]


def test_posttypes_alone_are_taken_as_given(owner, linkedin):
    link = posttype(linkedin, PostKind.LINK)
    assert kinds(resolve_posttypes(workspace=workspace_personal_for(owner), posttypes=[link.config_id])) == [
        ("Acme in", "LINK")
    ]


def test_posttypes_narrowed_by_channels(owner, channel, twitter):
    status = posttype(twitter, PostKind.STATUS)
    with pytest.raises(InvalidInput, match="select no post type"):
        resolve_posttypes(
            workspace=workspace_personal_for(owner), channels=[channel.config_id], posttypes=[status.config_id]
        )


def test_networktargets_alone_give_their_defaults(owner, linkedin, twitter):
    resolved = resolve_posttypes(
        workspace=workspace_personal_for(owner), networktargets=[f"nt_{linkedin.pk}", f"nt_{twitter.pk}"]
    )
    assert sorted(kinds(resolved)) == [("@acme", "IMAGE"), ("Acme in", "IMAGE")]


def test_nothing_to_publish_to_is_an_error(owner, twitter):
    twitter.is_active = False
    twitter.save()
    with pytest.raises(InvalidInput, match="no active social account"):
        resolve_posttypes(workspace=workspace_personal_for(owner))


def test_inactive_targets_are_unknown(owner, channel, twitter):
    twitter.is_active = False
    twitter.save()
    with pytest.raises(InvalidInput) as caught:
        resolve_posttypes(workspace=workspace_personal_for(owner), networktargets=[f"nt_{twitter.pk}"])
    assert caught.value.errors == {
        "networktargets": [f"Unknown network target id 'nt_{twitter.pk}' (see GET /configs/networktargets)."]
    }
    assert kinds(resolve_posttypes(workspace=workspace_personal_for(owner))) == [("Acme page", "IMAGE")]


def test_ids_of_another_kind_are_unknown(owner, channel):
    with pytest.raises(InvalidInput) as caught:
        resolve_posttypes(
            workspace=workspace_personal_for(owner), posttypes=[channel.config_id, "pt_x", "pt_99999999999999999999"]
        )
    assert len(caught.value.errors["posttypes"]) == 3
