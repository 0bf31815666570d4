"""What every page's top bar needs, each evaluated only when a template shows it: the workspace switcher
and the bell's unread count."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, cached_property

from accounts.notifications import notification_unread_count
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
