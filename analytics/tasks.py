from celery import shared_task

from analytics import services


# No automatic retry: a failed run is recorded on its job, and the user (or the next periodic run)
# starts a fresh one. Redelivery after a lost worker is safe: the service claims the job first.
@shared_task(ignore_result=True)
def sync_analytics_job(job_id: int) -> None:
    services.analytics_sync_run(job_id=job_id)


@shared_task(ignore_result=True)
def sync_analytics_for_all_users() -> None:
    """For the periodic schedule: one job per workspace with posts Buffer has sent (the name is kept: beat
    schedules stored before workspaces still call it)."""
    services.analytics_sync_all_workspaces()
