"""URL patterns of the server-rendered web UI (the content calendar and friends)."""

urlpatterns: list = []
