"""The JSON shapes of posts: input is checked for type here, for the product's rules in `posts.rules`."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from rest_framework import serializers

from accounts.models import Platform, validate_timezone
from posts.models import Post, PostStatus
from posts.services import MAX_BULK
from socialhub.api.datetimes import EARLIEST, LATEST, DateTimeInputField, date_range_error
from socialhub.api.datetimes import INPUT_HELP as DATETIME_HELP
from socialhub.api.filters import MAX_ID
from socialhub.api.strict import StrictModelSerializer, StrictSerializer

MAX_CALENDAR_DAYS = 366


class PostSerializer(StrictModelSerializer):
    """Output, and the shape of input. Fields listed as read-only are ignored when sent."""

    social_account_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="One of your social accounts."
    )
    campaign_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, allow_null=True, required=False, help_text="One of your campaigns, or null."
    )
    platform = serializers.ChoiceField(
        choices=Platform.choices, required=False, help_text="Defaults to the account's platform and must match it."
    )
    content = serializers.CharField(max_length=10_000, help_text="Checked against the network's length rules.")
    media_urls = serializers.ListField(
        child=serializers.CharField(max_length=2000),
        max_length=50,
        required=False,
        help_text="http(s) URLs of images (jpg, jpeg, png, gif, webp) or videos (mp4, mov, m4v, webm).",
    )
    scheduled_time = DateTimeInputField(
        allow_null=True,
        required=False,
        help_text=f"{DATETIME_HELP} At most SCHEDULE_HORIZON_DAYS (default 1826) days ahead.",
    )
    in_buffer_queue = serializers.BooleanField(
        read_only=True,
        help_text="True once POST /posts/{id}/schedule handed the post to Buffer's queue: status stays "
        "`scheduled`, and Buffer (not SocialHub's engine) publishes it at its time.",
    )
    status = serializers.ChoiceField(
        choices=PostStatus.choices,
        required=False,
        help_text="On create: `draft` or `scheduled` (default: scheduled when scheduled_time is given, "
        "else draft). Later changes go through /schedule, /cancel and /reschedule.",
    )

    class Meta:
        model = Post
        fields = [
            "id",
            "social_account_id",
            "campaign_id",
            "platform",
            "content",
            "media_urls",
            "scheduled_time",
            "status",
            "in_buffer_queue",
            "published_at",
            "buffer_update_id",
            "handed_to_buffer_at",
            "service_link",
            "attempts",
            "last_error",
            "hold_reason",
            "retry_at",
            "lateness_seconds",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "published_at",
            "buffer_update_id",
            "handed_to_buffer_at",
            "service_link",
            "attempts",
            "last_error",
            "hold_reason",
            "retry_at",
            "lateness_seconds",
            "created_at",
            "updated_at",
        ]


class PostBulkSerializer(StrictSerializer):
    posts = PostSerializer(many=True, allow_empty=False, max_length=MAX_BULK)


class PostBulkResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    posts = PostSerializer(many=True)


def bulk_errors_by_index(errors: dict) -> dict:
    """DRF reports item errors as a list aligned with the input; we key them by item index."""
    items = errors.get("posts")
    if isinstance(items, list) and all(isinstance(item, dict) for item in items):
        return {str(index): item for index, item in enumerate(items) if item}
    return errors


class RescheduleSerializer(StrictSerializer):
    scheduled_time = DateTimeInputField(
        help_text=f"In the future, at most SCHEDULE_HORIZON_DAYS (default 1826) days ahead. {DATETIME_HELP}",
    )


def _in_range(value: dt.date) -> dt.date:
    error = date_range_error(value)
    if error:
        raise serializers.ValidationError(error)
    return value


class CalendarQuerySerializer(serializers.Serializer):
    start_date = serializers.DateField(help_text=f"First day shown (YYYY-MM-DD), inclusive; {EARLIEST} or later.")
    end_date = serializers.DateField(
        help_text=f"Last day shown, inclusive; at most {MAX_CALENDAR_DAYS} days in all, {LATEST} at the latest."
    )
    tz = serializers.CharField(
        required=False, validators=[validate_timezone], help_text="IANA timezone of the days; default: yours."
    )

    def validate_tz(self, value: str) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(value)  # a name of the tz database: checked by validate_timezone

    def validate_start_date(self, value: dt.date) -> dt.date:
        return _in_range(value)

    def validate_end_date(self, value: dt.date) -> dt.date:
        return _in_range(value)

    def validate(self, attrs: dict) -> dict:
        days = (attrs["end_date"] - attrs["start_date"]).days + 1
        if days < 1:
            raise serializers.ValidationError({"end_date": ["Must not be before start_date."]})
        if days > MAX_CALENDAR_DAYS:
            raise serializers.ValidationError({"end_date": [f"At most {MAX_CALENDAR_DAYS} days per request."]})
        return attrs


class CalendarPostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    content = serializers.CharField()
    status = serializers.ChoiceField(choices=PostStatus.choices)
    in_buffer_queue = serializers.BooleanField(help_text="Handed to Buffer's queue (see the post's field).")
    platform = serializers.CharField()
    scheduled_time = serializers.DateTimeField(help_text="In the calendar's timezone.")
    social_account_id = serializers.IntegerField()
    campaign_id = serializers.IntegerField(allow_null=True)


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    total = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Posts of the day per status; every status is present."
    )
    posts = CalendarPostSerializer(many=True, help_text="Ordered by scheduled_time.")


class CalendarSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    timezone = serializers.CharField()
    total = serializers.IntegerField()
    days = CalendarDaySerializer(many=True, help_text="Every day of the range, empty ones included.")
