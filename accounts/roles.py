"""What each workspace role may do: the one table every API view, page, admin action and task reads.

A member whose role does not allow an action gets `Forbidden` (403) naming the weakest role that would;
a non-member never gets here: the workspace is a 404 for them (`accounts.scoping`).
"""

from __future__ import annotations

import enum

from kernel.errors import Forbidden

from .models import Membership, Role

# Strongest first, as in `Role`: a role may do what any weaker role may.
_RANK = {role: rank for rank, role in enumerate(reversed(Role.values))}


class Capability(enum.Enum):
    """An action, named by the weakest role that may take it."""

    VIEW = Role.VIEWER  # read everything in the workspace
    EDIT_POSTS = Role.CONTRIBUTOR  # create, edit, delete posts (a contributor's always need approval)
    EDIT_CAMPAIGNS = Role.EDITOR  # campaigns, and posts that go out without approval
    APPROVE = Role.MANAGER  # approve or reject posts, create review links
    MANAGE = Role.MANAGER  # Buffer configs, social accounts, publisher setup, members, settings, audit log
    DELETE_WORKSPACE = Role.OWNER

    @property
    def weakest_role(self) -> Role:
        return Role(self.value)


def role_allows(role: str, capability: Capability) -> bool:
    return _RANK[role] >= _RANK[capability.weakest_role]


def role_at_least(role: str, weakest: Role) -> bool:
    return _RANK[role] >= _RANK[weakest]


def require(membership: Membership, capability: Capability) -> None:
    """Raises Forbidden unless the member's role allows `capability`."""
    if role_allows(membership.role, capability):
        return
    needed = capability.weakest_role
    or_higher = "" if needed == Role.OWNER else " or higher"
    raise Forbidden(
        f"This needs the {needed.label.lower()} role{or_higher} in this workspace; "
        f"you are {_with_article(Role(membership.role).label.lower())}."
    )


def _with_article(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"
