from django.apps import AppConfig


class WebConfig(AppConfig):
    """An app so that its template tags load; it has no models."""

    name = "web"
    verbose_name = "SocialHub web UI"
