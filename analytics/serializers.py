from __future__ import annotations

from rest_framework import serializers

from analytics.models import AnalyticsSource, AnalyticsSyncJob, PostAnalytics
from kernel.api.strict import StrictModelSerializer
from kernel.tenancy import request_workspace
from posts.models import Post

# Far beyond any real post, and low enough that sums over a campaign cannot overflow a 64-bit integer.
MAX_COUNT = 10**12


def _count(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_COUNT, **kwargs)


class OwnPostField(serializers.PrimaryKeyRelatedField):
    """A post id of the request's workspace: another workspace's post is as unknown as a missing one."""

    def get_queryset(self):
        return Post.objects.in_workspace(request_workspace(self.context["request"]))


class PostAnalyticsSerializer(StrictModelSerializer):
    post_id = OwnPostField(source="post")
    campaign_id = serializers.IntegerField(source="post.campaign_id", read_only=True, allow_null=True)
    platform = serializers.CharField(source="post.platform", read_only=True)
    views = _count()
    likes = _count()
    shares = _count()
    comments = _count()
    clicks = _count(required=False, allow_null=True)
    engagement_rate = serializers.FloatField(
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Optional: computed as (likes + shares + comments) / views x 100 when omitted; "
        "when given it must match that within 0.01.",
    )
    # A field named like Field.source, which the stubs type as that string.
    source = serializers.ChoiceField(choices=AnalyticsSource.choices, required=False)  # type: ignore[assignment]
    recorded_at = serializers.DateTimeField(
        required=False, help_text="When the numbers were read. Default now; without an offset, the user's timezone."
    )

    class Meta:
        model = PostAnalytics
        fields = [
            "id",
            "post_id",
            "campaign_id",
            "platform",
            "views",
            "likes",
            "shares",
            "comments",
            "clicks",
            "engagement_rate",
            "source",
            "recorded_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class SyncJobSerializer(serializers.ModelSerializer):
    job_id = serializers.IntegerField(source="id", read_only=True)

    class Meta:
        model = AnalyticsSyncJob
        fields = [
            "job_id",
            "status",
            "posts_checked",
            "snapshots_created",
            "posts_failed",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "retry_at",
        ]
        read_only_fields = fields


class SyncStartedSerializer(serializers.Serializer):
    job_id = serializers.IntegerField()
    status = serializers.CharField()


# A campaign's aggregated analytics (GET /campaigns/{id}/analytics).
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
