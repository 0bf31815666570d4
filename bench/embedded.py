"""The throw-away project a benchmark runs in: a fresh SQLite database and broker under its own folder in
var/, with the shell's DATABASE_URL & co. ignored, Django set up and migrated. Call before importing Django."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def start_embedded_project(bench_dir: Path, **settings: str) -> None:
    """`settings`: more environment variables for this benchmark (limits it raises, say)."""
    shutil.rmtree(bench_dir, ignore_errors=True)
    bench_dir.mkdir(parents=True)
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SQLITE_PATH", "CELERY_BROKER_DIR"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "socialhub.settings",
            "DEBUG": "false",  # DEBUG keeps every query in memory
            "SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
            "FIELD_ENCRYPTION_KEYS": "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE=",
            "ALLOWED_HOSTS": "localhost,testserver",
            "SOCIALHUB_VAR_DIR": str(bench_dir),
            "LOG_LEVEL": "WARNING",
            **settings,
        }
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
