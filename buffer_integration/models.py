from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from socialhub.models import EncryptedAccessTokenModel, TimestampedModel


class BufferApi(models.TextChoices):
    V1 = "v1", "Buffer REST API v1"


class BufferConfigQuerySet(models.QuerySet):
    def owned_by(self, user) -> BufferConfigQuerySet:
        return self.filter(owner=user)

    def active(self) -> BufferConfigQuerySet:
        return self.filter(is_active=True)


class BufferConfig(TimestampedModel, EncryptedAccessTokenModel):
    """A user's Buffer credential. At most one is active: the one the product publishes with."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buffer_configs")
    api = models.CharField(max_length=10, choices=BufferApi.choices, default=BufferApi.V1)
    is_active = models.BooleanField(default=True)
    buffer_user_id = models.CharField(max_length=64, blank=True, default="")
    buffer_timezone = models.CharField(max_length=64, blank=True, default="")
    buffer_plan = models.CharField(max_length=32, blank=True, default="")
    last_validated_at = models.DateTimeField(null=True, blank=True)

    objects = BufferConfigQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_active=True), name="one_active_buffer_config_per_owner"
            )
        ]

    def __str__(self) -> str:
        return f"Buffer config #{self.pk} ({self.api}) of {self.owner_id}"
