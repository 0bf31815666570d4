"""Pages show a member only the buttons their role can use (the server refuses the others anyway)."""

import pytest
from django.test import Client

from accounts.models import Role
from accounts.scoping import SESSION_KEY
from accounts.tests.factories import MembershipFactory, SocialAccountFactory
from campaigns.tests.factories import CampaignFactory
from posts.models import PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    owner = MembershipFactory(role=Role.OWNER)
    account = SocialAccountFactory(owner=owner.user, workspace=owner.workspace)
    post = PostFactory(social_account=account, status=PostStatus.SCHEDULED)
    campaign = CampaignFactory(owner=owner.user, workspace=owner.workspace)
    return owner.workspace, post, campaign


def _page(workspace, role, path):
    member = MembershipFactory(workspace=workspace, role=role)
    client = Client()
    client.force_login(member.user)
    session = client.session
    session[SESSION_KEY] = workspace.pk
    session.save()
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


WRITES = {
    "/": ["+ New post"],
    "/posts/": ["+ New post"],
    "/posts/{post}/": ["Delete post", "Cancel post", ">Edit<", "Add comment"],
    "/campaigns/": ["+ New campaign"],
    "/campaigns/{campaign}/": [">Edit<"],
    "/accounts/": ["Connect from Buffer", ">Test<", "Save token"],
}
NEEDS = {
    "/": Role.CONTRIBUTOR,
    "/posts/": Role.CONTRIBUTOR,
    "/posts/{post}/": Role.CONTRIBUTOR,
    "/campaigns/": Role.EDITOR,
    "/campaigns/{campaign}/": Role.EDITOR,
    "/accounts/": Role.MANAGER,
}
ORDER = [Role.VIEWER, Role.CONTRIBUTOR, Role.EDITOR, Role.MANAGER]


@pytest.mark.parametrize("path", list(WRITES))
@pytest.mark.parametrize("role", ORDER)
def test_write_buttons_follow_the_role(team, path, role):
    workspace, post, campaign = team
    html = _page(workspace, role, path.format(post=post.pk, campaign=campaign.pk))
    shown = ORDER.index(role) >= ORDER.index(NEEDS[path])
    for label in WRITES[path]:
        assert (label in html) is shown, f"{role} on {path}: {label!r} {'missing' if shown else 'shown'}"
