"""What every page's top bar needs, each evaluated only when a template shows it: the workspace switcher
and the bell's unread count."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, cached_property

from accounts.notifications import notification_unread_count
from accounts.roles import Capability, role_allows
from accounts.scoping import request_membership
from web.accounts.workspaces import switcher_context


def workspace_switcher(request: HttpRequest) -> dict:
    return {"workspace_switcher": SimpleLazyObject(lambda: switcher_context(request))}


class Bell:
    """The signed-in user's unread notifications: one COUNT query, on first use, however often it is shown."""

    def __init__(self, user) -> None:
        self._user = user

    @cached_property
    def unread(self) -> int:
        return notification_unread_count(user=self._user)


def notifications(request: HttpRequest) -> dict[str, Bell]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": Bell(user)}


class MemberCan:
    """What the member's role allows in the workspace the page acts in, for hiding buttons they cannot use
    (the server refuses them anyway). The membership is the request's, already looked up by the view."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def _role(self) -> str:
        return request_membership(self._request).role

    @property
    def edit_posts(self) -> bool:
        return role_allows(self._role, Capability.EDIT_POSTS)

    @property
    def edit_campaigns(self) -> bool:
        return role_allows(self._role, Capability.EDIT_CAMPAIGNS)

    @property
    def manage(self) -> bool:
        return role_allows(self._role, Capability.MANAGE)


def member_can(request: HttpRequest) -> dict[str, MemberCan]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"member_can": MemberCan(request)}
