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
from socialhub.tests.log_secrets import register_secret

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

    def link(self, *, log_safe: bool = True, **selection):
        """A link of the team's campaign (or of `selection`) made by the manager, and its token.

        The token is registered with the log scan (`socialhub.tests.log_secrets`): the session fails if
        it is ever logged. `log_safe=False` for a test whose request Django logs itself (a CSRF failure).
        """
        selection = selection or {"campaign_id": self.campaign.pk}
        link, token = review_link_create(
            workspace=self.workspace,
            actor=self.members[Role.MANAGER],
            expires_at=timezone.now() + dt.timedelta(days=7),
            **selection,
        )
        if log_safe:
            register_secret(token)
        return link, token


@pytest.fixture
def review_team(db) -> Team:
    workspace = WorkspaceFactory.create(name="Acme", timezone="Europe/Berlin")
    members = {role: MembershipFactory.create(workspace=workspace, role=role).user for role in Role.values}
    account = SocialAccountFactory.create(owner=members[Role.EDITOR], workspace=workspace, account_name="@acme")
    campaign = CampaignFactory.create(owner=members[Role.EDITOR], workspace=workspace, name="Spring sale")
    in_campaign = [
        PostFactory.create(social_account=account, campaign=campaign, content="Spring is here", scheduled_time=NOON),
        PostFactory.create(
            social_account=account,
            campaign=campaign,
            content="Sale ends soon",
            scheduled_time=NOON + dt.timedelta(days=2),
            media_urls=["https://cdn.example.com/sale.jpg"],
        ),
    ]
    outside = PostFactory.create(
        social_account=account, content="Unrelated news", scheduled_time=NOON + dt.timedelta(days=1)
    )
    outsider = UserFactory.create(username="rival")
    rival_workspace = WorkspaceFactory.create(name="Rival", timezone="Europe/Berlin")
    MembershipFactory.create(workspace=rival_workspace, user=outsider, role=Role.OWNER)
    rival_account = SocialAccountFactory.create(owner=outsider, workspace=rival_workspace)
    rival_campaign = CampaignFactory.create(owner=outsider, workspace=rival_workspace, name="Rival campaign")
    other = PostFactory.create(
        social_account=rival_account, campaign=rival_campaign, content="Rival secret plan", scheduled_time=NOON
    )
    return Team(workspace, members, campaign, in_campaign, outside, other, outsider, {"rival_campaign": rival_campaign})
