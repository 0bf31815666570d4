from django.urls import path, re_path

from kernel.api.routers import OptionalSlashRouter
from posts.api import PostViewSet
from posts.attempts_api import PostAttemptsView
from posts.campaign_posts_api import CampaignPostsView
from posts.comments_api import PostCommentsView
from posts.csv_io.api import PostExportView, PostImportJobView, PostImportView
from posts.groups_api import PostGroupViewSet
from posts.previews_api import PostPreviewView, StoredPostPreviewView
from posts.queue_api import AccountQueueShuffleView, AccountQueueView
from posts.review_links_api import ReviewLinkViewSet

router = OptionalSlashRouter()
router.register("posts", PostViewSet, basename="post")
router.register("post-groups", PostGroupViewSet, basename="post-group")
router.register("review-links", ReviewLinkViewSet, basename="review-link")

urlpatterns = [
    path("posts/<int:pk>/attempts", PostAttemptsView.as_view(), name="post-attempts"),
    path("posts/<int:pk>/comments", PostCommentsView.as_view(), name="post-comments"),
    re_path(r"^posts/preview/?$", PostPreviewView.as_view(), name="post-preview"),
    path("posts/<int:pk>/preview", StoredPostPreviewView.as_view(), name="post-stored-preview"),
    re_path(r"^posts/import/?$", PostImportView.as_view(), name="post-import"),
    re_path(r"^posts/imports/(?P<pk>[0-9]+)/?$", PostImportJobView.as_view(), name="post-import-detail"),
    re_path(r"^posts/export/?$", PostExportView.as_view(), name="post-export"),
    re_path(r"^campaigns/(?P<pk>[0-9]+)/posts/?$", CampaignPostsView.as_view(), name="campaign-posts"),
    re_path(r"^social-accounts/(?P<pk>[0-9]+)/queue/?$", AccountQueueView.as_view(), name="social-account-queue"),
    re_path(
        r"^social-accounts/(?P<pk>[0-9]+)/queue/shuffle/?$",
        AccountQueueShuffleView.as_view(),
        name="social-account-queue-shuffle",
    ),
    *router.urls,
]
