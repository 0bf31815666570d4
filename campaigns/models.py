from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kernel.models import TimestampedModel


class CampaignStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"


class CampaignQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> CampaignQuerySet:
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(workspace=workspace)


class Campaign(TimestampedModel):
    # Who created it (kept for the record); the workspace owns it and is the only scope.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaigns")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "id"]
        indexes = [models.Index(fields=["workspace", "status"], name="campaign_workspace_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="campaign_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return self.name
