import os

from celery import Celery

import kernel.broker  # noqa: F401  (registers the embedded broker's transport)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialhub.settings")

app = Celery("socialhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
