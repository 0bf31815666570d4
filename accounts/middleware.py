from django.utils import timezone


class UserTimezoneMiddleware:
    """Pages for a signed-in user render in that user's timezone (API views do the same after JWT auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tzinfo)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
