"""Admin: every workspace's items with a thumbnail preview; file facts read-only; never a bare row added."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory, UserFactory
from media_library.models import MediaItem
from media_library.tests import files
from media_library.tests.test_upload import upload
from posts.models import PostMedia
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_change_page_previews_the_thumbnail_and_locks_the_file_facts(api, admin_client):
    item = MediaItem.objects.get(pk=upload(api, files.jpeg(), alt_text="Red").json()["id"])
    assert admin_client.get("/admin/media_library/mediaitem/").status_code == 200
    page = admin_client.get(f"/admin/media_library/mediaitem/{item.pk}/change/").content.decode()
    assert f'src="http://testserver/media/{item.thumbnail.name}" alt="Red"' in page
    assert 'name="alt_text"' in page and 'name="content_type"' not in page and 'name="sha256"' not in page
    assert admin_client.get("/admin/media_library/mediaitem/add/").status_code == 403


def test_admin_refuses_to_delete_an_item_a_post_uses(api, owner, admin_client):
    """Django admin lists the protecting post links itself (PostMedia is PROTECT) before any delete."""
    item = MediaItem.objects.get(pk=upload(api, files.jpeg()).json()["id"])
    PostMedia.objects.create(post=PostFactory(social_account=SocialAccountFactory(owner=owner)), media=item, position=0)
    response = admin_client.post(f"/admin/media_library/mediaitem/{item.pk}/delete/", {"post": "yes"}, follow=True)
    assert "Cannot delete media item" in response.content.decode()
    assert MediaItem.objects.filter(pk=item.pk).exists()
