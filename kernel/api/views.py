"""Building blocks every API view shares: user-scoped querysets and the user's timezone."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import mixins, viewsets


class UserTimezoneMixin:
    """Naive datetimes in input are read, and datetimes in output written, in the caller's timezone."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user and request.user.is_authenticated:
            timezone.activate(request.user.tzinfo)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        timezone.deactivate()
        return response


class OwnedViewSet(UserTimezoneMixin, viewsets.GenericViewSet):
    """Objects of other users do not exist here: their ids answer 404 like unknown ones.

    Subclasses set `queryset`; `get_queryset()` narrows it to the caller with the model's
    `owned_by()` QuerySet method.
    """

    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return super().get_queryset().owned_by(self.request.user)


class OwnedModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OwnedViewSet,
):
    """CRUD on the caller's own objects; subclasses hand each write to a service in perform_*.

    PUT keeps the fields it omits, like PATCH: write-only secrets and output-only fields could never
    round-trip through a full replacement.
    """

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)
