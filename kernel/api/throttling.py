"""60 requests per minute per user across every process: an atomic fixed-window count in the shared cache.

DRF's own throttles read a request history, append and write it back, so concurrent requests all
read the same history and are all admitted. Here each request takes a number from an atomic counter
(`kernel.ratelimit`): exactly `limit` requests of a window are admitted, whatever the concurrency.
Windows are fixed minutes (a burst can straddle two of them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.throttling import SimpleRateThrottle

from kernel import ratelimit
from kernel.client_address import client_address

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_THROTTLE_CLASSES): types only
    from rest_framework.request import Request
    from rest_framework.views import APIView


class PerUserRateThrottle(SimpleRateThrottle):
    """Authenticated callers are limited per user, anonymous ones (token endpoints) per client address."""

    scope = "user"
    # Set by SimpleRateThrottle.__init__ from the parsed rate (django-stubs-style stubs leave them out).
    num_requests: int
    duration: int

    def get_ident(self, request: Request) -> str:
        return client_address(request)

    def get_cache_key(self, request: Request, view: APIView) -> str:
        if request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        found = ratelimit.hit(self.key, window=int(self.duration))
        self._retry_after = found.retry_after
        return found.count <= self.num_requests

    def wait(self) -> float:
        return self._retry_after
