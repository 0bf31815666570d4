"""Fixtures for the backend tests that run against both Buffer APIs over real HTTP (no Django DB).

Names differ from the root conftest's `sandbox` (a Django-settings fixture) and from the
module-local fixtures of test_backend_v1.py on purpose: these start their own sandbox per module.
"""

from __future__ import annotations

import uuid

import pytest

from buffer_integration.backends.http import make_session
from buffer_integration.sandbox.server import SandboxServer
from buffer_integration.tests.backend_support import READ_TIMEOUT, Box, backend_for


@pytest.fixture(scope="module")
def http_sandbox():
    server = SandboxServer(host="127.0.0.1", port=0, state_path=":memory:", rate_limit_per_minute=0, quiet=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def pooled_session():
    session = make_session()
    yield session
    session.close()


@pytest.fixture
def box(http_sandbox) -> Box:
    b = Box(http_sandbox)
    b.call("POST", "reset")
    yield b
    b.call("POST", "reset")


@pytest.fixture
def key() -> str:
    return f"1/{uuid.uuid4().hex}"


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_backend(http_sandbox, pooled_session, sleeps, key):
    def make(api: str, token: str | None = None, **kwargs):
        options = {
            "session": pooled_session,
            "timeouts": (0.5, READ_TIMEOUT),
            "max_retries": 2,
            "backoff_base": 0.01,
            "sleep": sleeps.append,
            **kwargs,
        }
        return backend_for(api, token or key, http_sandbox.url, **options)

    return make
