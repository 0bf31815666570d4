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
# Buffer's GraphQL endpoint (developers.buffer.com: `https://api.buffer.com`, also served at /graphql).
BUFFER_GRAPHQL_ENDPOINT = "https://api.buffer.com"

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


APIS = ("graphql", "v1")


def get_backend(
    access_token: str,
    *,
    api: str = "v1",
    max_retries: int | None = None,
    priority: int | None = None,
    plan: str | None = None,
) -> BufferBackend:
    """A backend for one Buffer credential, configured from Django settings.

    Every HTTP request the backend sends (retries and extra pages included) is first admitted by the
    key's request budget (`buffer_integration.budget.KeyBudget`) at `priority` (a `budget.Priority`,
    default PUBLISH: calls a person waits for) with the windows of `plan` (`BufferConfig.plan`,
    default the smallest); over budget, the call raises `BufferBudgetExhausted(retry_at=…)` and
    sends nothing. Background callers must pass their own lower priority.

    `max_retries` overrides BUFFER_MAX_RETRIES: the publishing engine passes 0 for its writes, as it
    keeps its own durable retry schedule and per-token budget.

    `api` is the config's `BufferConfig.api`: "graphql" (an API key for https://api.buffer.com) or
    "v1" (a pre-2019 app's access token). This is the only place that looks at it. The GraphQL URL is
    `graphql_url()`.
    """
    from django.conf import settings

    if api not in APIS:
        raise ValueError(f"Unsupported Buffer API: {api!r}")
    client = {**DEFAULT_CLIENT, **(getattr(settings, "BUFFER_CLIENT", None) or {})}
    session = get_session()
    timeouts = (float(client["connect_timeout"]), float(client["read_timeout"]))
    retries = int(client["max_retries"]) if max_retries is None else max_retries
    backoff_base = float(client["backoff_base"])
    base_url = getattr(settings, "BUFFER_API_URL", None) or DEFAULT_API_URL
    backend: BufferBackend
    if api == "graphql":
        from buffer_integration.backends.graphql import GraphQLBackend

        backend = GraphQLBackend(
            access_token,
            url=graphql_url(),
            session=session,
            timeouts=timeouts,
            max_retries=retries,
            backoff_base=backoff_base,
        )
    else:
        from buffer_integration.backends.v1 import V1Backend

        backend = V1Backend(
            access_token,
            base_url=base_url,
            session=session,
            timeouts=timeouts,
            max_retries=retries,
            backoff_base=backoff_base,
        )
    return with_budget(backend, access_token, api=api, priority=priority, plan=plan)


def with_budget(
    backend: BufferBackend, access_token: str, *, api: str, priority: int | None = None, plan: str | None = None
) -> BufferBackend:
    """Attach the key's request budget to `backend`'s HTTP client (every backend keeps one in `_http`).

    Done here rather than in each backend's constructor so the backends stay free of Django.
    """
    from buffer_integration.budget import KeyBudget, Priority

    priority = Priority.PUBLISH if priority is None else Priority(priority)
    backend._http.budget = KeyBudget(access_token, api=api, plan=plan, priority=priority)
    return backend


def _is_loopback(url: str) -> bool:
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def buffer_is_local_sandbox() -> bool:
    """Both Buffer URLs (v1 and GraphQL) point at this machine: the sandbox, which takes any key."""
    from django.conf import settings

    api_url = getattr(settings, "BUFFER_API_URL", None) or DEFAULT_API_URL
    return _is_loopback(api_url) and _is_loopback(graphql_url())


def graphql_url() -> str:
    """Where GraphQL calls go: `BUFFER_GRAPHQL_URL` when set; else, when `BUFFER_API_URL` is on this machine
    (the sandbox, which serves both APIs), its `/graphql`; else Buffer's own https://api.buffer.com.

    A `BUFFER_API_URL` pointing at Buffer's v1 host (api.bufferapp.com) is the REST API's base only: it
    never receives GraphQL calls ("Setting only a v1 base URL must not send GraphQL calls to the v1 host",
    ../shared/reference/buffer-graphql/README.md, rule 10).
    """
    from django.conf import settings

    explicit = (getattr(settings, "BUFFER_GRAPHQL_URL", None) or "").strip()
    if explicit:
        return explicit
    base_url = getattr(settings, "BUFFER_API_URL", None) or DEFAULT_API_URL
    return base_url.rstrip("/") + "/graphql" if _is_loopback(base_url) else BUFFER_GRAPHQL_ENDPOINT


def ensure_supported(backend: BufferBackend, feature: str) -> None:
    """Raise BufferUnsupported when `backend`'s API has no `feature` ("statistics", "interactions").

    Ask before a loop over posts, so a GraphQL config says so plainly instead of recording zeros.
    """
    message = (getattr(backend, "unsupported", None) or {}).get(feature)
    if message:
        from buffer_integration.exceptions import BufferUnsupported

        raise BufferUnsupported(message)


__all__ = [
    "APIS",
    "buffer_is_local_sandbox",
    "ensure_supported",
    "get_backend",
    "get_session",
    "graphql_url",
    "with_budget",
]
