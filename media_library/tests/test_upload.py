"""`POST /api/v1/media`: what is accepted, what is refused (always a 400 with `errors`, never a 500), and
what is stored — upright, without EXIF or GPS, with a thumbnail — or, when refused, nothing at all."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.tests.factories import SocialAccountFactory
from media_library.models import MediaItem
from media_library.tests import files
from media_library.tests.conftest import stored_files

pytestmark = pytest.mark.django_db


def upload(api, data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg", **fields):
    form = {"file": SimpleUploadedFile(name, data, content_type=content_type), **fields}
    return api.post("/api/v1/media", form, format="multipart")


def refused(response, field: str = "file") -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"], body
    assert not MediaItem.objects.exists() and stored_files() == []  # nothing half-written
    return " ".join(body["errors"][field])


def stored_image(item: MediaItem) -> Image.Image:
    with default_storage.open(str(item.file.name), "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_a_jpeg_is_stored_with_its_facts_a_thumbnail_and_public_urls(api, owner):
    response = upload(api, files.jpeg(60, 40), alt_text="A red square")

    assert response.status_code == 201, response.content
    body = response.json()
    item = MediaItem.objects.get()
    assert {k: body[k] for k in ("name", "kind", "content_type", "width", "height", "alt_text", "used_in")} == {
        "name": "photo.jpg",
        "kind": "image",
        "content_type": "image/jpeg",
        "width": 60,
        "height": 40,
        "alt_text": "A red square",
        "used_in": [],
    }
    assert body["url"] == f"http://testserver/media/{item.file.name}"
    assert body["thumbnail_url"] == f"http://testserver/media/{item.thumbnail.name}"
    assert body["size_bytes"] == item.size_bytes == default_storage.size(item.file.name)
    assert len(item.sha256) == 64 and sorted(stored_files()) == sorted([item.file.name, item.thumbnail.name])
    thumb = Image.open(default_storage.open(item.thumbnail.name, "rb"))
    assert thumb.format == "JPEG" and max(thumb.size) <= 480


def test_media_public_base_url_gives_the_url_buffer_fetches(api, settings):
    settings.MEDIA_PUBLIC_BASE_URL = "https://cdn.example.com/m"
    body = upload(api, files.jpeg()).json()
    assert body["url"] == f"https://cdn.example.com/m/{MediaItem.objects.get().file.name}"


def test_exif_orientation_is_applied_and_gps_stripped(api):
    # 60x40 as stored by the camera, orientation 6 (rotate 90° clockwise to view): upright it is 40x60.
    response = upload(api, files.jpeg(60, 40, orientation=6, gps=True))

    assert response.status_code == 201, response.content
    assert (response.json()["width"], response.json()["height"]) == (40, 60)
    image = stored_image(MediaItem.objects.get())
    assert image.size == (40, 60)
    exif = image.getexif()
    assert files.ORIENTATION not in exif and not exif.get_ifd(files.GPS_IFD) and "exif" not in image.info
    assert image.getpixel((35, 4))[2] > 200 and image.getpixel((4, 4))[2] < 100  # the blue corner turned right


def test_heic_is_accepted_without_its_gps(api):
    response = upload(api, files.heic(), name="IMG_0001.HEIC", content_type="image/heic")

    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "image/heic"
    image = stored_image(MediaItem.objects.get())
    assert image.format == "HEIF" and not image.getexif().get_ifd(files.GPS_IFD)


def test_png_and_gif_are_accepted(api):
    assert upload(api, files.png(), name="a.png", content_type="image/png").status_code == 201
    assert upload(api, files.gif(), name="b.gif", content_type="image/gif").status_code == 201
    assert sorted(MediaItem.objects.values_list("content_type", flat=True)) == ["image/gif", "image/png"]


def test_wrong_magic_bytes_are_refused(api):
    assert "Unsupported or unrecognised" in refused(upload(api, b"<html>not an image</html>" * 10))


def test_a_lying_extension_is_refused(api):
    message = refused(upload(api, files.png(), name="photo.jpg", content_type=""), "name")
    assert "PNG" in message and ".png" in message


def test_a_lying_content_type_is_refused(api):
    assert "sent as image/png" in refused(upload(api, files.jpeg(), content_type="image/png"), "content_type")


def test_huge_dimensions_are_refused_before_decoding(api):
    bomb = files.png_header_only(100_000, 100_000)
    assert len(bomb) < 200
    assert "pixels" in refused(upload(api, bomb, name="bomb.png", content_type="image/png"))


def test_dimensions_over_our_own_pixel_limit_are_refused(api, settings):
    settings.MEDIA_MAX_IMAGE_PIXELS = 1000
    assert "50x50 pixels" in refused(upload(api, files.png(50, 50), name="a.png", content_type="image/png"))


def test_a_decompression_bomb_pillow_detects_is_a_400(api, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # Pillow raises DecompressionBombError above 2x
    assert "pixels" in refused(upload(api, files.png(40, 40), name="a.png", content_type="image/png"))


def test_a_truncated_file_is_refused(api):
    whole = files.jpeg(200, 200)
    assert "truncated or corrupt" in refused(upload(api, whole[: len(whole) // 2]))


def test_a_corrupt_file_with_good_magic_is_refused(api):
    data = bytearray(files.png(60, 60))
    data[40:80] = b"\xff" * 40  # inside IDAT: the CRC and the deflate stream break
    assert "truncated or corrupt" in refused(upload(api, bytes(data), name="a.png", content_type="image/png"))


def test_an_empty_file_is_refused(api):
    response = api.post(
        "/api/v1/media", {"file": SimpleUploadedFile("a.jpg", b"", content_type="image/jpeg")}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_a_body_over_the_upload_limit_is_413_before_it_is_read(api, settings):
    settings.MEDIA_MAX_UPLOAD_REQUEST_BYTES = 4096
    response = upload(api, files.png(200, 200, noise=True), name="a.png", content_type="image/png")
    assert response.status_code == 413 and "at most 4096 bytes" in response.json()["detail"]


def test_other_api_routes_keep_the_json_limit(api, settings):
    settings.API_MAX_BODY_BYTES = 2048
    response = api.post("/api/v1/posts", {"content": "x" * 5000}, format="json")
    assert response.status_code == 413


def test_an_image_of_10_mb_or_more_is_refused_for_any_network(api):
    data = files.png(1900, 1900, noise=True)  # noise does not compress: about 10.8 MB
    assert len(data) >= 10 * 1024 * 1024
    message = refused(upload(api, data, name="big.png", content_type="image/png", platforms=["twitter"]))
    assert "under 10 MB" in message


def test_instagram_aspect_ratio_is_checked_for_an_upload_meant_for_it(api, owner):
    wide = files.jpeg(300, 100)  # 3:1, beyond Instagram's 1.91:1
    account = SocialAccountFactory(owner=owner, platform="instagram")
    message = refused(upload(api, wide, social_account_ids=[account.pk]))
    assert "Instagram" in message and "3.00:1" in message
    assert "Instagram" in refused(upload(api, wide, platforms=["instagram", "twitter"]))
    assert upload(api, wide, platforms=["twitter"]).status_code == 201  # X has no ratio rule
    assert upload(api, files.jpeg(300, 100)).status_code == 201  # no target: general rules only


def test_gif_is_refused_where_the_network_takes_none(api):
    message = refused(upload(api, files.gif(), name="a.gif", content_type="image/gif", platforms=["threads"]))
    assert "Threads does not take GIF" in message
    assert upload(api, files.gif(), name="a.gif", content_type="image/gif", platforms=["twitter"]).status_code == 201


def test_an_image_is_refused_for_youtube(api):
    assert "YouTube does not take JPEG" in refused(upload(api, files.jpeg(), platforms=["youtube"]))


def test_unknown_targets_are_400s_naming_them(api, outsider):
    theirs = SocialAccountFactory(owner=outsider)
    response = upload(api, files.jpeg(), social_account_ids=[theirs.pk])
    assert response.status_code == 400
    assert response.json()["errors"]["social_account_ids"] == [f"You have no social account {theirs.pk}."]
    assert upload(api, files.jpeg(), platforms=["myspace"]).status_code == 400
    assert not MediaItem.objects.exists()


def test_an_mp4_is_stored_as_sent_with_duration_and_size(api):
    data = files.mp4(seconds=12.5, width=1080, height=1920)
    response = upload(api, data, name="clip.mp4", content_type="video/mp4", platforms=["instagram"])

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["duration_seconds"], body["width"], body["height"]) == ("video", 12.5, 1080, 1920)
    assert body["thumbnail_url"] is None and body["size_bytes"] == len(data)
    with default_storage.open(MediaItem.objects.get().file.name, "rb") as handle:
        assert handle.read() == data


def test_a_mov_is_accepted(api):
    response = upload(api, files.mp4(brand=b"qt  "), name="clip.mov", content_type="video/quicktime")
    assert response.status_code == 201 and response.json()["content_type"] == "video/quicktime"


def test_a_video_too_long_is_refused(api, settings):
    settings.MEDIA_MAX_VIDEO_SECONDS = 10
    message = refused(upload(api, files.mp4(seconds=20), name="long.mp4", content_type="video/mp4"))
    assert "20 s long" in message


def test_an_unparsable_video_is_refused(api):
    no_moov = files.box(b"ftyp", b"isom\0\0\2\0isom") + files.box(b"mdat", b"\0" * 100)
    assert "moov/mvhd" in refused(upload(api, no_moov, name="a.mp4", content_type="video/mp4"))
    truncated = files.mp4()[:-500]
    assert "truncated" in refused(upload(api, truncated, name="a.mp4", content_type="video/mp4"))


def test_a_video_to_a_network_without_videos_is_refused(api):
    message = refused(upload(api, files.mp4(), name="a.mp4", content_type="video/mp4", platforms=["googlebusiness"]))
    assert "does not take MP4 videos" in message


def test_too_many_boxes_do_not_make_the_reader_walk_forever(api):
    many = files.box(b"ftyp", b"isom\0\0\2\0isom") + files.box(b"free", b"") * 20_000
    assert "boxes" in refused(upload(api, many, name="a.mp4", content_type="video/mp4"))


def test_local_files_are_served_publicly_and_nothing_else(api, client):
    item_id = upload(api, files.jpeg()).json()["id"]
    item = MediaItem.objects.get(pk=item_id)

    response = client.get(f"/media/{item.file.name}")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client.get("/media/../socialhub.sqlite3").status_code == 404
    assert client.get(f"/media/{item.workspace_id}/{'0' * 32}.jpg").status_code == 404
