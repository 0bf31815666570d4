"""What an uploaded file really is, and a clean copy of it to store.

The type comes from the file's first bytes (magic), and must agree with the declared content type and
the filename's extension: a `.png` that is a JPEG, or a JPEG sent as `image/png`, is refused. Images are
read with Pillow only (pillow-heif registers HEIC as a Pillow plugin; nothing is shelled out): the
pixel count is checked from the header before anything is decoded (decompression bombs), the whole image
is then decoded (truncated and corrupt files fail here, as `InvalidInput`), EXIF orientation is applied
and the image re-encoded without its EXIF and XMP (GPS and every other location tag go with them), and a
small JPEG thumbnail made. Videos (MP4, MOV) are read with `media_library.mp4`'s bounded box reader.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

import pillow_heif
from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from kernel.errors import InvalidInput
from media_library.mp4 import Mp4Error, read_ftyp_brand, read_movie

pillow_heif.register_heif_opener()

THUMBNAIL_SIZE = (480, 480)
MAX_GIF_FRAMES = 1000
_UNDECLARED = {"", "application/octet-stream"}  # a client that does not say: the magic bytes decide


@dataclass(frozen=True)
class FileType:
    name: str  # the limits table's name (buffer_integration.platforms.media_limits)
    kind: str  # MediaKind: image or video
    content_types: tuple[str, ...]  # the first is what we store and serve
    extensions: tuple[str, ...]
    pillow_format: str = ""


TYPES = {
    "jpeg": FileType("jpeg", "image", ("image/jpeg", "image/jpg", "image/pjpeg"), (".jpg", ".jpeg"), "JPEG"),
    "png": FileType("png", "image", ("image/png",), (".png",), "PNG"),
    "gif": FileType("gif", "image", ("image/gif",), (".gif",), "GIF"),
    "heic": FileType("heic", "image", ("image/heic", "image/heif"), (".heic", ".heif"), "HEIF"),
    "mp4": FileType("mp4", "video", ("video/mp4",), (".mp4", ".m4v")),
    "mov": FileType("mov", "video", ("video/quicktime",), (".mov",)),
}
_HEIC_BRANDS = {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"}
_MP4_BRANDS = {"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "mmp4", "dash", "3gp4", "3gp5"}
ACCEPTED = "JPG, PNG, GIF, HEIC images and MP4, MOV videos"


@dataclass(frozen=True)
class Inspected:
    """A checked file: its type and facts, and (images) the clean bytes to store and the thumbnail."""

    file_type: FileType
    size_bytes: int
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    clean: bytes | None = None  # images: the re-encoded file; None: store the upload as it is (videos)
    thumbnail: bytes | None = None


def refuse(message: str, field: str = "file") -> InvalidInput:
    return InvalidInput.from_errors({field: [message]})


def sniff(head: bytes) -> FileType | None:
    """The type the first bytes say, among the ones we accept; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return TYPES["jpeg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return TYPES["png"]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return TYPES["gif"]
    brands = read_ftyp_brand(head)
    if brands is not None:
        major, compatible = brands
        if major in _HEIC_BRANDS:
            return TYPES["heic"]
        if major == "qt  ":
            return TYPES["mov"]
        if major in _MP4_BRANDS or (major not in ("avif", "avis", "M4A ") and _MP4_BRANDS & set(compatible)):
            return TYPES["mp4"]
    return None


def check_declared(file_type: FileType | None, *, filename: str, content_type: str) -> FileType:
    """The sniffed type, when the declared content type and the filename's extension agree with it."""
    if file_type is None:
        raise refuse(f"Unsupported or unrecognised file: we accept {ACCEPTED}.")
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared not in _UNDECLARED and declared not in file_type.content_types:
        raise refuse(f"The file is a {file_type.name.upper()} but was sent as {declared}.", "content_type")
    suffix = PurePosixPath(filename or "").suffix.lower()
    if suffix not in file_type.extensions:
        expected = " or ".join(file_type.extensions)
        raise refuse(f"The file is a {file_type.name.upper()}: its name must end in {expected}.", "name")
    return file_type


def inspect_upload(stream: BinaryIO, *, size: int, filename: str, content_type: str) -> Inspected:
    """Check an uploaded file (a seekable binary stream of `size` bytes) and return what to store.

    Any problem is an `InvalidInput` with per-field errors, never another exception.
    """
    if size <= 0:
        raise refuse("The file is empty.")
    stream.seek(0)
    file_type = check_declared(sniff(stream.read(64)), filename=filename, content_type=content_type)
    stream.seek(0)
    if file_type.kind == "video":
        return _inspect_video(stream, size=size, file_type=file_type)
    if size > settings.MEDIA_MAX_UPLOAD_BYTES:
        raise refuse(f"Images may be at most {settings.MEDIA_MAX_UPLOAD_BYTES} bytes.")
    return _inspect_image(stream.read(), file_type=file_type)


def _inspect_video(stream: BinaryIO, *, size: int, file_type: FileType) -> Inspected:
    if size > settings.MEDIA_MAX_VIDEO_BYTES:
        raise refuse(f"Videos may be at most {settings.MEDIA_MAX_VIDEO_BYTES} bytes.")
    try:
        facts = read_movie(stream, file_size=size)
    except Mp4Error as exc:
        raise refuse(str(exc)) from None
    if facts.duration_seconds > settings.MEDIA_MAX_VIDEO_SECONDS:
        raise refuse(f"The video is {facts.duration_seconds:.0f} s long; at most {settings.MEDIA_MAX_VIDEO_SECONDS} s.")
    return Inspected(
        file_type=file_type,
        size_bytes=size,
        width=facts.width,
        height=facts.height,
        duration_seconds=round(facts.duration_seconds, 3),
    )


def _open_checked(data: bytes, file_type: FileType) -> Image.Image:
    """Open and fully decode, refusing bombs, truncation and corruption as InvalidInput."""
    limit = settings.MEDIA_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[file_type.pillow_format])
            width, height = image.size
            if width * height > limit:
                raise refuse(f"The image is {width}x{height} pixels; at most {limit} pixels in all.")
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_GIF_FRAMES or frames * width * height > 4 * limit:
                raise refuse(f"The animation has too many frames ({frames}).")
            for frame in range(frames):
                image.seek(frame)
                image.load()
            image.seek(0)
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refuse(f"The image decodes to more than {limit} pixels.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise refuse(f"The {file_type.name.upper()} file is truncated or corrupt.") from None
    return image


def _inspect_image(data: bytes, *, file_type: FileType) -> Inspected:
    image = _open_checked(data, file_type)
    if file_type.name == "gif":
        # GIF has no EXIF block to carry a location; it is kept as sent (re-encoding would lose its timing).
        clean = data
        upright = image.convert("RGBA")
    else:
        upright = ImageOps.exif_transpose(image)
        clean = _reencode(upright, file_type)
    thumbnail = _thumbnail(upright)
    return Inspected(
        file_type=file_type,
        size_bytes=len(clean),
        width=upright.width,
        height=upright.height,
        clean=clean,
        thumbnail=thumbnail,
    )


def _reencode(image: Image.Image, file_type: FileType) -> bytes:
    """The pixels again, without EXIF or XMP (so without GPS); the colour profile is kept."""
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if file_type.name == "jpeg":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=92, optimize=True, **options)
    elif file_type.name == "png":
        transparency = image.info.get("transparency")
        if transparency is not None:
            options["transparency"] = transparency
        image.save(out, format="PNG", **options)
    else:  # HEIC: pillow-heif copies EXIF/XMP from the image unless told not to
        image.save(out, format="HEIF", quality=90, exif=None, xmp=None, **options)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail(THUMBNAIL_SIZE)
    if small.mode in ("RGBA", "LA", "P"):
        rgba = small.convert("RGBA")
        small = Image.new("RGB", rgba.size, "white")
        small.paste(rgba, mask=rgba.getchannel("A"))
    elif small.mode != "RGB":
        small = small.convert("RGB")
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=80)
    return out.getvalue()
