from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and social accounts"

    def ready(self) -> None:
        from accounts import token_admin
        from accounts.tenancy import MembershipTenancy
        from kernel import tenancy

        tenancy.provide(MembershipTenancy())

        # The admin app (listed first) has autodiscovered simplejwt's own token admin by now.
        token_admin.register()
