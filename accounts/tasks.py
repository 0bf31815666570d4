from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def flush_expired_jwt_tokens() -> None:
    """Expired refresh tokens can never be used again; their blacklist rows only cost space."""
    call_command("flushexpiredtokens")
