"""Helpers for tests that talk to a sandbox over HTTP: its admin routes, raw GraphQL, seeded ids."""

from __future__ import annotations

import hashlib

import requests

from buffer_sandbox.server import SandboxServer


def profile_id(token: str, service: str = "twitter") -> str:
    """The sandbox seeds one profile (= GraphQL channel) per service with this id, for both APIs."""
    return hashlib.sha256(f"{token}:{service}".encode()).hexdigest()[:24]


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
