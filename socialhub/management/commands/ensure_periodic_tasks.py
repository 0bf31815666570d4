from django.core.management.base import BaseCommand

from kernel.periodic import ensure_periodic_tasks


class Command(BaseCommand):
    help = "Create SocialHub's periodic tasks in django-celery-beat (idempotent; edited tasks are kept)."

    def handle(self, *args, **options):
        created = ensure_periodic_tasks()
        for name in created:
            self.stdout.write(f"created periodic task: {name}")
        if not created:
            self.stdout.write("periodic tasks: all present")
