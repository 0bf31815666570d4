"""Replace raw refresh tokens kept by simplejwt's blacklist with their fingerprint (see accounts.auth)."""

from django.db import migrations

from kernel.crypto import keyed_hash

PREFIX = "hmac-sha256:"


def fingerprint_stored_tokens(apps, schema_editor):
    OutstandingToken = apps.get_model("token_blacklist", "OutstandingToken")
    rows = OutstandingToken.objects.exclude(token__startswith=PREFIX).only("pk", "token")
    for row in rows.iterator(chunk_size=500):
        row.token = PREFIX + keyed_hash(row.token, purpose="refresh-token")
        row.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("token_blacklist", "0013_alter_blacklistedtoken_options_and_more"),
    ]

    operations = [migrations.RunPython(fingerprint_stored_tokens, migrations.RunPython.noop)]
