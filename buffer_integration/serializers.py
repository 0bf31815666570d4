from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from buffer_integration.budget import config_report
from buffer_integration.models import BufferApi, BufferConfig, BufferPlan
from buffer_integration.services import buffer_api_notice
from kernel.api.strict import StrictModelSerializer
from kernel.api.validators import validate_access_token
from kernel.tokens import MAX_ACCESS_TOKEN_LENGTH


class BudgetWindowSerializer(serializers.Serializer[Any]):
    window = serializers.ChoiceField(["1m", "15m", "24h", "30d"], help_text="Buffer's window for this key.")
    seconds = serializers.IntegerField(help_text="Length of the window.")
    used = serializers.IntegerField(help_text="Requests sent with this key in the window (all SocialHub processes).")
    limit = serializers.IntegerField(help_text="Requests Buffer allows in the window (from the config's plan).")
    remaining = serializers.IntegerField()
    refills_at = serializers.DateTimeField(
        allow_null=True, help_text="When the oldest counted requests leave the window; null when none is counted."
    )


class KeyBudgetSerializer(serializers.Serializer[Any]):
    config_id = serializers.IntegerField()
    # A field named like Field.label, which the stubs type as a string.
    label = serializers.CharField(help_text="Config id, API and plan: never the key.")  # type: ignore[assignment]
    api = serializers.ChoiceField(BufferApi.choices)
    plan = serializers.ChoiceField(BufferPlan.choices)
    blocked_until = serializers.DateTimeField(
        allow_null=True, help_text="Buffer answered 429: no request is sent with this key before then."
    )
    posts_per_day = serializers.IntegerField(
        allow_null=True, help_text="Posts one day's budget can carry; more on one day are refused. Null: no limit."
    )
    windows = BudgetWindowSerializer(many=True)


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
    plan = serializers.ChoiceField(
        choices=BufferPlan.choices,
        required=False,
        help_text="Your Buffer plan; it sets the key's request budget (100 / 15 min; 250 / day on Free and "
        "Essentials, 500 on Team; 3,000 / 7,500 / 15,000 per 30 days). Default `free`, the smallest.",
    )
    has_access_token = serializers.BooleanField(read_only=True)
    budget = serializers.SerializerMethodField()
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
            "plan",
            "budget",
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

    @extend_schema_field(KeyBudgetSerializer(allow_null=True))
    def get_budget(self, config: BufferConfig) -> dict[str, Any] | None:
        """The key's request use per window, shared by every SocialHub process (null: no readable key)."""
        report = config_report(config)
        return KeyBudgetSerializer(report).data if report is not None else None

    def get_deprecation(self, obj: BufferConfig) -> str:
        return buffer_api_notice(api=obj.api)


class BufferProfileSerializer(serializers.Serializer[Any]):
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
