from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    pass  # django-stubs: resolves to AUTH_USER_MODEL

from kernel.models import EncryptedAccessTokenModel, TimestampedModel


class BufferPlan(models.TextChoices):
    """Buffer's plan names: they set the API key's request budgets (buffer_integration.budget)."""

    FREE = "free", "Free"
    ESSENTIALS = "essentials", "Essentials"
    TEAM = "team", "Team"


class BufferApi(models.TextChoices):
    """Which Buffer API a credential is for; `buffer_integration.backends.get_backend` dispatches on it."""

    GRAPHQL = "graphql", "Buffer GraphQL API (API key)"
    V1 = "v1", "Buffer REST API v1 (pre-2019 app token)"


class BufferConfigQuerySet(models.QuerySet["BufferConfig"]):
    def in_workspace(self, workspace: Any) -> BufferConfigQuerySet:  # an accounts.Workspace (or its id)
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(workspace=workspace)

    def active(self) -> BufferConfigQuerySet:
        return self.filter(is_active=True)


class BufferConfig(TimestampedModel, EncryptedAccessTokenModel):
    """A user's Buffer credential. At most one is active: the one the product publishes with."""

    # Who created it (kept for the record); the workspace owns it and is the only scope.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buffer_configs")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="buffer_configs")
    # New configs default to GraphQL: the only API Buffer issues credentials for today.
    api = models.CharField(max_length=10, choices=BufferApi.choices, default=BufferApi.GRAPHQL)
    is_active = models.BooleanField(default=True)
    buffer_user_id = models.CharField(max_length=64, blank=True, default="")
    buffer_timezone = models.CharField(max_length=64, blank=True, default="")
    buffer_plan = models.CharField(max_length=32, blank=True, default="")  # as Buffer reported it, informational
    # The plan the request budget is computed from; the smallest unless the owner says otherwise.
    plan = models.CharField(max_length=12, choices=BufferPlan.choices, default=BufferPlan.FREE)
    last_validated_at = models.DateTimeField(null=True, blank=True)

    objects = BufferConfigQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"], condition=Q(is_active=True), name="one_active_buffer_config_per_workspace"
            )
        ]

    def __str__(self) -> str:
        return f"Buffer config #{self.pk} ({self.api}) of {self.owner_id}"
