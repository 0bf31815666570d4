"""The network-limits table (buffer_integration/data/configuration.json) and the rules read from it.

The same file is served verbatim as /1/info/configuration.json and drives the sandbox's own
validation (character limits, supported interaction events), so the product and the sandbox can
never disagree about a limit.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from buffer_integration.counting import weighted_length

CONFIG_PATH = Path(__file__).resolve().parent.parent / "buffer_integration" / "data" / "configuration.json"

# The services every new sandbox token gets one profile for, with their Buffer service_type.
SERVICES: list[tuple[str, str]] = [
    ("twitter", "profile"),
    ("facebook", "page"),
    ("instagram", "profile"),
    ("linkedin", "profile"),
    ("mastodon", "profile"),
    ("bluesky", "profile"),
    ("threads", "profile"),
    ("pinterest", "profile"),
    ("tiktok", "profile"),
    ("youtube", "profile"),
    ("googlebusiness", "profile"),
]

# Tokens starting with this get a second organization on first use (Buffer: one API key sees every
# organization of the account), holding these channels — the fixture for multi-organization tests.
MULTI_ORG_PREFIX = "multiorg"
SECOND_ORGANIZATION_SERVICES: list[tuple[str, str]] = [
    ("bluesky", "profile"),
    ("linkedin", "profile"),
    ("instagram", "profile"),
    ("pinterest", "profile"),
]


@lru_cache(maxsize=1)
def raw_configuration() -> bytes:
    """The file's bytes, served as-is so the endpoint is byte-identical to our fixture."""
    return CONFIG_PATH.read_bytes()


@lru_cache(maxsize=1)
def configuration() -> dict:
    return json.loads(raw_configuration())


def type_config(service: str, service_type: str) -> dict:
    """`services[service].types[service_type]`, falling back to the service's `profile` type."""
    types = configuration()["services"].get(service, {}).get("types", {})
    return types.get(service_type) or types.get("profile") or {}


def service_name(service: str, service_type: str) -> str:
    return type_config(service, service_type).get("name", service.title())


def text_length(text: str, service: str, service_type: str) -> int:
    """Length as the network counts it: the product's own rule (`buffer_integration.counting`), so the
    sandbox refuses exactly what SocialHub's validation would (X's weights, Bluesky's graphemes, …)."""
    if not type_config(service, service_type):
        return len(text)  # a service the table does not know has no limit either
    return weighted_length(text, service, service_type)


def character_limit(service: str, service_type: str) -> int | None:
    limit = type_config(service, service_type).get("character_limit")
    return int(limit) if limit is not None else None


def singular_event(event: str) -> str:
    """Buffer accepts `likes` and `like` alike ("plural allowed, no effect")."""
    return event[:-1] if event.endswith("s") else event


def supports_event(service: str, service_type: str, event: str) -> bool:
    supported = {singular_event(e) for e in type_config(service, service_type).get("supported_interactions", [])}
    return singular_event(event) in supported
