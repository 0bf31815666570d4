"""Query parameters of post lists (`GET /posts`, the calendar and a campaign's posts)."""

from __future__ import annotations

import django_filters
from django.db.models import F

from accounts.models import Platform
from kernel.api.datetimes import INPUT_HELP as DATETIME_HELP
from kernel.api.filters import DateTimeInputFilter, IdFilter
from posts.models import PostStatus

ORDERINGS = [
    ("scheduled_time", "scheduled_time, earliest first"),
    ("-scheduled_time", "scheduled_time, latest first"),
    ("created_at", "created_at, oldest first"),
    ("-created_at", "created_at, newest first"),
]


class PostFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PostStatus.choices, help_text="Repeat for several.")
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    campaign_id = IdFilter(field_name="campaign_id")
    social_account_id = IdFilter(field_name="social_account_id")
    group_id = IdFilter(field_name="group_id", help_text="Only the deliveries of this post group.")
    scheduled_from = DateTimeInputFilter(field_name="scheduled_time", lookup_expr="gte", help_text=DATETIME_HELP)
    scheduled_to = DateTimeInputFilter(field_name="scheduled_time", lookup_expr="lte", help_text=DATETIME_HELP)
    q = django_filters.CharFilter(method="search", help_text="Text the content contains (case-insensitive).")
    ordering = django_filters.ChoiceFilter(choices=ORDERINGS, method="order", help_text="Default: scheduled_time.")

    class Meta:
        # No `model`: campaigns' `GET /campaigns/{id}/posts` reuses this set on another viewset.
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(content__icontains=value.strip()) if value.strip() else queryset

    def order(self, queryset, name, value):
        descending = value.startswith("-")
        field = F(value.lstrip("-"))
        # Unscheduled drafts last either way (databases disagree on NULLs); the id breaks ties so
        # skip/limit pages never repeat or drop a post.
        key = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
        return queryset.order_by(key, "-id" if descending else "id")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            queryset = self.order(queryset, "ordering", "scheduled_time")
        return queryset
