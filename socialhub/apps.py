from django.apps import AppConfig


class SocialHubConfig(AppConfig):
    """The project package is an app too: it owns the periodic-task setup command and the audit list."""

    name = "socialhub"
    verbose_name = "SocialHub"

    def ready(self) -> None:
        from socialhub import audited

        audited.register()
