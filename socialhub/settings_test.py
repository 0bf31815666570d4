"""Settings for the test suite: production settings (DEBUG off) with test secrets and fast Buffer retries.

DATABASE_URL / REDIS_URL / CELERY_BROKER_URL from the environment still apply, so the same
suite runs on SQLite and on PostgreSQL + Redis.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-for-the-socialhub-suite-only-0123456789")
# Two keys: the suite checks that rotation keeps old ciphertexts readable.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS",
    "dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LWs=,dGVzdC1rZXktdHdvLXRlc3Qta2V5LXR3by10ZXN0LWs=",
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("BUFFER_CONNECT_TIMEOUT", "1")
os.environ.setdefault("BUFFER_READ_TIMEOUT", "2")
os.environ.setdefault("BUFFER_MAX_RETRIES", "1")
os.environ.setdefault("BUFFER_BACKOFF_BASE", "0.01")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from socialhub.settings import *  # noqa: F403
from socialhub.settings import VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "test-cache"),
        }
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
