from django.urls import path, re_path

from kernel.api.routers import OptionalSlashRouter
from posts.api import PostViewSet
from posts.attempts_api import PostAttemptsView
from posts.campaign_posts_api import CampaignPostsView
from posts.review_links_api import ReviewLinkViewSet

router = OptionalSlashRouter()
router.register("posts", PostViewSet, basename="post")
router.register("review-links", ReviewLinkViewSet, basename="review-link")

urlpatterns = [
    path("posts/<int:pk>/attempts", PostAttemptsView.as_view(), name="post-attempts"),
    re_path(r"^campaigns/(?P<pk>[0-9]+)/posts/?$", CampaignPostsView.as_view(), name="campaign-posts"),
    *router.urls,
]
