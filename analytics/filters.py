import django_filters

from accounts.models import Platform
from analytics.models import AnalyticsSource, PostAnalytics
from kernel.api.filters import DateTimeInputFilter, IdFilter


class PostAnalyticsFilter(django_filters.FilterSet):
    """Every filter narrows the caller's own snapshots: another user's ids simply match nothing."""

    post_id = IdFilter(field_name="post_id")
    campaign_id = IdFilter(field_name="post__campaign_id")
    platform = django_filters.ChoiceFilter(field_name="post__platform", choices=Platform.choices)
    source = django_filters.ChoiceFilter(choices=AnalyticsSource.choices)
    # Read like every date-time of the API (offsets within ±15:59, years 1900-2999, your timezone).
    recorded_from = DateTimeInputFilter(
        field_name="recorded_at", lookup_expr="gte", help_text="recorded_at >= this (ISO 8601)"
    )
    recorded_to = DateTimeInputFilter(
        field_name="recorded_at", lookup_expr="lte", help_text="recorded_at <= this (ISO 8601)"
    )

    class Meta:
        model = PostAnalytics
        fields = ["post_id", "campaign_id", "platform", "source", "recorded_from", "recorded_to"]
