from __future__ import annotations

from rest_framework import serializers

from accounts.models import Platform, SocialAccount, User
from accounts.services import BufferAnswer
from kernel.api.strict import StrictModelSerializer
from kernel.api.validators import validate_access_token
from kernel.tokens import MAX_ACCESS_TOKEN_LENGTH


class PinterestBoardSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_blank=True, default="")


class SocialAccountSerializer(StrictModelSerializer):
    """Output, and the shape of input. `access_token` is write-only; responses say `has_access_token`."""

    access_token = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=MAX_ACCESS_TOKEN_LENGTH,
        trim_whitespace=True,
        validators=[validate_access_token],
        help_text="The network's own credential for this account (not a Buffer token: Buffer calls use "
        "your Buffer config). Printable ASCII without spaces (header-safe). Write-only, stored encrypted, "
        "never returned or sent to Buffer.",
    )
    platform = serializers.ChoiceField(choices=Platform.choices)
    has_access_token = serializers.BooleanField(read_only=True)
    pinterest_boards = PinterestBoardSerializer(
        many=True, read_only=True, help_text="Pinterest: the account's boards from the last sync (empty elsewhere)."
    )
    default_pinterest_board_id = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="Pinterest: the board a post uses when its network_options name none; one of pinterest_boards "
        "(set it after a sync, or empty).",
    )

    class Meta:
        model = SocialAccount
        fields = [
            "id",
            "platform",
            "account_name",
            "buffer_profile_id",
            "access_token",
            "has_access_token",
            "is_active",
            "connection_status",
            "last_checked_at",
            "last_error",
            "service_type",
            "service_username",
            "avatar_url",
            "profile_timezone",
            "posting_schedule",
            "buffer_organization_id",
            "pinterest_boards",
            "default_pinterest_board_id",
            "last_synced_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "buffer_organization_id",
            "connection_status",
            "last_checked_at",
            "last_error",
            "service_type",
            "service_username",
            "avatar_url",
            "profile_timezone",
            "posting_schedule",
            "last_synced_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"buffer_profile_id": {"required": False, "allow_blank": True}}


class ConnectionCheckSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    connection_status = serializers.CharField()
    checked_at = serializers.DateTimeField()
    message = serializers.CharField()
    token_source = serializers.ChoiceField(
        choices=["buffer_config"], help_text="Which credential was used: always your active Buffer config."
    )
    buffer_config_id = serializers.IntegerField(help_text="The Buffer config that was used (its token is never shown).")
    buffer_api = serializers.CharField(help_text="`graphql` or `v1`.")
    buffer_answer = serializers.ChoiceField(choices=[answer.value for answer in BufferAnswer])


class MeSerializer(StrictModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "timezone", "date_joined"]
        read_only_fields = ["id", "username", "date_joined"]
