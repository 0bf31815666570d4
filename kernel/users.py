"""The signed-in user of a request, typed as the project's user model (`AUTH_USER_MODEL`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User  # django-stubs: resolves to AUTH_USER_MODEL
    from django.http import HttpRequest
    from rest_framework.request import Request


def request_user(request: HttpRequest | Request) -> User:
    """The caller of a view that requires a signed-in user (login_required, IsAuthenticated): those turn
    an anonymous caller away before the view runs, so this never refuses one in practice."""
    user = request.user
    if isinstance(user, AnonymousUser):
        raise PermissionDenied("Sign in first.")
    return user
