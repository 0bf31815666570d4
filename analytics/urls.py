from django.urls import re_path

from analytics.api import AnalyticsSyncViewSet, AnalyticsViewSet, CampaignAnalyticsView
from kernel.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
# "analytics/sync" never clashes with "analytics/{id}": snapshot ids match digits only.
router.register("analytics/sync", AnalyticsSyncViewSet, basename="analytics-sync")
router.register("analytics", AnalyticsViewSet, basename="analytics")

urlpatterns = [
    re_path(r"^campaigns/(?P<pk>[0-9]+)/analytics/?$", CampaignAnalyticsView.as_view(), name="campaign-analytics"),
    *router.urls,
]
