from __future__ import annotations

from rest_framework import serializers

from campaigns.models import Campaign, CampaignStatus
from kernel.api.strict import StrictModelSerializer


class CampaignSerializer(StrictModelSerializer):
    """Dates are optional: a campaign without them is open-ended. `end_date` may not precede `start_date`."""

    status = serializers.ChoiceField(choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
    description = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = Campaign
        fields = ["id", "name", "description", "start_date", "end_date", "status", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "start_date": {"required": False, "allow_null": True},
            "end_date": {"required": False, "allow_null": True},
        }
