"""Helpers for tests that talk to a sandbox over HTTP: its admin routes, raw GraphQL, seeded ids."""

from __future__ import annotations

import hashlib

import requests

from buffer_sandbox.config import MULTI_ORG_PREFIX
from buffer_sandbox.server import SandboxServer

__all__ = ["MULTI_ORG_PREFIX", "Box", "profile_id"]


def profile_id(token: str, service: str = "twitter", organization: int = 0) -> str:
    """The sandbox seeds one profile (= GraphQL channel) per service with this id, for both APIs.
    Channels of a key's further organizations (keys starting with MULTI_ORG_PREFIX, or added with
    `Box.add_organization`) are `profile_id(token, service, organization=1)`, …"""
    name = service if organization == 0 else f"{service}@{organization}"
    return hashlib.sha256(f"{token}:{name}".encode()).hexdigest()[:24]


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

    def set_clock(self, **how) -> dict:
        """`now=` (epoch seconds or ISO-8601), `advance_seconds=` or `offset_seconds=`."""
        return self.call("POST", "clock", json=how)

    def set_plan(self, token: str, plan: str, **limits: int) -> dict:
        """Buffer plan of a key (free, essentials, team); `limits` override windows, e.g. `**{"30d": 5}`."""
        return self.call("POST", "tokens/plan", json={"token": token, "plan": plan, "limits": limits})

    def add_organization(self, token: str, services: list[str] | None = None) -> dict:
        return self.call("POST", "organizations", json={"token": token, "services": services})

    def updates(self, profile_id: str | None = None) -> list[dict]:
        return self.call("GET", "updates", params={"profile_id": profile_id} if profile_id else None)

    def graphql(self, token: str | None, query: str, variables: dict | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = {"query": query, "variables": variables}
        return requests.post(f"{self.url}/graphql", json=body, headers=headers, timeout=5, **kwargs)
