"""The JSON shapes of posts: input is checked for type here, for the product's rules in `posts.rules`."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Platform, validate_timezone
from kernel.api.datetimes import EARLIEST, LATEST, DateTimeInputField, date_range_error
from kernel.api.datetimes import INPUT_HELP as DATETIME_HELP
from kernel.api.filters import MAX_ID
from kernel.api.strict import StrictModelSerializer, StrictSerializer
from posts import network_options as options
from posts.media import MAX_MEDIA_IDS, media_summary, post_media_items
from posts.models import Post, PostStatus
from posts.series_serializers import SCOPE_HELP, SCOPES, RecurrenceField
from posts.services import MAX_BULK

MAX_CALENDAR_DAYS = 366


def _text(description: str, max_length: int | None = None) -> dict:
    schema = {"type": "string", "description": description}
    return {**schema, "maxLength": max_length} if max_length else schema


# One object for every network: which keys a post may use depends on its account's network (a
# oneOf would be ambiguous, `{}` fits them all). Rules and defaults: posts.network_options.
NETWORK_OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "description": "Options for the post's own network; a key of another network is a 400 naming it. "
    "instagram: type, share_to_feed, first_comment. pinterest: board_id (required unless the account "
    "has a default board), title. youtube: title (required), category_id, privacy. googlebusiness: type. "
    "facebook, linkedin: first_comment. twitter, threads, bluesky: thread. Other networks take none. "
    "Returned as stored: defaults are filled in when the post is sent to Buffer.",
    "properties": {
        "type": {
            "type": "string",
            "enum": [*options.INSTAGRAM_TYPES, *options.GOOGLE_TYPES],
            "description": "instagram: post | story | reel (default post); googlebusiness: whats_new | offer "
            "| event (default whats_new).",
        },
        "share_to_feed": {"type": "boolean", "description": "instagram (default true): a reel also in the feed."},
        "first_comment": _text(
            "instagram, facebook, linkedin: posted as the first comment.", options.FIRST_COMMENT_MAX
        ),
        "board_id": _text("pinterest: one of the account's boards (GET /accounts/{id}: pinterest_boards).", 64),
        "title": _text(
            f"youtube (required, at most {options.YOUTUBE_TITLE_MAX} characters); pinterest (optional).",
            options.YOUTUBE_TITLE_MAX,
        ),
        "category_id": _text('youtube: the video category (default "22", People & Blogs).', 8),
        "privacy": {
            "type": "string",
            "enum": list(options.YOUTUBE_PRIVACY),
            "description": "youtube (default public).",
        },
        "thread": {
            "type": "array",
            "maxItems": options.MAX_THREAD_PARTS,
            "items": {"type": "string"},
            "description": "twitter, threads, bluesky: follow-up posts, each within the network's length rule.",
        },
    },
}


@extend_schema_field(NETWORK_OPTIONS_SCHEMA)
class NetworkOptionsField(serializers.JSONField):
    """Only checks that it is an object: the keys and values are the service's rules (per network)."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError("Must be an object of options for the post's network.")
        return super().to_internal_value(data)


class MediaIdsField(serializers.ListField):
    """The post's library items in order: written as ids, read from its `media_links` (prefetched on lists)."""

    def get_attribute(self, instance):
        return [item.pk for item in post_media_items(instance)]


class PostMediaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    url = serializers.CharField(help_text="The public URL Buffer fetches the file from.")
    thumbnail_url = serializers.CharField(allow_null=True)
    alt_text = serializers.CharField()


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
    media_ids = MediaIdsField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_MEDIA_IDS,
        required=False,
        help_text="Items of the workspace's media library (GET /media), in order; sent to Buffer before media_urls. "
        "Each must suit the account's network.",
    )
    media = serializers.SerializerMethodField(help_text="The library items of media_ids, with their public URLs.")
    network_options = NetworkOptionsField(required=False)
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
        "else draft); `scheduled` by a member whose posts need approval gives `pending_approval`. Later "
        "changes go through /schedule, /cancel, /reschedule, /submit, /approve and /reject.",
    )
    approval_required = serializers.BooleanField(
        read_only=True,
        help_text="The post goes out only once approved (its author needs approval, or it was submitted).",
    )
    approved_by = serializers.CharField(
        source="approver_name",
        read_only=True,
        help_text="Who approved the current content: a member's username, or the name a client gave on a "
        'review link; "" while it is not approved (editing approved content or media withdraws the approval).',
    )
    rejected_by = serializers.CharField(
        source="rejected_by_name", read_only=True, help_text="Who rejected it last (until it is approved)."
    )
    group_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The post group it is a delivery of (/post-groups/{id}), or null."
    )
    # Recurring posts (posts.recurrence, posts.series_serializers).
    recurrence = RecurrenceField()
    scope = serializers.ChoiceField(choices=SCOPES, required=False, write_only=True, help_text=SCOPE_HELP)
    series_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The recurring series this post is an occurrence of, or null."
    )
    queued = serializers.BooleanField(
        read_only=True,
        help_text="In its account's queue (POST /posts/{id}/queue): scheduled_time is one of the account's time "
        "slots. A time set by hand takes it out.",
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
            "media_ids",
            "media",
            "network_options",
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
            "approval_required",
            "submitted_at",
            "approved_at",
            "approved_by",
            "approval_note",
            "rejected_at",
            "rejected_by",
            "rejection_comment",
            "group_id",
            "series_id",
            "recurrence",
            "scope",
            "occurrence_at",
            "series_detached",
            "queued",
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
            "submitted_at",
            "approved_at",
            "approval_note",
            "rejected_at",
            "rejection_comment",
            "occurrence_at",
            "series_detached",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "occurrence_at": {"help_text": "Its occurrence of the series (UTC; the key: never made twice)."},
            "series_detached": {"help_text": "Edited on its own (scope=this): no longer follows its series."},
            "submitted_at": {"help_text": "When it was last submitted for approval."},
            "approved_at": {"help_text": "When its current content was approved; null while it is not."},
            "approval_note": {"help_text": "The approver's comment, if they gave one."},
            "rejection_comment": {"help_text": "What the last rejection asked to change; kept until it is approved."},
        }

    @extend_schema_field(PostMediaSerializer(many=True))
    def get_media(self, post: Post) -> list[dict]:
        return media_summary(post)


class PostBulkItemSerializer(PostSerializer):
    queue = serializers.BooleanField(
        required=False,
        write_only=True,
        help_text="true: add the post to its account's queue (the next free time slot, in item order) "
        "instead of giving a scheduled_time.",
    )

    class Meta(PostSerializer.Meta):
        fields = [*PostSerializer.Meta.fields, "queue"]


class PostBulkSerializer(StrictSerializer):
    # many=True hands allow_empty/max_length to the ListSerializer; the stubs check them against PostSerializer.
    posts = PostBulkItemSerializer(many=True, allow_empty=False, max_length=MAX_BULK)  # type: ignore[call-arg]


class PostBulkResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    posts = PostSerializer(many=True)


def bulk_errors_by_index(errors: dict) -> dict:
    """DRF reports item errors as a list aligned with the input; we key them by item index."""
    items = errors.get("posts")
    if isinstance(items, list) and all(isinstance(item, dict) for item in items):
        return {str(index): item for index, item in enumerate(items) if item}
    return errors


class ApproveSerializer(StrictSerializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Optional note for the author."
    )


class RejectSerializer(StrictSerializer):
    comment = serializers.CharField(
        allow_blank=True, max_length=2000, help_text="What should change (required, not blank); shown on the post."
    )


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
    rejected = serializers.BooleanField(help_text="A draft a reviewer rejected (its rejection_comment says why).")
    platform = serializers.CharField()
    network_options = NetworkOptionsField()
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
