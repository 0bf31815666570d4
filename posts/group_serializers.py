"""The JSON shapes of post groups (`posts.groups`); every rule of a delivery is a single post's."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Platform
from kernel.api.datetimes import INPUT_HELP as DATETIME_HELP
from kernel.api.datetimes import DateTimeInputField
from kernel.api.filters import MAX_ID
from kernel.api.strict import StrictSerializer
from posts.groups import MAX_DELIVERIES
from posts.media import MAX_MEDIA_IDS
from posts.models import PostGroup, PostStatus
from posts.serializers import NetworkOptionsField, PostSerializer


def _media_ids() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_MEDIA_IDS,
        required=False,
        help_text="Items of the workspace's media library (GET /media), in order, as for a post.",
    )


def _media_urls() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=2000),
        max_length=50,
        required=False,
        help_text="http(s) URLs of images or videos, as for a post.",
    )


class PostGroupVariantSerializer(StrictSerializer):
    content = serializers.CharField(max_length=10_000, required=False, help_text="This delivery's own text.")
    media_urls = _media_urls()
    media_ids = _media_ids()
    network_options = NetworkOptionsField(required=False, help_text="This delivery's options (replace the shared).")

    def to_internal_value(self, data):
        # A misspelt override would silently send the shared value: refuse what a variant cannot override.
        stray = [key for key in data if key not in self.fields] if isinstance(data, dict) else []
        if stray:
            raise serializers.ValidationError(
                {key: [f"A variant overrides only {', '.join(self.fields)}."] for key in stray}
            )
        return super().to_internal_value(data)


class NetworkOptionsByNetworkField(serializers.DictField):
    def __init__(self, **kwargs):
        super().__init__(child=NetworkOptionsField(), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError("Must be an object keyed by network.")
        unknown = sorted(key for key in data if key not in Platform.values)
        if unknown:
            raise serializers.ValidationError({key: ["Not a network."] for key in unknown})
        return super().to_internal_value(data)


class VariantsField(serializers.DictField):
    def __init__(self, **kwargs):
        super().__init__(child=PostGroupVariantSerializer(), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError("Must be an object keyed by account id.")
        bad = [key for key in data if not (str(key).isdigit() and 1 <= int(key) <= MAX_ID)]
        if bad:
            raise serializers.ValidationError({key: ["Not an account id."] for key in bad})
        return {int(key): value for key, value in super().to_internal_value(data).items()}


class PostGroupCreateSerializer(StrictSerializer):
    social_account_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        min_length=1,
        max_length=MAX_DELIVERIES,
        help_text="One delivery (an ordinary post) per account, in this order.",
    )
    content = serializers.CharField(max_length=10_000, help_text="The shared text.")
    media_urls = _media_urls()
    media_ids = _media_ids()
    scheduled_time = DateTimeInputField(allow_null=True, required=False, help_text=DATETIME_HELP)
    campaign_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, allow_null=True, required=False)
    status = serializers.ChoiceField(
        choices=[PostStatus.DRAFT, PostStatus.SCHEDULED],
        required=False,
        help_text="For every delivery, as for a post (default: scheduled when scheduled_time is given).",
    )
    network_options = NetworkOptionsByNetworkField(
        required=False,
        help_text='Options per network (`{"instagram": {"first_comment": "..."}}`): each delivery takes its '
        "account's network's.",
    )
    variants = VariantsField(
        required=False,
        help_text="Overrides per delivery, keyed by account id (one of social_account_ids): content, media_urls, "
        "media_ids, network_options.",
    )


class PostGroupUpdateSerializer(StrictSerializer):
    content = serializers.CharField(
        max_length=10_000, required=False, help_text="New shared text: given to the deliveries not customised."
    )
    scheduled_time = DateTimeInputField(
        allow_null=True, required=False, help_text=f"New time of every editable delivery. {DATETIME_HELP}"
    )


class PostGroupSerializer(serializers.ModelSerializer):
    posts = PostSerializer(many=True, read_only=True, help_text="The deliveries, by id.")

    class Meta:
        model = PostGroup
        fields = ["id", "content", "posts", "created_at", "updated_at"]
        read_only_fields = fields
