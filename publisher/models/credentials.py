"""Integrator apps (id + secret for signed requests) and the per-user webhook signing secret.

Both secrets are kept only as ciphertext (`kernel.crypto`), like access tokens: the plaintext
is never a model attribute, so admin pages, serializers and `repr()` cannot show it.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models

from kernel import crypto
from kernel.models import TimestampedModel


class EncryptedSecretModel(models.Model):
    secret_encrypted = models.TextField(editable=False)

    class Meta:
        abstract = True

    def set_secret(self, secret: str) -> None:
        self.secret_encrypted = crypto.encrypt(secret)

    def get_secret(self) -> str:
        return crypto.decrypt(self.secret_encrypted)


class IntegratorAppQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> IntegratorAppQuerySet:
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(workspace=workspace)

    def active(self) -> IntegratorAppQuerySet:
        return self.filter(revoked_at__isnull=True)


class IntegratorApp(TimestampedModel, EncryptedSecretModel):
    # Who created it (kept for the record); the workspace owns it and is the only scope.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="integrator_apps")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="integrator_apps")
    name = models.CharField(max_length=120)
    app_id = models.CharField(max_length=40, unique=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = IntegratorAppQuerySet.as_manager()
    # Not a field: set only on the instance whose creating response shows the secret (the management API).
    secret: str

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.app_id})"


class WebhookSecret(TimestampedModel, EncryptedSecretModel):
    """The `whsec_` secret every callback of this user is signed with (Standard Webhooks).

    After a rotation the previous secret stays valid until `previous_valid_until`: callbacks are
    signed with both meanwhile, so a receiver can switch over at its own pace.
    """

    # Who created it (kept for the record); the workspace owns it and is the only scope.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_secrets")
    workspace = models.OneToOneField("accounts.Workspace", on_delete=models.CASCADE, related_name="webhook_secret")
    rotated_at = models.DateTimeField(null=True, blank=True)
    previous_secret_encrypted = models.TextField(blank=True, default="", editable=False)
    previous_valid_until = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"Webhook secret of workspace {self.workspace_id}"

    def previous_is_valid(self, now: datetime) -> bool:
        return (
            bool(self.previous_secret_encrypted)
            and self.previous_valid_until is not None
            and now < self.previous_valid_until
        )

    def signing_secrets(self, now: datetime) -> list[str]:
        """The current secret, then the previous one while its grace period lasts."""
        secrets = [self.get_secret()]
        if self.previous_is_valid(now):
            secrets.append(crypto.decrypt(self.previous_secret_encrypted))
        return secrets
