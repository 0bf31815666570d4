"""Fixtures every app's tests share: personas, authenticated API clients and the Buffer sandbox."""

from __future__ import annotations

import hashlib
import uuid

import pytest
import requests
from django.core.cache import cache

# `celery_workers`: real worker processes for the publishing engine's end-to-end tests.
# `log_secrets`: the session fails if any secret a test set appears in any log record.
# `browser`: headless Chromium fixtures (`browser`, `page`, `mobile_page`) for every app's end-to-end tests.
pytest_plugins = ["socialhub.tests.log_secrets", "socialhub.tests.celery_workers", "socialhub.tests.browser"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit windows and throttles live in the cache; each test starts with an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="owner")


@pytest.fixture
def outsider(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="outsider")


def client_for(user):
    from rest_framework.test import APIClient

    from accounts.auth import RefreshToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def api(owner):
    """An API client authenticated as `owner` with a real JWT."""
    return client_for(owner)


@pytest.fixture
def outsider_api(outsider):
    return client_for(outsider)


@pytest.fixture
def live_api(live_server, transactional_db, owner):
    """`owner`'s API over real HTTP (a `requests` session against `live_server`)."""
    from socialhub.tests.live_api import LiveApi

    return LiveApi(live_server.url, owner)


@pytest.fixture
def web(client, owner):
    """A browser-like client of the web UI, logged in (session) as `owner`."""
    client.force_login(owner)
    return client


class Sandbox:
    """A running Buffer sandbox plus helpers for its admin routes."""

    def __init__(self, server):
        self.server = server
        self.url = server.url

    def admin(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(method, f"{self.url}/__sandbox/{path.lstrip('/')}", timeout=5, **kwargs)
        response.raise_for_status()
        return response

    def faults(self, **faults) -> dict:
        return self.admin("PUT", "faults", json=faults).json()

    def profiles(self, token: str) -> list[dict]:
        return self.admin("GET", "profiles", params={"token": token}).json()

    def stats(self) -> dict:
        return self.admin("GET", "stats").json()

    @staticmethod
    def profile_id(token: str, service: str) -> str:
        return hashlib.sha256(f"{token}:{service}".encode()).hexdigest()[:24]


@pytest.fixture(scope="session")
def _sandbox_server():
    from buffer_sandbox.server import SandboxServer

    server = SandboxServer(host="127.0.0.1", port=0, state_path=":memory:", rate_limit_per_minute=0, quiet=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def http_sandbox():
    """A sandbox of the module's own (no Django settings touched), for tests of clients and the server."""
    from buffer_sandbox.server import SandboxServer

    server = SandboxServer(host="127.0.0.1", port=0, state_path=":memory:", rate_limit_per_minute=0, quiet=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def box(http_sandbox):
    """`http_sandbox`'s admin routes and raw GraphQL, reset around each test."""
    from buffer_sandbox.testing import Box

    b = Box(http_sandbox)
    b.call("POST", "reset")
    yield b
    b.call("POST", "reset")


@pytest.fixture
def key() -> str:
    """A fresh Buffer key: the sandbox seeds its account on first use."""
    return f"1/{uuid.uuid4().hex}"


@pytest.fixture
def sandbox(_sandbox_server, settings) -> Sandbox:
    """A clean Buffer sandbox over real HTTP; the product's Buffer URL points at it."""
    box = Sandbox(_sandbox_server)
    box.admin("POST", "reset")
    box.faults(rate_limit_per_minute=0)
    settings.BUFFER_API_URL = box.url
    return box


@pytest.fixture
def dead_buffer_url(settings) -> str:
    """A Buffer URL on which nothing listens: every call fails to connect."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.BUFFER_API_URL = f"http://127.0.0.1:{port}"
    return settings.BUFFER_API_URL
