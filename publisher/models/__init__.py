from publisher.models.callbacks import (
    CallbackAttempt,
    CallbackDelivery,
    CallbackState,
    CallbackStream,
    ReportedComment,
)
from publisher.models.config import (
    CHANNEL_PREFIX,
    NETWORKTARGET_PREFIX,
    POSTTYPE_PREFIX,
    Channel,
    PostKind,
    PostType,
    config_id,
    parse_config_id,
)
from publisher.models.credentials import IntegratorApp, WebhookSecret
from publisher.models.posts import (
    FINAL_STATUSES,
    STATUS_RANK,
    Delivery,
    FailOn,
    PublisherPost,
    PublisherStatus,
    new_post_id,
)

__all__ = [
    "CHANNEL_PREFIX",
    "FINAL_STATUSES",
    "NETWORKTARGET_PREFIX",
    "POSTTYPE_PREFIX",
    "STATUS_RANK",
    "CallbackAttempt",
    "CallbackDelivery",
    "CallbackState",
    "CallbackStream",
    "Channel",
    "Delivery",
    "FailOn",
    "IntegratorApp",
    "PostKind",
    "PostType",
    "PublisherPost",
    "PublisherStatus",
    "ReportedComment",
    "WebhookSecret",
    "config_id",
    "new_post_id",
    "parse_config_id",
]
