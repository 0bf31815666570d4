import os

from celery import Celery

import kernel.broker  # noqa: F401  (registers the embedded broker's transport)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialhub.settings")

app = Celery("socialhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every task's writes are recorded in the audit log as the engine (or `task:<name>`): kernel.actor.
from celery.signals import task_postrun, task_prerun  # noqa: E402

from kernel.actor import task_finished, task_started  # noqa: E402

task_prerun.connect(task_started, weak=False)
task_postrun.connect(task_finished, weak=False)
