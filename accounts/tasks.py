from smtplib import SMTPException

from celery import shared_task
from django.core.management import call_command

from accounts import notifications


@shared_task(ignore_result=True)
def flush_expired_jwt_tokens() -> None:
    """Expired refresh tokens can never be used again; their blacklist rows only cost space."""
    call_command("flushexpiredtokens")


# One task per recipient: a retry (mail server down or refusing for now) resends to that person only.
@shared_task(
    ignore_result=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=6,
)
def send_notification_email(*, user_id: int, subject: str, body: str) -> None:
    notifications.notification_email_send(user_id=user_id, subject=subject, body=body)
