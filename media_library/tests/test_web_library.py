"""The Media page: the grid with search and "used in", alt text and delete by role; the pages' uploads go
through the media API with the session (CSRF checked), in the page's workspace."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.scoping import SESSION_KEY
from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from media_library.models import MediaItem
from media_library.tests import files
from media_library.tests.test_library_api import make_item
from posts.models import Post, PostMedia
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_the_page_lists_searches_and_links_the_posts(web, owner):
    workspace = workspace_personal_for(owner)
    used = make_item(workspace, name="beach.jpg")
    make_item(workspace, name="office.jpg")
    post = PostFactory(social_account=SocialAccountFactory(owner=owner))
    PostMedia.objects.create(post=post, media=used, position=0)

    page = web.get("/library/").content.decode()
    assert "beach.jpg" in page and "office.jpg" in page and f'href="/posts/{post.pk}/"' in page
    assert 'href="/library/" aria-current="page">Media' in page
    searched = web.get("/library/?q=BEACH").content.decode()
    assert "beach.jpg" in searched and "office.jpg" not in searched


def test_alt_text_and_delete_from_the_page(web, owner):
    workspace = workspace_personal_for(owner)
    item = make_item(workspace)
    response = web.post(f"/library/{item.pk}/", {"alt_text": "Sunset over the bay"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.alt_text == "Sunset over the bay"

    PostMedia.objects.create(post=PostFactory(social_account=SocialAccountFactory(owner=owner)), media=item, position=0)
    refused = web.post(f"/library/{item.pk}/delete/", follow=True)
    assert "not published yet" in refused.content.decode() and MediaItem.objects.filter(pk=item.pk).exists()
    PostMedia.objects.all().delete()
    assert web.post(f"/library/{item.pk}/delete/").status_code == 302
    assert not MediaItem.objects.exists()


def test_a_viewer_sees_the_page_without_its_forms(team, client):
    workspace, users = team
    item = make_item(workspace)
    client.force_login(users["viewer"])
    session = client.session
    session[SESSION_KEY] = workspace.pk
    session.save()
    page = client.get("/library/").content.decode()
    assert item.name in page and "media-drop" not in page and "Delete" not in page
    assert client.post(f"/library/{item.pk}/", {"alt_text": "x"}).status_code == 403


def test_the_pages_upload_with_the_session_and_its_csrf_token(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    form = {"file": SimpleUploadedFile("a.jpg", files.jpeg(), content_type="image/jpeg")}
    without_token = browser.post("/api/v1/media", form)
    assert without_token.status_code == 403 and "CSRF" in without_token.json()["detail"]

    browser.get("/library/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    form = {"file": SimpleUploadedFile("a.jpg", files.jpeg(), content_type="image/jpeg")}
    response = browser.post("/api/v1/media", form, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    assert MediaItem.objects.get().workspace == workspace_personal_for(owner)


def test_the_composer_sends_media_ids_to_the_same_post_service(web, owner, outsider):
    account = SocialAccountFactory(owner=owner, platform="twitter")
    mine = make_item(workspace_personal_for(owner))
    theirs = make_item(workspace_personal_for(outsider))
    form = {"accounts": [account.pk], "content": "From the composer", "action": "draft"}

    refused = web.post("/posts/new/", {**form, "media_ids": f"{mine.pk},{theirs.pk}"})
    assert refused.status_code == 400 and f"You have no media item {theirs.pk}" in refused.content.decode()
    assert web.post("/posts/new/", {**form, "media_ids": "1,x"}).status_code == 400

    created = web.post("/posts/new/", {**form, "media_ids": str(mine.pk)})
    assert created.status_code == 302
    post = Post.objects.get(content="From the composer")
    assert list(post.media_items.all()) == [mine]
    page = web.get(f"/posts/{post.pk}/edit/").content.decode()
    assert f'name="media_ids" value="{mine.pk}"' in page and "media-picker" in page
