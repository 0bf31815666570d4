from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from kernel import crypto
from kernel.models import EncryptedAccessTokenModel


class Command(BaseCommand):
    help = "Re-encrypt every stored access token with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        for model in apps.get_models():
            if not issubclass(model, EncryptedAccessTokenModel):
                continue
            rotated = 0
            with transaction.atomic():
                rows = model._default_manager.exclude(access_token_encrypted="").only("pk", "access_token_encrypted")
                for row in rows.select_for_update().iterator():
                    row.access_token_encrypted = crypto.rotate(row.access_token_encrypted)
                    row.save(update_fields=["access_token_encrypted"])
                    rotated += 1
            self.stdout.write(f"{model._meta.label}: {rotated} token(s) re-encrypted")
