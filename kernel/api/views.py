"""Building blocks every API view shares: user-scoped querysets and the user's timezone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kernel.users import request_user

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User  # django-stubs: resolves to AUTH_USER_MODEL

    _ViewMixinBase = APIView  # what the mixin extends, for the checker; at run time a plain mixin
else:
    _ViewMixinBase = object

_M = TypeVar("_M", bound=models.Model)


class UserTimezoneMixin(_ViewMixinBase):
    """Naive datetimes in input are read, and datetimes in output written, in the caller's timezone."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.user and request.user.is_authenticated:
            timezone.activate(request_user(request).tzinfo)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        timezone.deactivate()
        return response


class _OwnedQuerySet(Protocol):
    def owned_by(self, user: User | AnonymousUser) -> models.QuerySet[Any]: ...


class OwnedViewSet(UserTimezoneMixin, viewsets.GenericViewSet[_M]):
    """Objects of other users do not exist here: their ids answer 404 like unknown ones.

    Subclasses set `queryset`; `get_queryset()` narrows it to the caller with the model's
    `owned_by()` QuerySet method.
    """

    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> models.QuerySet[_M]:
        queryset: models.QuerySet[_M] = super().get_queryset()
        owned: _OwnedQuerySet = queryset  # type: ignore[assignment]  # owned_by() is each model's QuerySet method
        return owned.owned_by(self.request.user)


class OwnedModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OwnedViewSet[_M],
):
    """CRUD on the caller's own objects; subclasses hand each write to a service in perform_*.

    PUT keeps the fields it omits, like PATCH: write-only secrets and output-only fields could never
    round-trip through a full replacement.
    """

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)
