from django.urls import path

from kernel.api.routers import OptionalSlashRouter
from posts.api import PostViewSet
from posts.attempts_api import PostAttemptsView

router = OptionalSlashRouter()
router.register("posts", PostViewSet, basename="post")

urlpatterns = [
    path("posts/<int:pk>/attempts", PostAttemptsView.as_view(), name="post-attempts"),
    *router.urls,
]
