"""Fixtures for the posts tests: an owner in a timezone with DST, their accounts and a campaign."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, WorkspaceFactory
from campaigns.tests.factories import CampaignFactory
from posts.tests.review_fixtures import review_team  # noqa: F401  (the review-link tests' workspace)

TOKEN = "sandbox-posts-token"


def pytest_generate_tests(metafunc):
    """The engine suite runs once per Buffer API: each account's calls go through its owner's config."""
    if metafunc.module.__name__.rsplit(".", 1)[-1].startswith("test_engine"):
        metafunc.parametrize("buffer_api", ["v1", "graphql"], indirect=True)


@pytest.fixture(autouse=True)
def buffer_api(request):
    api = getattr(request, "param", None)
    if api is not None:
        from buffer_integration.tests.factories import BufferConfigFactory

        BufferConfigFactory(owner=request.getfixturevalue("owner"), api=api, access_token="engine-config-token")
    return api


@pytest.fixture
def owner(owner):
    owner.timezone = "Europe/Berlin"
    owner.save(update_fields=["timezone"])
    return owner


@pytest.fixture
def account(owner):
    return SocialAccountFactory(owner=owner, platform="twitter", account_name="@brand")


@pytest.fixture
def campaign(owner):
    return CampaignFactory(owner=owner, name="Launch", start_date=dt.date(2000, 1, 1), end_date=dt.date(2099, 12, 31))


@pytest.fixture
def fast_engine(settings):
    """The engine's own waits shortened (backoff, reconcile grace); the tests themselves never sleep."""
    from posts.tests.engine_helpers import ENGINE_TEST_SETTINGS

    for name, value in ENGINE_TEST_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture
def buffer_account(owner, sandbox):
    """A twitter account on a sandbox profile of its owner's Buffer config (the one Buffer calls use)."""
    from posts.tests.engine_helpers import sandbox_account

    return sandbox_account(owner, sandbox, TOKEN)


# -- a team workspace with one member per role (approvals) ------------------------------------------


@pytest.fixture
def team():
    return WorkspaceFactory(name="Brand team")


@pytest.fixture
def members(team):
    """One member of `team` per role, by role."""
    return {role: MembershipFactory(workspace=team, role=role).user for role in Role.values}


@pytest.fixture
def contributor_account(team, members):
    """An account of the team's contributor, in the team."""
    return SocialAccountFactory(owner=members[Role.CONTRIBUTOR], workspace=team, account_name="@team")
