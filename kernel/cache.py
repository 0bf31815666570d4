"""The embedded cache backend: Django's file cache with `add` and `incr`/`decr` made atomic.

Rate limits and throttles count with `cache.add` + `cache.incr`, which Redis does atomically. Django's
file cache implements both as read-then-write, so two processes could read the same count and both
be admitted; it also resets a key's expiry on `incr`. Here both run under an exclusive lock file
(one of a fixed set, chosen by the key, so lock files never pile up) and `incr` keeps the expiry.
The lock works across the processes of one machine, which is what a file cache is shared by.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import time
import zlib
from collections.abc import Iterator
from hashlib import md5
from typing import TYPE_CHECKING, Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks
from django.core.files.move import file_move_safe

LOCK_STRIPES = 64


class FileCache(FileBasedCache):
    # FileBasedCache's private parts used below (django-stubs leaves them out).
    _dir: str
    if TYPE_CHECKING:

        def _key_to_file(self, key: str, version: int | None = None) -> str: ...

    @contextlib.contextmanager
    def _locked(self, key: str, version: int | None) -> Iterator[None]:
        full_key = self.make_and_validate_key(key, version=version)
        stripe = int(md5(full_key.encode(), usedforsecurity=False).hexdigest(), 16) % LOCK_STRIPES
        lock_dir = os.path.join(self._dir, "locks")
        os.makedirs(lock_dir, exist_ok=True)
        with open(os.path.join(lock_dir, f"{stripe}.lock"), "a") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    def add(self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        with self._locked(key, version):
            return super().add(key, value, timeout, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        with self._locked(key, version):
            fname = self._key_to_file(key, version)
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)  # noqa: S301 - our own cache files, as in Django's
                    if expiry is not None and expiry < time.time():
                        raise FileNotFoundError(fname)
                    value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301
            except FileNotFoundError:
                raise ValueError(f"Key '{key}' not found") from None
            value += delta
            self._replace(fname, expiry, value)
            result: int = value
            return result

    def decr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return self.incr(key, -delta, version)

    def _replace(self, fname: str, expiry: float | None, value: int) -> None:
        """Write `value` with the expiry it already had (Django's `set` would start a new timeout)."""
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        renamed = False
        try:
            with open(fd, "wb") as f:
                f.write(pickle.dumps(expiry, self.pickle_protocol))
                f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            file_move_safe(tmp_path, fname, allow_overwrite=True)
            renamed = True
        finally:
            if not renamed:
                os.remove(tmp_path)
