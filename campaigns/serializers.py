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


class MetricTotalsSerializer(serializers.Serializer):
    posts = serializers.IntegerField(help_text="Posts that have at least one analytics snapshot.")
    views = serializers.IntegerField()
    likes = serializers.IntegerField()
    shares = serializers.IntegerField()
    comments = serializers.IntegerField()
    clicks = serializers.IntegerField()
    engagement_rate = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        coerce_to_string=False,
        help_text="(likes + shares + comments) / views x 100; 0 without views.",
    )


class PlatformMetricsSerializer(MetricTotalsSerializer):
    platform = serializers.CharField()


class DayMetricsSerializer(MetricTotalsSerializer):
    date = serializers.DateField(help_text="Day the posts were published (else scheduled), in the user's timezone.")


class TopPostSerializer(serializers.Serializer):
    post_id = serializers.IntegerField()
    platform = serializers.CharField()
    status = serializers.CharField()
    content = serializers.CharField()
    views = serializers.IntegerField()
    likes = serializers.IntegerField()
    shares = serializers.IntegerField()
    comments = serializers.IntegerField()
    engagements = serializers.IntegerField(help_text="likes + shares + comments")
    engagement_rate = serializers.DecimalField(max_digits=9, decimal_places=2, coerce_to_string=False)


class CampaignAnalyticsSerializer(serializers.Serializer):
    campaign_id = serializers.IntegerField()
    post_count = serializers.IntegerField(help_text="All posts of the campaign, whatever their status.")
    posts_by_status = serializers.DictField(child=serializers.IntegerField(), help_text="Every status, zeros included.")
    totals = MetricTotalsSerializer()
    by_platform = PlatformMetricsSerializer(many=True)
    by_day = DayMetricsSerializer(many=True)
    top_posts = TopPostSerializer(many=True, help_text="Up to 5 posts with the most engagements.")
