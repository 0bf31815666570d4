from analytics.api import AnalyticsSyncViewSet, AnalyticsViewSet
from kernel.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
# "analytics/sync" never clashes with "analytics/{id}": snapshot ids match digits only.
router.register("analytics/sync", AnalyticsSyncViewSet, basename="analytics-sync")
router.register("analytics", AnalyticsViewSet, basename="analytics")

urlpatterns = [*router.urls]
