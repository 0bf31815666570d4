from kernel.api.routers import OptionalSlashRouter
from media_library.api import MediaUploadViewSet, MediaViewSet

router = OptionalSlashRouter()
router.register("media/uploads", MediaUploadViewSet, basename="media-upload")
router.register("media", MediaViewSet, basename="media")

urlpatterns = router.urls
