from django.apps import AppConfig


class SocialHubConfig(AppConfig):
    """The project package is an app too: it owns the periodic-task setup command."""

    name = "socialhub"
    verbose_name = "SocialHub"
