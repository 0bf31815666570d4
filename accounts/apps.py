from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and social accounts"

    def ready(self) -> None:
        from accounts import audit, audit_admin, token_admin  # noqa: F401  (audit_admin registers the read-only log)
        from accounts.tenancy import MembershipTenancy
        from kernel import tenancy
        from kernel.audited_update import register_update_recorder

        tenancy.provide(MembershipTenancy())
        # The layers below accounts (buffer_integration) record their .update()s through the kernel.
        register_update_recorder(audit.record_update)

        # The admin app (listed first) has autodiscovered simplejwt's own token admin by now.
        token_admin.register()
