"""Writes on the media library: upload (in one request, or in chunks), edit, delete.

A file is checked completely (`media_library.validation`) before anything is stored, and its row is
written only once its files are in storage; a failure after storing removes them again. So a refused or
failed upload leaves neither a row nor a file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import shutil
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import Platform, SocialAccount, User, Workspace
from kernel.errors import Conflict, InvalidInput
from media_library.models import MediaItem, MediaUpload, media_file_path, thumbnail_file_path
from media_library.rules import media_fit_errors
from media_library.validation import TYPES, Inspected, inspect_upload

COPY_BLOCK = 1024 * 1024
MAX_NAME = 255
MAX_ALT_TEXT = 1000  # what Buffer's altText field is given; networks cut shorter (X: 1,000)

_DELETE_GUARDS: list[Callable[..., None]] = []


def register_media_delete_guard(guard: Callable[..., None]) -> None:
    """`guard(item=...)` runs before a library item is deleted; it may raise to refuse (posts registers one:
    media_library sits below posts and cannot ask about them itself)."""
    if guard not in _DELETE_GUARDS:
        _DELETE_GUARDS.append(guard)


def target_platforms(
    *, workspace: Workspace | int, social_account_ids: Iterable[int] = (), platforms: Iterable[str] = ()
) -> list[str]:
    """The networks an upload is meant for: the given accounts' (of this workspace) and the named platforms."""
    ids = list(dict.fromkeys(social_account_ids))
    found = dict(SocialAccount.objects.in_workspace(workspace).filter(pk__in=ids).values_list("pk", "platform"))
    errors: dict[str, list[str]] = {}
    if missing := [pk for pk in ids if pk not in found]:
        errors["social_account_ids"] = [f"You have no social account {pk}." for pk in missing]
    names = list(dict.fromkeys(platforms))
    if unknown := [name for name in names if name not in Platform.values]:
        errors["platforms"] = [f"Unknown platform {name!r}." for name in unknown]
    if errors:
        raise InvalidInput.from_errors(errors)
    return list(dict.fromkeys([*(found[pk] for pk in ids), *names]))


def _clean_name(name: str, filename: str) -> str:
    name = (name or PurePosixPath(filename or "").name or "upload").strip()
    return name[:MAX_NAME]


def _check_alt_text(alt_text: str) -> str:
    if len(alt_text) > MAX_ALT_TEXT:
        raise InvalidInput.from_errors({"alt_text": [f"At most {MAX_ALT_TEXT} characters."]})
    return alt_text


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while block := stream.read(COPY_BLOCK):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def _store(item: MediaItem, stream: BinaryIO, inspected: Inspected) -> list[str]:
    """Put the file (and thumbnail) into storage; the names saved, for cleaning up on failure."""
    suffix = inspected.file_type.extensions[0]
    saved: list[str] = []
    try:
        if inspected.clean is not None:
            content: File[bytes] = ContentFile(inspected.clean)
        else:
            stream.seek(0)
            content = File(stream)  # streamed to the storage in chunks, never read whole
        saved.append(default_storage.save(media_file_path(item, f"x{suffix}"), content))
        if inspected.thumbnail:
            saved.append(default_storage.save(thumbnail_file_path(item, "x.jpg"), ContentFile(inspected.thumbnail)))
    except Exception:
        _remove(saved)
        raise
    return saved


def _remove(names: Iterable[str]) -> None:
    for name in names:
        with contextlib.suppress(Exception):  # best effort: the row is what counts, and it was not written
            default_storage.delete(name)


def media_create(
    *,
    workspace: Workspace,
    actor: User,
    stream: BinaryIO,
    size: int,
    filename: str,
    content_type: str,
    name: str = "",
    alt_text: str = "",
    platforms: Iterable[str] = (),
) -> MediaItem:
    """Check an uploaded file against the general rules and the strictest of `platforms`, store it, record it."""
    alt_text = _check_alt_text(alt_text)
    inspected = inspect_upload(stream, size=size, filename=filename, content_type=content_type)
    item = MediaItem(
        workspace=workspace,
        uploaded_by=actor,
        name=_clean_name(name, filename),
        kind=inspected.file_type.kind,
        content_type=inspected.file_type.content_types[0],
        size_bytes=inspected.size_bytes,
        width=inspected.width,
        height=inspected.height,
        duration_seconds=inspected.duration_seconds,
        alt_text=alt_text,
        sha256=hashlib.sha256(inspected.clean).hexdigest() if inspected.clean is not None else _sha256(stream),
    )
    if errors := media_fit_errors(item, platforms=platforms):
        raise InvalidInput.from_errors({"file": errors})
    saved = _store(item, stream, inspected)
    item.file.name = saved[0]
    item.thumbnail.name = saved[1] if len(saved) > 1 else ""
    try:
        with transaction.atomic():
            item.save()
    except Exception:
        _remove(saved)
        raise
    return item


def media_update(*, item: MediaItem, name: str | None = None, alt_text: str | None = None) -> MediaItem:
    fields = ["updated_at"]
    if name is not None:
        if not name.strip():
            raise InvalidInput.from_errors({"name": ["Must not be blank."]})
        item.name = name.strip()[:MAX_NAME]
        fields.append("name")
    if alt_text is not None:
        item.alt_text = _check_alt_text(alt_text)
        fields.append("alt_text")
    item.save(update_fields=fields)
    return item


def media_delete(*, item: MediaItem) -> None:
    """Delete the item and its files; a guard (posts) refuses while a post that is not published uses it."""
    with transaction.atomic():
        for guard in _DELETE_GUARDS:
            guard(item=item)
        names = [item.file.name, item.thumbnail.name]
        item.delete()
        transaction.on_commit(lambda: _remove(n for n in names if n))


# --- Chunked uploads ---------------------------------------------------------------------------------------


def temp_path(upload: MediaUpload) -> Path:
    return Path(settings.MEDIA_UPLOAD_TEMP_DIR) / f"{upload.pk}.part"


def _largest_upload() -> int:
    return max(settings.MEDIA_MAX_VIDEO_BYTES, settings.MEDIA_MAX_UPLOAD_BYTES)


def upload_start(
    *,
    workspace: Workspace,
    actor: User,
    filename: str,
    size: int,
    content_type: str,
    alt_text: str = "",
    platforms: Iterable[str] = (),
) -> MediaUpload:
    """Open a chunked upload of `size` bytes; the type is checked now by its name, and by its bytes at the end."""
    suffix = PurePosixPath(filename or "").suffix.lower()
    if not any(suffix in t.extensions for t in TYPES.values()):
        accepted = ", ".join(ext for t in TYPES.values() for ext in t.extensions)
        raise InvalidInput.from_errors({"filename": [f"Unsupported file type {suffix or '(none)'}: {accepted}."]})
    if size > _largest_upload():
        raise InvalidInput.from_errors({"size": [f"At most {_largest_upload()} bytes."]})
    upload = MediaUpload.objects.create(
        workspace=workspace,
        uploaded_by=actor,
        filename=filename[:MAX_NAME],
        content_type=content_type,
        size_bytes=size,
        alt_text=_check_alt_text(alt_text),
        targets=list(platforms),
        expires_at=timezone.now() + timedelta(seconds=settings.MEDIA_UPLOAD_EXPIRY_SECONDS),
    )
    path = temp_path(upload)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return upload


def upload_chunk(*, upload: MediaUpload, start: int, end: int, total: int, stream: BinaryIO) -> MediaUpload:
    """Append bytes `start`..`end` (inclusive, as in `Content-Range`) read from `stream`.

    The body is first streamed to a file of its own (no lock held while the client sends), then appended
    under an exclusive lock on the upload's file, where the offset is checked against what has arrived:
    chunks go in order, each exactly once. An out-of-order or overlapping chunk is a 409 naming the offset
    expected; one that does not fit the declared size a 400.
    """
    if total != upload.size_bytes:
        raise InvalidInput.from_errors({"Content-Range": [f"The upload is {upload.size_bytes} bytes, not {total}."]})
    if end >= upload.size_bytes or end < start:
        raise InvalidInput.from_errors({"Content-Range": [f"Bytes {start}-{end} are outside 0-{total - 1}."]})
    expected = end - start + 1
    path = temp_path(upload)
    if not path.exists():
        raise Conflict("This upload has no data any more (expired or completed); start a new one.")
    chunk = path.with_name(f"{path.name}.{uuid.uuid4().hex}")
    try:
        received = _receive(stream, chunk, limit=expected)
        if received != expected:
            raise InvalidInput.from_errors(
                {"Content-Range": [f"The range says {expected} bytes; the body had {received}."]}
            )
        with path.open("ab") as target:
            fcntl.flock(target, fcntl.LOCK_EX)  # released when the file is closed
            current = MediaUpload.objects.filter(pk=upload.pk).values_list("received_bytes", flat=True).first()
            if current != start:
                raise Conflict(f"This upload has {current} bytes: send the chunk that starts at byte {current}.")
            with chunk.open("rb") as source:
                shutil.copyfileobj(source, target, COPY_BLOCK)
            target.flush()
            MediaUpload.objects.filter(pk=upload.pk, received_bytes=start).update(received_bytes=end + 1)
    finally:
        chunk.unlink(missing_ok=True)
    upload.received_bytes = end + 1
    return upload


def _receive(stream: BinaryIO, path: Path, *, limit: int) -> int:
    """Copy at most `limit` + 1 bytes of `stream` to `path` in blocks; the count copied."""
    count = 0
    with path.open("wb") as out:
        while count <= limit:
            block = stream.read(min(COPY_BLOCK, limit + 1 - count))
            if not block:
                break
            out.write(block)
            count += len(block)
    return count


def upload_discard(*, upload: MediaUpload) -> None:
    temp_path(upload).unlink(missing_ok=True)
    MediaUpload.objects.filter(pk=upload.pk).delete()


def upload_complete(*, upload: MediaUpload, name: str = "") -> MediaItem:
    """Check the whole file and make it a library item; refused or not, the upload and its bytes are gone after."""
    if upload.received_bytes != upload.size_bytes:
        raise Conflict(f"This upload has {upload.received_bytes} of {upload.size_bytes} bytes: send the rest first.")
    path = temp_path(upload)
    if not path.exists():
        upload_discard(upload=upload)
        raise Conflict("This upload has no data any more (expired); start a new one.")
    try:
        with path.open("rb") as stream:
            return media_create(
                workspace=upload.workspace,
                actor=upload.uploaded_by,
                stream=stream,
                size=upload.size_bytes,
                filename=upload.filename,
                content_type=upload.content_type,
                name=name,
                alt_text=upload.alt_text,
                platforms=upload.targets,
            )
    finally:
        upload_discard(upload=upload)


def uploads_purge_expired(*, now: datetime | None = None) -> int:
    """Remove chunked uploads never completed before they expired (their temporary files included)."""
    expired = list(MediaUpload.objects.filter(expires_at__lte=now or timezone.now()))
    for upload in expired:
        upload_discard(upload=upload)
    return len(expired)
