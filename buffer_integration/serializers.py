from __future__ import annotations

from rest_framework import serializers

from buffer_integration.models import BufferApi, BufferConfig
from buffer_integration.services import buffer_api_notice
from socialhub.api.strict import StrictModelSerializer
from socialhub.api.validators import validate_access_token
from socialhub.tokens import MAX_ACCESS_TOKEN_LENGTH


class BufferConfigSerializer(StrictModelSerializer):
    access_token = serializers.CharField(
        write_only=True,
        max_length=MAX_ACCESS_TOKEN_LENGTH,
        validators=[validate_access_token],
        help_text="Write-only. Header-safe: printable ASCII, no spaces. Validated against Buffer, stored encrypted.",
    )
    api = serializers.ChoiceField(
        choices=BufferApi.choices,
        required=False,
        help_text="Which Buffer API the credential is for: `graphql` (an API key; the default) or `v1`.",
    )
    has_access_token = serializers.BooleanField(read_only=True)
    deprecation = serializers.SerializerMethodField(
        help_text='Non-empty for a `v1` config: Buffer retires its REST API on 2027-02-01 ("" for `graphql`).'
    )

    class Meta:
        model = BufferConfig
        fields = [
            "id",
            "api",
            "access_token",
            "has_access_token",
            "deprecation",
            "is_active",
            "buffer_user_id",
            "buffer_timezone",
            "buffer_plan",
            "last_validated_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "buffer_user_id",
            "buffer_timezone",
            "buffer_plan",
            "last_validated_at",
            "created_at",
            "updated_at",
        ]

    def get_deprecation(self, obj: BufferConfig) -> str:
        return buffer_api_notice(obj.api)


class BufferProfileSerializer(serializers.Serializer):
    id = serializers.CharField()
    service = serializers.CharField()
    platform = serializers.CharField()
    service_type = serializers.CharField()
    service_username = serializers.CharField()
    formatted_username = serializers.CharField()
    avatar_url = serializers.CharField()
    timezone = serializers.CharField()
    schedules = serializers.ListField(child=serializers.DictField())
    is_disconnected = serializers.BooleanField()
    followers = serializers.IntegerField(allow_null=True)
    organization_id = serializers.CharField(help_text='Buffer\'s organization holding the channel ("" on v1).')
    boards = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Pinterest: the channel's boards, `[{id, name}]` (`id` is the board a post's `board_id` names).",
    )
    can_publish = serializers.BooleanField(
        help_text="Whether Buffer's API can post to this network (TikTok: no; post there from Buffer's app)."
    )
    connected_account_id = serializers.IntegerField(
        allow_null=True, help_text="The SocialAccount already connected to this profile, if any."
    )
