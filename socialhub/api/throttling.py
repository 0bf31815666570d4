"""60 requests per minute per user across every process: counts live in the shared cache."""

from rest_framework.throttling import SimpleRateThrottle


class PerUserRateThrottle(SimpleRateThrottle):
    """Authenticated callers are limited per user, anonymous ones (token endpoints) per IP."""

    scope = "user"

    def get_cache_key(self, request, view) -> str:
        if request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
