from __future__ import annotations

import shutil

import pytest
from django.conf import settings

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, WorkspaceFactory
from conftest import client_for


@pytest.fixture(autouse=True)
def _clean_media(settings):
    """Each test starts with empty storage and upload folders, so 'no file left' can be asserted."""
    for folder in (settings.MEDIA_ROOT, settings.MEDIA_UPLOAD_TEMP_DIR):
        shutil.rmtree(folder, ignore_errors=True)
    settings.SITE_URL = "http://testserver"
    settings.MEDIA_PUBLIC_BASE_URL = ""
    yield
    for folder in (settings.MEDIA_ROOT, settings.MEDIA_UPLOAD_TEMP_DIR):
        shutil.rmtree(folder, ignore_errors=True)


def stored_files() -> list[str]:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def temp_files() -> list[str]:
    from pathlib import Path

    root = Path(settings.MEDIA_UPLOAD_TEMP_DIR)
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def as_member(user, workspace):
    client = client_for(user)
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_X_WORKSPACE=str(workspace.pk))
    return client


@pytest.fixture
def team(db):
    workspace = WorkspaceFactory(name="Acme")
    members = {
        role: MembershipFactory(workspace=workspace, role=role, user__username=f"acme-{role}") for role in Role.values
    }
    return workspace, {role: membership.user for role, membership in members.items()}
