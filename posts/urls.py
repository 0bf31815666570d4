from posts.api import PostViewSet
from socialhub.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("posts", PostViewSet, basename="post")

urlpatterns = [*router.urls]
