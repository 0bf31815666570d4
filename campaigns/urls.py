from campaigns.api import CampaignViewSet
from kernel.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("campaigns", CampaignViewSet, basename="campaign")

urlpatterns = [*router.urls]
