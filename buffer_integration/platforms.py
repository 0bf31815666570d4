"""Buffer's service names ↔ our platform names, and the per-network limits table."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_SERVICE_TO_PLATFORM = {"google": "googlebusiness", "x": "twitter"}
CONFIGURATION_PATH = Path(__file__).parent / "data" / "configuration.json"


def platform_for_service(service: str) -> str:
    return _SERVICE_TO_PLATFORM.get(service, service)


@lru_cache(maxsize=1)
def network_configuration() -> dict:
    """Buffer's `/1/info/configuration.json` shape, extended with SocialHub's `x_` keys."""
    return json.loads(CONFIGURATION_PATH.read_text())


def network_limits(platform: str, service_type: str = "profile") -> dict:
    types = network_configuration()["services"][platform]["types"]
    return types.get(service_type) or next(iter(types.values()))
