"""Building blocks every API view shares: workspace-scoped querysets and the user's timezone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.db import models
from django.utils import timezone
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kernel.tenancy import WorkspaceScopedView, request_workspace
from kernel.users import request_user

if TYPE_CHECKING:
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


class _WorkspaceQuerySet(Protocol):
    def in_workspace(self, workspace: Any) -> models.QuerySet[Any]: ...


class OwnedViewSet(UserTimezoneMixin, WorkspaceScopedView, viewsets.GenericViewSet[_M]):
    """Objects of other workspaces do not exist here: their ids answer 404 like unknown ones.

    Subclasses set `queryset`; `get_queryset()` narrows it to the request's workspace (`kernel.tenancy`,
    which accounts provides) with the model's `in_workspace()` QuerySet method. `capabilities` names what
    each write action needs (the `WorkspaceRole` permission checks it before the action runs).
    """

    lookup_value_regex = r"[0-9]+"

    @property
    def workspace(self) -> Any:
        return request_workspace(self.request)

    def get_queryset(self) -> models.QuerySet[_M]:
        queryset: models.QuerySet[_M] = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller, no workspace
            return queryset.none()
        scoped: _WorkspaceQuerySet = queryset  # type: ignore[assignment]  # each model's QuerySet method
        return scoped.in_workspace(self.workspace)


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
