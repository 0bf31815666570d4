"""Buffer backends and the factory the rest of SocialHub uses.

Importing this package imports no Django: `get_backend` reads settings lazily, so the sandbox and
pure-stdlib tooling can import `buffer_integration.backends.*` without configured settings.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import requests

    from buffer_integration.backends.base import BufferBackend

DEFAULT_CLIENT = {"connect_timeout": 3.05, "read_timeout": 10.0, "max_retries": 2, "backoff_base": 0.5}
DEFAULT_API_URL = "http://127.0.0.1:8008"

_session: requests.Session | None = None
_session_lock = threading.Lock()


def get_session() -> requests.Session:
    """The process-wide pooled Session shared by every backend."""
    global _session
    if _session is None:
        with _session_lock:
            if _session is None:
                from buffer_integration.backends.http import make_session

                _session = make_session()
    return _session


def get_backend(access_token: str, *, api: str = "v1") -> BufferBackend:
    """A backend for one Buffer access token, configured from Django settings."""
    from django.conf import settings

    if api != "v1":
        raise ValueError(f"Unsupported Buffer API: {api!r}")
    from buffer_integration.backends.v1 import V1Backend

    client = {**DEFAULT_CLIENT, **(getattr(settings, "BUFFER_CLIENT", None) or {})}
    return V1Backend(
        access_token,
        base_url=getattr(settings, "BUFFER_API_URL", None) or DEFAULT_API_URL,
        session=get_session(),
        timeouts=(float(client["connect_timeout"]), float(client["read_timeout"])),
        max_retries=int(client["max_retries"]),
        backoff_base=float(client["backoff_base"]),
    )


__all__ = ["get_backend", "get_session"]
