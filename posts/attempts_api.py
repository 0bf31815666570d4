"""`GET /api/v1/posts/{id}/attempts`: every call the publishing engine made to Buffer for a post."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers

from kernel.tenancy import WorkspaceScopedView, request_workspace
from posts.models import Post, PublishAttempt


class PublishAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublishAttempt
        fields = ["id", "number", "claim_id", "started_at", "finished_at", "outcome", "error", "buffer_update_id"]
        read_only_fields = fields


class PostAttemptsView(WorkspaceScopedView, generics.ListAPIView):
    """The publish attempts of one of your posts, oldest first (404 for other users' posts)."""

    serializer_class = PublishAttemptSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no post
            return PublishAttempt.objects.none()
        post = get_object_or_404(Post.objects.in_workspace(request_workspace(self.request)), pk=self.kwargs["pk"])
        return PublishAttempt.objects.filter(post=post).order_by("number", "id")
