"""Shapes of the management endpoints (JWT): post types, channels, apps, webhook secret, callback log.

Integrator-facing shapes (configs, post status) follow the seed and are built in `selectors`.
"""

from __future__ import annotations

from typing import Any, cast

from rest_framework import serializers

from kernel.api.strict import StrictModelSerializer
from kernel.tenancy import request_workspace
from posts.serializers import NetworkOptionsField
from publisher.models import CallbackAttempt, CallbackDelivery, Channel, IntegratorApp, PostKind, PostType


class PostTypeSerializer(StrictModelSerializer):
    config_id = serializers.CharField(read_only=True)
    social_account_id = serializers.IntegerField(source="network_target_id")
    kind = serializers.ChoiceField(choices=PostKind.choices)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    network_options = NetworkOptionsField(
        required=False,
        help_text="Defaults for the posts' network options (as on /api/v1/posts, e.g. a Pinterest board_id); "
        "payload keys title, first_comment, pinterest_board and thread override them.",
    )

    class Meta:
        model = PostType
        fields = [
            "id",
            "config_id",
            "social_account_id",
            "kind",
            "name",
            "description",
            "is_default",
            "network_options",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "config_id", "created_at", "updated_at"]


class PostTypeUpdateSerializer(PostTypeSerializer):
    """A post type stays on its network target: `social_account_id` in an update is ignored.

    Declared again because `Meta.read_only_fields` does not apply to explicitly declared fields.
    """

    social_account_id = serializers.IntegerField(source="network_target_id", read_only=True)


class ChannelSerializer(StrictModelSerializer):
    config_id = serializers.CharField(read_only=True)
    posttype_ids = serializers.PrimaryKeyRelatedField(
        source="posttypes", many=True, required=False, queryset=PostType.objects.none()
    )

    class Meta:
        model = Channel
        fields = ["id", "config_id", "name", "description", "posttype_ids", "is_default", "created_at", "updated_at"]
        read_only_fields = ["id", "config_id", "is_default", "created_at", "updated_at"]
        # Names are unique per workspace; the service reports a clash as a 400 on `name`.
        validators: list[Any] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            posttype_ids = cast(serializers.ManyRelatedField, self.fields["posttype_ids"])
            # The stubs declare RelatedField.queryset with a Manager in its type, which mypy reads as a descriptor.
            posttype_ids.child_relation.queryset = PostType.objects.in_workspace(  # type: ignore[arg-type]
                request_workspace(request)
            )


class IntegratorAppSerializer(StrictModelSerializer):
    class Meta:
        model = IntegratorApp
        fields = ["id", "name", "app_id", "created_at", "revoked_at", "last_used_at"]
        read_only_fields = ["id", "app_id", "created_at", "revoked_at", "last_used_at"]


class CreatedIntegratorAppSerializer(IntegratorAppSerializer):
    """Only the creating response carries the secret."""

    secret = serializers.CharField(read_only=True)

    class Meta(IntegratorAppSerializer.Meta):
        fields = [*IntegratorAppSerializer.Meta.fields, "secret"]


class WebhookSecretSerializer(serializers.Serializer):
    configured = serializers.BooleanField()
    secret = serializers.CharField(allow_null=True, help_text="whsec_…: verify callbacks with it (Standard Webhooks).")
    created_at = serializers.DateTimeField(allow_null=True)
    rotated_at = serializers.DateTimeField(allow_null=True)
    previous_valid_until = serializers.DateTimeField(
        allow_null=True, help_text="Until then callbacks are also signed with the secret replaced at rotated_at."
    )


class CallbackAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallbackAttempt
        fields = ["number", "is_replay", "started_at", "duration_ms", "status_code", "error", "response_excerpt"]


class CallbackDeliverySerializer(serializers.ModelSerializer):
    post_id = serializers.CharField(source="publisher_post.public_id", read_only=True)
    attempt_log = CallbackAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = CallbackDelivery
        fields = [
            "id",
            "post_id",
            "stream",
            "sequence",
            "event",
            "method",
            "url",
            "webhook_id",
            "body",
            "state",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "attempt_log",
        ]
        read_only_fields = fields
