"""Template context every page gets: the top bar's workspace switcher, evaluated only when a page shows it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from web.accounts.workspaces import switcher_context


def workspace_switcher(request: HttpRequest) -> dict:
    return {"workspace_switcher": SimpleLazyObject(lambda: switcher_context(request))}
