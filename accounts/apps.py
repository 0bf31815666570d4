from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and social accounts"

    def ready(self) -> None:
        from accounts import audit_admin, token_admin  # noqa: F401  (audit_admin registers the read-only log)

        # The admin app (listed first) has autodiscovered simplejwt's own token admin by now.
        token_admin.register()
