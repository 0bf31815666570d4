"""The chunked upload: `POST /media/uploads`, `PUT /media/uploads/{id}` with Content-Range, `POST .../complete`.

Each chunk is its own short request streamed to a temporary file, so a large file is never in memory and no
web worker is held for the whole transfer; `complete` checks the whole file, and refused or not, the
temporary bytes are gone afterwards."""

from __future__ import annotations

import gc
import tracemalloc
import uuid

import pytest

from accounts.workspaces import workspace_personal_for
from media_library.models import MediaItem, MediaUpload
from media_library.tests import files
from media_library.tests.conftest import as_member, stored_files, temp_files

pytestmark = pytest.mark.django_db
BASE = "/api/v1/media/uploads"


def start(api, *, size: int, filename: str = "clip.mp4", content_type: str = "video/mp4", **extra) -> dict:
    response = api.post(
        BASE, {"filename": filename, "size": size, "content_type": content_type, **extra}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def put(api, upload_id: str, data: bytes, start_at: int, total: int, *, end: int | None = None):
    end = start_at + len(data) - 1 if end is None else end
    return api.put(
        f"{BASE}/{upload_id}",
        data,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes {start_at}-{end}/{total}",
    )


def send_all(api, upload_id: str, data: bytes, chunk: int) -> None:
    for offset in range(0, len(data), chunk):
        response = put(api, upload_id, data[offset : offset + chunk], offset, len(data))
        assert response.status_code == 200, response.content
        assert response.json()["received_bytes"] == min(offset + chunk, len(data))


def test_a_file_in_three_chunks_becomes_a_library_item(api, owner):
    data = files.mp4(seconds=30, data=300_000)
    upload = start(api, size=len(data), alt_text="Launch film", platforms=["instagram"])
    assert upload["received_bytes"] == 0 and upload["chunk_bytes"] >= 64 * 1024

    send_all(api, upload["id"], data, chunk=len(data) // 3 + 1)
    assert api.get(f"{BASE}/{upload['id']}").json()["received_bytes"] == len(data)
    response = api.post(f"{BASE}/{upload['id']}/complete", {"name": "Launch"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["kind"], body["duration_seconds"], body["alt_text"]) == (
        "Launch",
        "video",
        30,
        "Launch film",
    )
    item = MediaItem.objects.get()
    assert item.workspace == workspace_personal_for(owner) and item.size_bytes == len(data)
    assert not MediaUpload.objects.exists() and temp_files() == [] and stored_files() == [item.file.name]


def test_an_image_can_come_in_chunks_too(api):
    data = files.jpeg(120, 80, orientation=6, gps=True)
    upload = start(api, size=len(data), filename="p.jpg", content_type="image/jpeg")
    send_all(api, upload["id"], data, chunk=700)
    body = api.post(f"{BASE}/{upload['id']}/complete", {}, format="json").json()
    assert (body["width"], body["height"], body["name"]) == (80, 120, "p.jpg")


def test_out_of_order_and_overlapping_chunks_are_409s_naming_the_offset(api):
    data = files.mp4(data=5000)
    upload = start(api, size=len(data))

    skipped = put(api, upload["id"], data[1000:2000], 1000, len(data))
    assert skipped.status_code == 409 and "starts at byte 0" in skipped.json()["detail"]
    assert put(api, upload["id"], data[:1000], 0, len(data)).status_code == 200
    overlapping = put(api, upload["id"], data[500:1500], 500, len(data))
    assert overlapping.status_code == 409 and "starts at byte 1000" in overlapping.json()["detail"]
    again = put(api, upload["id"], data[:1000], 0, len(data))
    assert again.status_code == 409
    assert MediaUpload.objects.get().received_bytes == 1000
    assert temp_files() == [f"{upload['id']}.part"]  # no stray chunk files


def test_bytes_that_do_not_fit_are_400s(api):
    data = files.mp4(data=2000)
    upload = start(api, size=len(data))
    total = len(data)

    more_than_the_range = put(api, upload["id"], data[:600], 0, total, end=499)
    assert more_than_the_range.status_code == 400 and "the body had" in more_than_the_range.json()["detail"]
    beyond_the_size = put(api, upload["id"], data + b"extra", 0, total + 5, end=total + 4)
    assert beyond_the_size.status_code == 400 and "Content-Range" in beyond_the_size.json()["errors"]
    past_the_end = put(api, upload["id"], b"x" * 10, 0, total, end=total + 9)
    assert past_the_end.status_code == 400
    no_range = api.put(f"{BASE}/{upload['id']}", data[:10], content_type="application/octet-stream")
    assert no_range.status_code == 400 and "Content-Range" in no_range.json()["errors"]
    assert MediaUpload.objects.get().received_bytes == 0


def test_a_chunk_over_the_chunk_limit_is_413_before_it_is_read(api, settings):
    settings.MEDIA_CHUNK_BYTES = 64 * 1024
    data = files.mp4(data=200_000)
    upload = start(api, size=len(data))
    response = put(api, upload["id"], data[: 70 * 1024], 0, len(data))
    assert response.status_code == 413


def test_complete_before_every_byte_arrived_is_409(api):
    data = files.mp4(data=2000)
    upload = start(api, size=len(data))
    put(api, upload["id"], data[:1000], 0, len(data))
    response = api.post(f"{BASE}/{upload['id']}/complete", {}, format="json")
    assert response.status_code == 409 and "1000 of" in response.json()["detail"]
    assert MediaUpload.objects.exists()  # it may go on


def test_a_refused_file_at_complete_is_a_400_and_leaves_nothing(api):
    data = files.mp4(data=2000)[:-300]  # truncated: the mdat box runs past the end
    upload = start(api, size=len(data))
    send_all(api, upload["id"], data, chunk=1000)
    response = api.post(f"{BASE}/{upload['id']}/complete", {}, format="json")
    assert response.status_code == 400 and "truncated" in response.json()["detail"]
    assert not MediaUpload.objects.exists() and not MediaItem.objects.exists()
    assert temp_files() == [] and stored_files() == []
    assert api.post(f"{BASE}/{upload['id']}/complete", {}, format="json").status_code == 404


def test_a_lying_upload_is_refused_at_the_end(api):
    data = files.png()
    upload = start(api, size=len(data), filename="x.mp4", content_type="video/mp4")
    send_all(api, upload["id"], data, chunk=10_000)
    response = api.post(f"{BASE}/{upload['id']}/complete", {}, format="json")
    assert response.status_code == 400 and not MediaItem.objects.exists() and temp_files() == []


def test_start_refuses_unknown_types_and_sizes(api, settings):
    bad_type = api.post(BASE, {"filename": "a.exe", "size": 10, "content_type": "x"}, format="json")
    assert bad_type.status_code == 400 and "filename" in bad_type.json()["errors"]
    settings.MEDIA_MAX_VIDEO_BYTES = 1000
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    too_big = api.post(BASE, {"filename": "a.mp4", "size": 5000, "content_type": "video/mp4"}, format="json")
    assert too_big.status_code == 400 and "size" in too_big.json()["errors"]
    assert not MediaUpload.objects.exists()


def test_unknown_and_other_workspaces_uploads_are_404(api, outsider):
    data = files.mp4(data=100)
    mine = start(api, size=len(data))
    stranger = as_member(outsider, workspace_personal_for(outsider))
    unknown = "00000000-0000-4000-8000-000000000000"

    for upload_id in (mine["id"], unknown):
        assert put(stranger, upload_id, data, 0, len(data)).status_code == 404
        assert stranger.get(f"{BASE}/{upload_id}").status_code == 404
        assert stranger.post(f"{BASE}/{upload_id}/complete", {}, format="json").status_code == 404
        assert stranger.delete(f"{BASE}/{upload_id}").status_code == 404
    assert MediaUpload.objects.get(pk=mine["id"]).received_bytes == 0


def test_abandoning_an_upload_removes_its_bytes(api):
    data = files.mp4(data=100)
    upload = start(api, size=len(data))
    put(api, upload["id"], data[:50], 0, len(data))
    assert api.delete(f"{BASE}/{upload['id']}").status_code == 204
    assert not MediaUpload.objects.exists() and temp_files() == []


def test_a_100_mb_upload_never_holds_the_file_in_memory(api, settings):
    """Peak Python allocations over the whole upload (chunks and the check at the end) stay a few chunks
    big, far below the file's size: every step streams."""
    settings.MEDIA_CHUNK_BYTES = chunk = 1024 * 1024
    size = 100 * 1024 * 1024
    header = files.movie_header(seconds=60)
    mdat = files.mdat_header(size - len(header) - 16)
    prefix = header + mdat
    upload = start(api, size=size)

    tracemalloc.start()
    try:
        for offset in range(0, size, chunk):
            length = min(chunk, size - offset)
            body = prefix + b"\0" * (length - len(prefix)) if offset == 0 else b"\0" * length
            response = put(api, upload["id"], body, offset, size)
            assert response.status_code == 200, response.content
            del body, response
            gc.collect()  # the test client's request/response cycles (each holding its body): harness garbage
        response = api.post(f"{BASE}/{upload['id']}/complete", {}, format="json")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 201, response.content
    assert response.json()["size_bytes"] == size and response.json()["duration_seconds"] == 60
    assert peak < 8 * chunk < size / 10, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"
    assert temp_files() == []


def test_expired_uploads_are_purged_with_their_bytes(api):
    from datetime import timedelta

    from django.utils import timezone

    from media_library.tasks import purge_expired_uploads

    data = files.mp4(data=100)
    old, fresh = start(api, size=len(data)), start(api, size=len(data))
    put(api, old["id"], data[:50], 0, len(data))
    MediaUpload.objects.filter(pk=old["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert purge_expired_uploads() == 1
    assert list(MediaUpload.objects.values_list("pk", flat=True)) == [uuid.UUID(fresh["id"])]
    assert temp_files() == [f"{fresh['id']}.part"]
    assert api.get(f"{BASE}/not-a-uuid").status_code == 404
