"""Fixtures for the posts tests: an owner in a timezone with DST, their accounts and a campaign."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.tests.factories import SocialAccountFactory
from campaigns.tests.factories import CampaignFactory

TOKEN = "sandbox-posts-token"


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
def buffer_account(owner, sandbox):
    """A twitter account whose token and profile the Buffer sandbox knows."""
    return SocialAccountFactory(
        owner=owner, platform="twitter", access_token=TOKEN, buffer_profile_id=sandbox.profile_id(TOKEN, "twitter")
    )
