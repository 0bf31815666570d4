"""Helpers for the backend tests that run against both Buffer APIs (fixtures are in conftest.py)."""

from __future__ import annotations

import hashlib
import socket
import time
from datetime import datetime, timedelta

import requests

from buffer_integration.backends.graphql import GraphQLBackend
from buffer_integration.backends.v1 import V1Backend
from buffer_integration.sandbox.server import SandboxServer

APIS = ["v1", "graphql"]
READ_TIMEOUT = 0.4


class Box:
    """The sandbox's admin routes, plus raw GraphQL for tests of the server itself."""

    def __init__(self, server: SandboxServer):
        self.server = server
        self.url = server.url

    def call(self, method: str, path: str, **kwargs):
        response = requests.request(method, f"{self.url}/__sandbox/{path}", timeout=5, **kwargs)
        assert response.status_code < 300, (path, response.status_code, response.text)
        return response.json() if response.content else None

    def faults(self, **changes) -> dict:
        return self.call("PUT", "faults", json=changes)

    def stats(self) -> dict:
        return self.call("GET", "stats")

    def updates(self, profile_id: str | None = None) -> list[dict]:
        return self.call("GET", "updates", params={"profile_id": profile_id} if profile_id else None)

    def graphql(self, token: str | None, query: str, variables: dict | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = {"query": query, "variables": variables}
        return requests.post(f"{self.url}/graphql", json=body, headers=headers, timeout=5, **kwargs)


def backend_for(api: str, token: str, url: str, **options):
    """A backend of either API against a sandbox (or any) root URL."""
    if api == "graphql":
        return GraphQLBackend(token, url=url.rstrip("/") + "/graphql", **options)
    return V1Backend(token, base_url=url, **options)


def profile_id(token: str, service: str = "twitter") -> str:
    """The sandbox seeds one profile (= GraphQL channel) per service with this id, for both APIs."""
    return hashlib.sha256(f"{token}:{service}".encode()).hexdigest()[:24]


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
