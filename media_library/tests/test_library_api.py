"""`GET/PATCH/DELETE /api/v1/media[/{id}]`: the workspace's library, its roles, and deleting what posts use."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from media_library.models import MediaItem
from media_library.tests import files
from media_library.tests.conftest import as_member, stored_files
from media_library.tests.test_upload import upload
from posts.models import PostMedia, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def make_item(workspace, *, name: str = "photo.jpg", kind: str = "image") -> MediaItem:
    item = MediaItem(
        workspace=workspace,
        name=name,
        kind=kind,
        content_type="image/jpeg" if kind == "image" else "video/mp4",
        size_bytes=100,
        width=10,
        height=10,
        sha256="0" * 64,
    )
    item.file.name = default_storage.save(
        f"{workspace.pk}/{'a' * 31}{MediaItem.objects.count()}.jpg", ContentFile(b"x")
    )
    item.save()
    return item


def test_the_list_searches_by_name_and_kind_newest_first(api, owner):
    workspace = workspace_personal_for(owner)
    make_item(workspace, name="summer-beach.jpg")
    make_item(workspace, name="Winter.jpg")
    make_item(workspace, name="summer-film.mp4", kind="video")

    names = lambda response: [item["name"] for item in response.json()]  # noqa: E731
    assert names(api.get("/api/v1/media")) == ["summer-film.mp4", "Winter.jpg", "summer-beach.jpg"]
    assert names(api.get("/api/v1/media?search=SUMMER")) == ["summer-film.mp4", "summer-beach.jpg"]
    assert names(api.get("/api/v1/media?kind=image")) == ["Winter.jpg", "summer-beach.jpg"]
    response = api.get("/api/v1/media?skip=1&limit=1")
    assert names(response) == ["Winter.jpg"] and response["X-Total-Count"] == "3"
    assert api.get("/api/v1/media?kind=audio").status_code == 400
    assert api.get("/api/v1/media?search=").status_code == 400


def test_the_list_takes_the_same_queries_for_one_item_or_many(api, owner, django_assert_num_queries):
    workspace = workspace_personal_for(owner)
    account = SocialAccountFactory(owner=owner)
    first = make_item(workspace)
    PostMedia.objects.create(post=PostFactory(social_account=account), media=first, position=0)
    api.get("/api/v1/media")  # warm: the membership lookup's caches
    # auth user, membership, count, page, post links, their posts
    with django_assert_num_queries(6):
        assert len(api.get("/api/v1/media").json()) == 1
    for _ in range(5):
        item = make_item(workspace)
        PostMedia.objects.create(post=PostFactory(social_account=account), media=item, position=0)
    with django_assert_num_queries(6):
        body = api.get("/api/v1/media").json()
    assert len(body) == 6 and all(len(item["used_in"]) == 1 for item in body)


def test_used_in_names_the_posts(api, owner):
    item = make_item(workspace_personal_for(owner))
    post = PostFactory(social_account=SocialAccountFactory(owner=owner))
    PostMedia.objects.create(post=post, media=item, position=0)
    used_in = api.get(f"/api/v1/media/{item.pk}").json()["used_in"]
    assert [(u["post_id"], u["status"]) for u in used_in] == [(post.pk, "scheduled")]
    assert used_in[0]["scheduled_time"]


def test_patch_renames_and_sets_alt_text(api, owner):
    item = make_item(workspace_personal_for(owner))
    response = api.patch(f"/api/v1/media/{item.pk}", {"name": "Hero", "alt_text": "Our team"}, format="json")
    assert response.status_code == 200 and (response.json()["name"], response.json()["alt_text"]) == (
        "Hero",
        "Our team",
    )
    assert api.patch(f"/api/v1/media/{item.pk}", {"name": " "}, format="json").status_code == 400
    assert api.put(f"/api/v1/media/{item.pk}", {"name": "x"}, format="json").status_code == 405


def test_delete_removes_the_row_and_files_once_committed(api, django_capture_on_commit_callbacks):
    item_id = upload(api, files.jpeg()).json()["id"]
    assert len(stored_files()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"/api/v1/media/{item_id}")
    assert response.status_code == 204 and not MediaItem.objects.exists() and stored_files() == []


@pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.FAILED])
def test_delete_of_an_item_a_waiting_post_uses_is_409_naming_it(api, owner, status):
    item = make_item(workspace_personal_for(owner))
    post = PostFactory(social_account=SocialAccountFactory(owner=owner), status=status)
    PostMedia.objects.create(post=post, media=item, position=0)

    response = api.delete(f"/api/v1/media/{item.pk}")
    assert (
        response.status_code == 409
        and f"post {post.pk} ({post.get_status_display().lower()})" in response.json()["detail"]
    )
    assert MediaItem.objects.filter(pk=item.pk).exists()


def test_published_posts_let_go_of_a_deleted_item(api, owner):
    item = make_item(workspace_personal_for(owner))
    post = PostFactory(social_account=SocialAccountFactory(owner=owner), status=PostStatus.PUBLISHED)
    PostMedia.objects.create(post=post, media=item, position=0)
    assert api.delete(f"/api/v1/media/{item.pk}").status_code == 204
    assert not PostMedia.objects.exists()


def test_another_workspaces_item_is_a_404_everywhere(api, outsider):
    theirs = make_item(workspace_personal_for(outsider))
    assert api.get(f"/api/v1/media/{theirs.pk}").status_code == 404
    assert api.patch(f"/api/v1/media/{theirs.pk}", {"name": "x"}, format="json").status_code == 404
    assert api.delete(f"/api/v1/media/{theirs.pk}").status_code == 404
    assert api.get("/api/v1/media").json() == []
    assert MediaItem.objects.get(pk=theirs.pk).name == "photo.jpg"


def test_a_viewer_reads_the_library_but_cannot_upload_edit_or_delete(team):
    workspace, users = team
    item = make_item(workspace)
    viewer, contributor = as_member(users["viewer"], workspace), as_member(users["contributor"], workspace)

    assert viewer.get("/api/v1/media").status_code == 200
    refused = upload(viewer, files.jpeg())
    assert refused.status_code == 403 and "contributor" in refused.json()["detail"]
    assert viewer.patch(f"/api/v1/media/{item.pk}", {"name": "x"}, format="json").status_code == 403
    assert viewer.delete(f"/api/v1/media/{item.pk}").status_code == 403
    assert viewer.post("/api/v1/media/uploads", {}, format="json").status_code == 403

    created = upload(contributor, files.jpeg())
    assert created.status_code == 201
    assert MediaItem.objects.get(pk=created.json()["id"]).workspace_id == workspace.pk
