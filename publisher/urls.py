from django.urls import path

from kernel.api.routers import OptionalSlashRouter
from publisher.api import ConfigListView, ConfigsView, PublisherPostViewSet
from publisher.api_manage import (
    CallbackViewSet,
    ChannelViewSet,
    IntegratorAppViewSet,
    PostTypeViewSet,
    WebhookSecretView,
)

router = OptionalSlashRouter()
# The seed's routes, relative to the base /api/v1/publisher.
router.register("posts", PublisherPostViewSet, basename="publisher-post")
# Managing the configuration and looking at callbacks (JWT).
router.register("channels", ChannelViewSet, basename="publisher-channel")
router.register("posttypes", PostTypeViewSet, basename="publisher-posttype")
router.register("apps", IntegratorAppViewSet, basename="publisher-app")
router.register("callbacks", CallbackViewSet, basename="publisher-callback")

urlpatterns = [
    path("configs", ConfigsView.as_view(), name="publisher-configs"),
    *(
        path(f"configs/{kind}", ConfigListView.as_view(kind=kind), name=f"publisher-configs-{kind}")
        for kind in ConfigListView.READERS
    ),
    path("webhook-secret", WebhookSecretView.as_view(), name="publisher-webhook-secret"),
    *router.urls,
]
