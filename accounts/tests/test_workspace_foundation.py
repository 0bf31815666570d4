"""The workspace foundation: personal workspaces, the role table, and which workspace a request acts in."""

import pytest
from django.test import RequestFactory

from accounts.models import Membership, Role
from accounts.roles import Capability, require, role_allows
from accounts.scoping import request_membership
from accounts.tests.factories import MembershipFactory, UserFactory, WorkspaceFactory
from accounts.workspaces import workspace_personal_for
from kernel.errors import Forbidden, InvalidInput, NotFound

pytestmark = pytest.mark.django_db


def test_personal_workspace_is_made_once_with_the_user_as_owner():
    user = UserFactory(timezone="Europe/Berlin")
    first = workspace_personal_for(user)
    user.refresh_from_db()
    assert workspace_personal_for(user) == first
    assert first.timezone == "Europe/Berlin"
    assert Membership.objects.get(workspace=first).user == user
    assert Membership.objects.get(workspace=first).role == Role.OWNER


@pytest.mark.parametrize(
    ("role", "capability", "allowed"),
    [
        (Role.VIEWER, Capability.VIEW, True),
        (Role.VIEWER, Capability.EDIT_POSTS, False),
        (Role.CONTRIBUTOR, Capability.EDIT_POSTS, True),
        (Role.CONTRIBUTOR, Capability.EDIT_CAMPAIGNS, False),
        (Role.EDITOR, Capability.EDIT_CAMPAIGNS, True),
        (Role.EDITOR, Capability.APPROVE, False),
        (Role.MANAGER, Capability.MANAGE, True),
        (Role.MANAGER, Capability.DELETE_WORKSPACE, False),
        (Role.OWNER, Capability.DELETE_WORKSPACE, True),
    ],
)
def test_role_table(role, capability, allowed):
    assert role_allows(role, capability) is allowed


def test_refusal_names_the_role_needed():
    membership = MembershipFactory(role=Role.CONTRIBUTOR)
    with pytest.raises(Forbidden, match="needs the manager role or higher in this workspace; you are a contributor"):
        require(membership, Capability.APPROVE)


def _request(user, **headers):
    request = RequestFactory().get("/", headers=headers)
    request.user = user
    return request


def test_request_acts_in_the_personal_workspace_by_default():
    user = UserFactory()
    assert request_membership(_request(user)).workspace == workspace_personal_for(user)


def test_header_names_a_workspace_the_caller_belongs_to():
    membership = MembershipFactory(role=Role.VIEWER)
    got = request_membership(_request(membership.user, **{"X-Workspace": str(membership.workspace_id)}))
    assert got == membership


def test_a_workspace_the_caller_is_not_in_is_not_found():
    outsider = UserFactory()
    other = WorkspaceFactory()
    with pytest.raises(NotFound):
        request_membership(_request(outsider, **{"X-Workspace": str(other.pk)}))


def test_a_header_that_is_not_an_id_is_bad_input():
    with pytest.raises(InvalidInput, match="X-Workspace must be a workspace id"):
        request_membership(_request(UserFactory(), **{"X-Workspace": "acme"}))
