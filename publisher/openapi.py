"""OpenAPI shapes of the integrator-facing answers, which `selectors` builds as plain dicts.

Documentation only: nothing validates or renders with these. The request of `POST /posts` is the
seed's schema, checked by hand in `publisher.schema`; its constraints are repeated here.
"""

from __future__ import annotations

from rest_framework import serializers

from publisher.models import FailOn, PostKind, PublisherStatus
from publisher.schema import MAX_FILTER_ITEMS, MAX_URL_LENGTH

_HTTP_URL = {
    "type": "string",
    "format": "uri",
    "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://",
    "minLength": 1,
    "maxLength": MAX_URL_LENGTH,
}
_IDS = {"type": "array", "items": {"type": "string"}, "maxItems": MAX_FILTER_ITEMS}

SEED_POST = {
    "description": "Representation of a SocialHub Post entity (the seed's schema).",
    "type": "object",
    "additionalProperties": False,
    "required": ["payload"],
    "properties": {
        "channels": {**_IDS, "description": "Channel ids (`ch_…`); none: every channel."},
        "posttypes": {**_IDS, "description": "Post type ids (`pt_…`); none: each target's default."},
        "networktargets": {**_IDS, "description": "Network target ids (`nt_…`); narrows the targets."},
        "contentSourceLink": {**_HTTP_URL, "description": "The URL of the content in the source site."},
        "postStatusCallback": {**_HTTP_URL, "description": "Where every status change is PUT."},
        "postCommentCallback": {**_HTTP_URL, "description": "Where comments are POSTed, PUT and DELETEd."},
        "scheduled": {"type": "string", "format": "date-time", "description": "In the future; absent: now."},
        "strict": {"type": "boolean", "default": False},
        "failOn": {"type": "string", "enum": list(FailOn.values), "default": FailOn.ERROR},
        "payload": {"description": "The content to publish: any JSON value."},
    },
}


class PostStatusSerializer(serializers.Serializer):
    postId = serializers.CharField()  # the seed's property names
    postStatus = serializers.ChoiceField(choices=PublisherStatus.choices)


class DeliverySerializer(serializers.Serializer):
    networktarget = serializers.CharField(allow_null=True, help_text="null once the account was deleted.")
    networkType = serializers.CharField(allow_null=True)
    posttype = serializers.CharField(allow_null=True, help_text="null once the post type was deleted.")
    type = serializers.CharField(help_text="The post type's kind that was asked for.")
    renderedType = serializers.CharField(allow_null=True, help_text="What was rendered, after fallbacks.")
    status = serializers.CharField(help_text="pending, rejected, skipped, withdrawn, or its post's status.")
    warnings = serializers.ListField(child=serializers.JSONField())
    errors = serializers.ListField(child=serializers.JSONField())  # type: ignore[assignment]  # named like Serializer.errors
    link = serializers.CharField(allow_blank=True, help_text="The published post's URL, once there is one.")
    post = serializers.IntegerField(allow_null=True, help_text="The SocialHub post id (/api/v1/posts/{id}).")


class PostDetailSerializer(PostStatusSerializer):
    created = serializers.DateTimeField()
    scheduled = serializers.DateTimeField(allow_null=True)
    strict = serializers.BooleanField()
    failOn = serializers.ChoiceField(choices=FailOn.choices)
    error = serializers.CharField(allow_blank=True)
    deliveries = DeliverySerializer(many=True)


class ConfigChannelSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="ch_…")
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    posttypes = serializers.ListField(child=serializers.CharField())


class ConfigPostTypeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="pt_…")
    name = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    type = serializers.ChoiceField(choices=PostKind.choices)
    networktarget = serializers.CharField(help_text="nt_…")
    default = serializers.BooleanField()


class ConfigNetworkTargetSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="nt_…")
    name = serializers.CharField()
    description = serializers.CharField()
    networkType = serializers.CharField()
    anchorType = serializers.CharField()
    posttypes = serializers.ListField(child=serializers.CharField())


CONFIG_SERIALIZERS = {
    "channels": ConfigChannelSerializer,
    "posttypes": ConfigPostTypeSerializer,
    "networktargets": ConfigNetworkTargetSerializer,
}


class ConfigsSerializer(serializers.Serializer):
    channels = ConfigChannelSerializer(many=True)
    posttypes = ConfigPostTypeSerializer(many=True)
    networktargets = ConfigNetworkTargetSerializer(many=True)
