from django.urls import path

from posts.api import PostViewSet
from posts.attempts_api import PostAttemptsView
from socialhub.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("posts", PostViewSet, basename="post")

urlpatterns = [
    path("posts/<int:pk>/attempts", PostAttemptsView.as_view(), name="post-attempts"),
    *router.urls,
]
