from celery import shared_task

from media_library import services


@shared_task(ignore_result=True)
def purge_expired_uploads() -> int:
    """Chunked uploads never completed: their rows and temporary bytes go once they expire."""
    return services.uploads_purge_expired()
