from __future__ import annotations

from rest_framework import serializers

from buffer_integration.models import BufferApi, BufferConfig
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

    class Meta:
        model = BufferConfig
        fields = [
            "id",
            "api",
            "access_token",
            "has_access_token",
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
    connected_account_id = serializers.IntegerField(
        allow_null=True, help_text="The SocialAccount already connected to this profile, if any."
    )
