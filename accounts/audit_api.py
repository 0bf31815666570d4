"""`GET /api/v1/audit`: the workspace's audit log, newest first, for its managers and owners."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from kernel.api.datetimes import INPUT_HELP
from kernel.api.filters import DateTimeInputFilter
from kernel.api.views import UserTimezoneMixin
from kernel.tenancy import WorkspaceScopedView, request_workspace

from .models import AuditEvent
from .roles import Capability


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    changes = serializers.DictField(
        child=serializers.JSONField(),
        help_text='Each changed field: `[before, after]` (values shortened), or `"changed"` for a secret, '
        "whose value is never recorded. A new object lists the fields it was created with.",
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "workspace_id",
            "actor_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "actor_id": {"help_text": "The user who wrote, or null for a process (the engine, the system)."},
            "actor_label": {
                "help_text": "Who wrote: a username, `admin:<username>` in Django admin, `engine` for the "
                "publishing engine, `task:<name>` for another background task, `system` for management commands."
            },
            "action": {
                "help_text": "`created`, `updated`, `deleted`, or the name of a post's status transition "
                "(`claim`, `mark_published`, `cancel`, ...)."
            },
            "object_type": {"help_text": "`app_label.model`, e.g. `posts.post`, `campaigns.campaign`."},
        }


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        method="filter_actor", help_text="A username (also matches their admin changes) or a label such as `engine`."
    )
    object_type = django_filters.CharFilter(help_text="`app_label.model`, e.g. `posts.post`.")
    object_id = django_filters.CharFilter(help_text="The object's id (with `object_type`).")
    action = django_filters.CharFilter(help_text="`created`, `updated`, `deleted` or a transition's name.")
    since = DateTimeInputFilter(field_name="created_at", lookup_expr="gte", help_text=f"From then on. {INPUT_HELP}")
    until = DateTimeInputFilter(field_name="created_at", lookup_expr="lt", help_text=f"Before then. {INPUT_HELP}")

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_actor(self, queryset: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        return queryset.filter(Q(actor_label=value) | Q(actor__username=value))


@extend_schema(
    summary="List the workspace's audit log",
    description="Every write in the workspace — through the API, the pages, admin or the publishing engine — "
    "with who made it, the object and the fields it changed. Newest first. Managers and owners only.",
    responses={200: AuditEventSerializer(many=True)},
)
class AuditEventListView(UserTimezoneMixin, WorkspaceScopedView, generics.ListAPIView[AuditEvent]):
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    capabilities = {"get": Capability.MANAGE}  # a read, but the log shows who changed what: managers'

    def get_queryset(self) -> QuerySet[AuditEvent]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return AuditEvent.objects.none()
        return AuditEvent.objects.filter(workspace=request_workspace(self.request)).order_by("-created_at", "-id")
