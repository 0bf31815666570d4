"""Helpers for the backend tests that run against both Buffer APIs (fixtures are in conftest.py)."""

from __future__ import annotations

import socket
import time
from datetime import datetime, timedelta

from buffer_integration.backends.graphql import GraphQLBackend
from buffer_integration.backends.v1 import V1Backend
from buffer_sandbox.testing import Box, profile_id  # noqa: F401 (re-exported for the backend tests)

APIS = ["v1", "graphql"]
# Generous enough that an ordinary sandbox answer on a loaded 2-core CI machine never times out (0.4 s did,
# in a full run beside other work); the timeout tests make the sandbox slower than this on purpose.
READ_TIMEOUT = 1.5


def backend_for(api: str, token: str, url: str, **options):
    """A backend of either API against a sandbox (or any) root URL."""
    if api == "graphql":
        return GraphQLBackend(token, url=url.rstrip("/") + "/graphql", **options)
    return V1Backend(token, base_url=url, **options)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_utc(dt: datetime | None) -> None:
    assert dt is not None and dt.tzinfo is not None and dt.utcoffset() == timedelta(0)


def wait_for(predicate, timeout: float = 3.0):
    deadline = time.monotonic() + timeout
    while not (value := predicate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value
