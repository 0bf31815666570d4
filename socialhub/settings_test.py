"""Settings for the test suite: production settings (DEBUG off) with test secrets and fast Buffer retries.

DATABASE_URL / REDIS_URL / CELERY_BROKER_URL from the environment still apply, so the same
suite runs on SQLite and on PostgreSQL + Redis.
"""

import os
from pathlib import Path

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
# The test client and the live server speak plain http; the redirect itself is covered in test_security_headers.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Each test session gets its own filesystem broker and file cache: a `bin/run` worker must never
# consume a test's tasks, and sessions running side by side must not clear each other's cache.
# Worker processes started by the tests inherit these variables, so they share the session's.
_var_dir = Path(os.environ.get("SOCIALHUB_VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
os.environ.setdefault("CELERY_BROKER_DIR", str(_var_dir / "test-broker" / str(os.getpid())))
os.environ.setdefault("SOCIALHUB_TEST_CACHE_DIR", str(_var_dir / "test-cache" / str(os.getpid())))
os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"test-{os.getpid()}")  # Redis: a queue per session

from socialhub.settings import *  # noqa: F403, E402
from socialhub.settings import DATABASES, VAR_DIR  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so Celery worker processes started by the engine tests share the test
    # database (they get its path as SQLITE_PATH). One file per session: sessions may run side by side.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db" / f"test-{os.getpid()}.sqlite3")}
    (VAR_DIR / "test-db").mkdir(exist_ok=True)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "kernel.cache.FileCache",
            "LOCATION": os.environ["SOCIALHUB_TEST_CACHE_DIR"],
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# Uploaded media of this session only (media_library tests write files).
MEDIA_ROOT = VAR_DIR / "test-media" / str(os.getpid())
MEDIA_UPLOAD_TEMP_DIR = VAR_DIR / "test-uploads" / str(os.getpid())
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
