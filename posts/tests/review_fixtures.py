"""A team workspace for the review-link tests: one member per role, posts in and out of a campaign,
and another workspace with posts on the same days (which no link of the team may show)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from accounts.models import Role, User, Workspace
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, UserFactory, WorkspaceFactory
from campaigns.models import Campaign
from campaigns.tests.factories import CampaignFactory
from posts.models import Post
from posts.review_links import review_link_create
from posts.tests.factories import PostFactory

# Noon in Berlin, a day that is no DST boundary: local days and UTC days differ by one or two hours.
NOON = dt.datetime(2031, 5, 14, 10, 0, tzinfo=dt.UTC)


@dataclass
class Team:
    workspace: Workspace
    members: dict[str, User]
    campaign: Campaign
    in_campaign: list[Post]
    outside_campaign: Post
    other_workspace_post: Post
    outsider: User
    extra: dict = field(default_factory=dict)

    def link(self, **selection):
        selection = selection or {"campaign_id": self.campaign.pk}
        return review_link_create(
            workspace=self.workspace,
            actor=self.members[Role.MANAGER],
            expires_at=timezone.now() + dt.timedelta(days=7),
            **selection,
        )


@pytest.fixture
def team(db) -> Team:
    workspace = WorkspaceFactory(name="Acme", timezone="Europe/Berlin")
    members = {role: MembershipFactory(workspace=workspace, role=role).user for role in Role.values}
    account = SocialAccountFactory(owner=members[Role.EDITOR], workspace=workspace, account_name="@acme")
    campaign = CampaignFactory(owner=members[Role.EDITOR], workspace=workspace, name="Spring sale")
    in_campaign = [
        PostFactory(social_account=account, campaign=campaign, content="Spring is here", scheduled_time=NOON),
        PostFactory(
            social_account=account,
            campaign=campaign,
            content="Sale ends soon",
            scheduled_time=NOON + dt.timedelta(days=2),
            media_urls=["https://cdn.example.com/sale.jpg"],
        ),
    ]
    outside = PostFactory(social_account=account, content="Unrelated news", scheduled_time=NOON + dt.timedelta(days=1))
    outsider = UserFactory(username="rival")
    rival_workspace = WorkspaceFactory(name="Rival", timezone="Europe/Berlin")
    MembershipFactory(workspace=rival_workspace, user=outsider, role=Role.OWNER)
    rival_account = SocialAccountFactory(owner=outsider, workspace=rival_workspace)
    rival_campaign = CampaignFactory(owner=outsider, workspace=rival_workspace, name="Rival campaign")
    other = PostFactory(
        social_account=rival_account, campaign=rival_campaign, content="Rival secret plan", scheduled_time=NOON
    )
    return Team(workspace, members, campaign, in_campaign, outside, other, outsider, {"rival_campaign": rival_campaign})
