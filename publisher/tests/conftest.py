"""Publisher fixtures: accounts with post types, a channel, a webhook secret and a local callback receiver."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from publisher import config_services
from publisher.tests.receiver import start_receiver


@pytest.fixture
def receiver(settings):
    """A local receiver, allowed past the SSRF guard the way an operator would allow an intranet host."""
    receiver, server = start_receiver()
    settings.CALLBACK_ALLOWED_HOSTS = [receiver.url.removeprefix("http://")]  # 127.0.0.1:<its port>
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def whsec(owner) -> str:
    _, secret = config_services.webhook_secret_rotate(workspace=workspace_personal_for(owner), actor=owner)
    return secret


@pytest.fixture
def twitter(owner):
    return SocialAccountFactory(owner=owner, platform="twitter", account_name="@acme")


@pytest.fixture
def facebook(owner):
    return SocialAccountFactory(owner=owner, platform="facebook", account_name="Acme page", service_type="page")


@pytest.fixture
def channel(owner, twitter, facebook):
    """ "Marketing": the default post type of both accounts."""
    from publisher.defaults import ensure_default_posttypes
    from publisher.models import PostType

    ensure_default_posttypes(workspace=workspace_personal_for(owner))
    defaults = PostType.objects.filter(owner=owner, is_default=True).values_list("pk", flat=True)
    return config_services.channel_create(
        workspace=workspace_personal_for(owner), actor=owner, name="Marketing", posttype_ids=list(defaults)
    )
