"""Fixtures for the backend tests that run against both Buffer APIs over real HTTP (no Django DB).

The sandbox itself (`http_sandbox`, `box`, `key`) comes from the root conftest: one server per module,
apart from the Django-settings `sandbox` fixture.
"""

from __future__ import annotations

import pytest

from buffer_integration.backends.http import make_session
from buffer_integration.tests.backend_support import READ_TIMEOUT, backend_for


@pytest.fixture(scope="module")
def pooled_session():
    session = make_session()
    yield session
    session.close()


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
