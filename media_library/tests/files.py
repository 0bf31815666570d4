"""Test files made in memory: images with Pillow (EXIF and GPS included), HEIC with pillow-heif, and
MP4/MOV files built box by box (ftyp, moov/mvhd, trak/tkhd, mdat)."""

from __future__ import annotations

import io
import struct
import zlib

import pillow_heif
from PIL import Image

ORIENTATION, GPS_IFD = 0x0112, 0x8825


def exif_with_gps(orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 31.0, 12.0), "E", (13.0, 24.0, 36.0)
    return exif.tobytes()


def jpeg(width: int = 60, height: int = 40, *, orientation: int = 1, gps: bool = False, color="red") -> bytes:
    image = Image.new("RGB", (width, height), color)
    image.paste((0, 0, 255), (0, 0, 10, 10))  # a marker: where the top-left corner ends up after orientation
    out = io.BytesIO()
    if gps or orientation != 1:
        image.save(out, format="JPEG", exif=exif_with_gps(orientation))
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def png(width: int = 40, height: int = 40, *, noise: bool = False) -> bytes:
    import os

    if noise:
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), "green")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def gif(width: int = 30, height: int = 30) -> bytes:
    frames = [Image.new("P", (width, height), i) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def heic(width: int = 64, height: int = 48, *, gps: bool = True) -> bytes:
    pillow_heif.register_heif_opener()
    image = Image.new("RGB", (width, height), "blue")
    out = io.BytesIO()
    image.save(out, format="HEIF", exif=exif_with_gps() if gps else None)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims `width`x`height` pixels: a decompression bomb's header (the data never comes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mvhd(*, seconds: float, timescale: int = 1000) -> bytes:
    payload = struct.pack(">B3xIIII", 0, 0, 0, timescale, int(seconds * timescale)) + b"\0" * 80
    return box(b"mvhd", payload)


def tkhd(*, width: int, height: int) -> bytes:
    payload = b"\0" * 76 + struct.pack(">II", width << 16, height << 16)
    return box(b"tkhd", payload)


def movie_header(*, seconds: float = 12.5, width: int = 1080, height: int = 1920, brand: bytes = b"isom") -> bytes:
    ftyp = box(b"ftyp", brand + struct.pack(">I", 512) + b"isomiso2mp41")
    audio = box(b"trak", tkhd(width=0, height=0))  # an audio track first: no picture size
    video = box(b"trak", tkhd(width=width, height=height))
    return ftyp + box(b"moov", mvhd(seconds=seconds) + audio + video)


def mp4(*, seconds: float = 12.5, width: int = 1080, height: int = 1920, data: int = 1000, brand=b"isom") -> bytes:
    return movie_header(seconds=seconds, width=width, height=height, brand=brand) + box(b"mdat", b"\0" * data)


def mdat_header(size: int) -> bytes:
    """The header of an `mdat` box of `size` payload bytes (64-bit size: any length)."""
    return struct.pack(">I4sQ", 1, b"mdat", 16 + size)
