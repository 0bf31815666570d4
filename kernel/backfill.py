"""Data-migration step shared by every app whose objects moved from a user to a workspace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def fill_workspace_from_owner(app_label: str, model_name: str) -> Callable[[Any, Any], None]:
    """A RunPython function: each row without a workspace gets its owner's personal workspace."""

    def forward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        workspace_model = apps.get_model("accounts", "Workspace")
        owner_ids = model.objects.filter(workspace__isnull=True).values_list("owner_id", flat=True).distinct()
        personal = dict(
            workspace_model.objects.filter(personal_for_id__in=list(owner_ids)).values_list("personal_for_id", "id")
        )
        for owner_id, workspace_id in personal.items():
            model.objects.filter(owner_id=owner_id, workspace__isnull=True).update(workspace_id=workspace_id)

    return forward
