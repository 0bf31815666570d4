"""Query counts of the main lists for a member of a team workspace (not their personal one).

Which workspace a request acts in, and the caller's role there, is one query per request (the
membership with its workspace, cached on the request): it does not grow with the rows, and the
permission check, the scoping and the page reuse it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.scoping import SESSION_KEY
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, UserFactory, WorkspaceFactory
from campaigns.tests.factories import CampaignFactory
from conftest import client_for
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    workspace = WorkspaceFactory()
    creator = UserFactory()
    MembershipFactory(workspace=workspace, user=creator, role=Role.OWNER)
    member = MembershipFactory(workspace=workspace, role=Role.VIEWER).user
    return workspace, creator, member


def _fill(workspace, creator, count: int) -> None:
    for n in range(count):
        account = SocialAccountFactory(owner=creator, workspace=workspace)
        campaign = CampaignFactory(owner=creator, workspace=workspace)
        PostFactory(
            social_account=account,
            campaign=campaign,
            scheduled_time=timezone.now().replace(hour=12) + dt.timedelta(days=n % 5),
        )


def _api(user, workspace):
    client = client_for(user)
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_X_WORKSPACE=str(workspace.pk))
    return client


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # user (JWT), membership with its workspace, total, page, the page's library items (media_ids)
        ("/api/v1/posts?limit=100", 5),
        # user (JWT), membership with its workspace, total, page
        ("/api/v1/social-accounts?limit=100", 4),
        ("/api/v1/campaigns?limit=100", 4),
        # user, membership, the range's posts
        ("/api/v1/posts/calendar?start_date={today}&end_date={later}", 3),
    ],
)
def test_api_lists_cost_the_same_for_a_member_of_a_team(team, count, path, queries, django_assert_num_queries):
    workspace, creator, member = team
    _fill(workspace, creator, count)
    today = timezone.localdate()
    url = path.format(today=today, later=today + dt.timedelta(days=6))
    api = _api(member, workspace)
    with django_assert_num_queries(queries):
        response = api.get(url)
    assert response.status_code == 200, response.content
    rows = response.json()
    assert (rows["total"] if "calendar" in url else len(rows)) == count


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # Every page's top bar adds two: the workspace switcher's memberships and the bell's unread count.
        # session, user, membership, accounts, campaigns, the calendar's posts, publisher marks, Buffer config
        ("/", 10),
        # session, user, membership, accounts, campaigns, count, page
        ("/posts/", 9),
        # session, user, membership, accounts, Buffer config
        ("/accounts/", 7),
        # session, user, membership, counts per status, campaigns with their post counts
        ("/campaigns/", 7),
    ],
)
def test_pages_cost_the_same_for_a_member_of_a_team(team, count, path, queries, django_assert_num_queries):
    workspace, creator, member = team
    _fill(workspace, creator, count)
    client = Client()
    client.force_login(member)
    session = client.session
    session[SESSION_KEY] = workspace.pk
    session.save()
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
