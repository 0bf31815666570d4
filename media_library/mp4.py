"""A small, bounded reader of ISO-BMFF boxes (MP4, MOV): is there an `ftyp`, and what do `moov/mvhd` and
`moov/trak/tkhd` say about duration and picture size.

It never loads the file: it reads 8- or 16-byte box headers and seeks past payloads, and reads the payload
only of the two small boxes it wants. Box count and nesting depth are capped, so a crafted file cannot make
it walk forever; a box that claims to run past the end of the file is a truncated file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

MAX_BOXES = 10_000
MAX_DEPTH = 6
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"edts"}  # boxes holding the ones we read
_MVHD_MAX = 256
_TKHD_MAX = 256


class Mp4Error(ValueError):
    """The file is not an ISO-BMFF movie we can read; the message says what is wrong, for a person."""


@dataclass(frozen=True)
class MovieFacts:
    major_brand: str
    duration_seconds: float
    width: int | None
    height: int | None


def read_ftyp_brand(head: bytes) -> tuple[str, list[str]] | None:
    """(major brand, compatible brands) when `head` starts with an `ftyp` box, else None."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    size = struct.unpack(">I", head[:4])[0]
    if size < 16:
        return None
    body = head[8 : min(size, len(head))]
    major = body[:4].decode("latin-1")
    compatible = [body[i : i + 4].decode("latin-1") for i in range(8, len(body) - 3, 4)]
    return major, compatible


class _Walker:
    def __init__(self, stream: BinaryIO, file_size: int) -> None:
        self.stream = stream
        self.file_size = file_size
        self.boxes = 0
        self.duration: float | None = None
        self.size: tuple[int, int] | None = None

    def walk(self, start: int, end: int, depth: int) -> None:
        offset = start
        while offset + 8 <= end:
            self.boxes += 1
            if self.boxes > MAX_BOXES:
                raise Mp4Error(f"The movie has more than {MAX_BOXES} boxes: not a file we read.")
            size, kind, header_size = self._header(offset, end)
            if size < header_size:
                raise Mp4Error("The movie file has a malformed box.")
            if offset + size > end:
                raise Mp4Error("The movie file is truncated: a box runs past its end.")
            payload = offset + header_size
            if kind in CONTAINERS:
                if depth >= MAX_DEPTH:
                    raise Mp4Error("The movie's boxes are nested too deep.")
                self.walk(payload, offset + size, depth + 1)
            elif kind == b"mvhd" and self.duration is None:
                self.duration = self._mvhd(payload, min(size - header_size, _MVHD_MAX))
            elif kind == b"tkhd" and self.size is None:
                self.size = self._tkhd(payload, min(size - header_size, _TKHD_MAX))
            offset += size

    def _header(self, offset: int, end: int) -> tuple[int, bytes, int]:
        """(box size, type, header length) of the box at `offset`; size 0 means "to the end"."""
        header = self._read(offset, 8)
        size, kind = struct.unpack(">I4s", header)
        if size == 1:
            return struct.unpack(">Q", self._read(offset + 8, 8))[0], kind, 16
        if size == 0:
            return end - offset, kind, 8
        return size, kind, 8

    def _read(self, at: int, length: int) -> bytes:
        self.stream.seek(at)
        data = self.stream.read(length)
        if len(data) < length:
            raise Mp4Error("The movie file is truncated.")
        return data

    def _mvhd(self, at: int, length: int) -> float:
        data = self._read(at, length)
        version = data[0] if data else 0
        try:
            if version == 1:
                timescale, duration = struct.unpack(">IQ", data[20:32])
            else:
                timescale, duration = struct.unpack(">II", data[12:20])
        except struct.error:
            raise Mp4Error("The movie header (mvhd) is malformed.") from None
        if timescale == 0:
            raise Mp4Error("The movie header (mvhd) has no time scale.")
        return duration / timescale

    def _tkhd(self, at: int, length: int) -> tuple[int, int] | None:
        data = self._read(at, length)
        version = data[0] if data else 0
        offset = 88 if version == 1 else 76  # width and height: the header's last 8 bytes, 16.16 fixed point
        try:
            width, height = struct.unpack(">II", data[offset : offset + 8])
        except struct.error:
            raise Mp4Error("A track header (tkhd) is malformed.") from None
        width, height = width >> 16, height >> 16
        return (width, height) if width and height else None  # an audio track has none: look at the next


def read_movie(stream: BinaryIO, *, file_size: int) -> MovieFacts:
    """Facts of an MP4/MOV file, or Mp4Error. The first box must be `ftyp`; `moov/mvhd` must be there."""
    stream.seek(0)
    head = stream.read(64)
    brands = read_ftyp_brand(head)
    if brands is None:
        raise Mp4Error("Not an MP4/MOV movie: the file does not start with an ftyp box.")
    walker = _Walker(stream, file_size)
    walker.walk(0, file_size, 0)
    if walker.duration is None:
        raise Mp4Error("The movie has no readable header (moov/mvhd): it cannot be played as it is.")
    width, height = walker.size or (None, None)
    return MovieFacts(major_brand=brands[0], duration_seconds=walker.duration, width=width, height=height)
