"""SocialHub settings, read from the environment.

With nothing set, SocialHub runs on embedded defaults (SQLite and a filesystem Celery broker under
`var/`). Production sets DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, SECRET_KEY and
FIELD_ENCRYPTION_KEYS; a missing or malformed production setting stops start-up.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from kernel.env import env_bool, env_float, env_int, env_list, env_str

# Lets the classes django-stubs makes generic be subscripted at run time (`admin.ModelAdmin[Post]`).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SOCIALHUB_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)

# Only DEBUG may fall back to a development key; production must say its secrets.
_DEV_SECRET_KEY = "dev-insecure-socialhub-key-do-not-use-in-production-0123456789"
_DEV_FERNET_KEY = "ZGV2LWluc2VjdXJlLWZlcm5ldC1rZXktMDEyMzQ1Njc="
SECRET_KEY = env_str("SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")

FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or ([_DEV_FERNET_KEY] if DEBUG else [])
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off (comma-separated Fernet keys).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "socialhub",
    "accounts",
    "buffer_integration",
    "media_library",
    "campaigns",
    "posts",
    "analytics",
    "publisher",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kernel.api.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kernel.actor.ActorMiddleware",  # who writes, for the audit log (request.user read when a write is recorded)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kernel.middleware.ContentSecurityPolicyMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "socialhub.urls"
WSGI_APPLICATION = "socialhub.wsgi.application"
ASGI_APPLICATION = "socialhub.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.workspace_switcher",
                "web.context_processors.notifications",
                "web.context_processors.member_can",
            ],
            # The UI's one date format (`when`, `day`, `clock` filters) in every template.
            "builtins": ["web.templatetags.dates"],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH") or str(VAR_DIR / "socialhub.sqlite3"),
            # WAL lets the web process read while the worker writes; IMMEDIATE avoids
            # "database is locked" upgrades from read to write locks inside transactions.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache (rate limits, Buffer throttling): Redis when configured, else a file cache shared
# --- by the processes of one machine.
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "kernel.cache.FileCache",  # atomic add/incr: counters stay exact across processes
            "LOCATION": str(VAR_DIR / "cache"),
            # Culling deletes random entries, counters included: keep it for real overflow only.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# --- Uploaded media (media_library): Django's storage API, local files by default, S3 when a bucket is set.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET")
_media_storage: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MEDIA_S3_BUCKET:
    # Any S3-compatible store (AWS, MinIO, R2, B2...): django-storages' S3 backend. Credentials come from
    # the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the instance role) as boto3 reads them.
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_S3_REGION") or env_str("AWS_DEFAULT_REGION") or None,
            "custom_domain": env_str("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "location": env_str("MEDIA_S3_PREFIX", "media"),
            "querystring_auth": False,  # Buffer fetches a plain public URL, not a signed one that expires
            "file_overwrite": False,
            "default_acl": env_str("MEDIA_S3_ACL") or None,
        },
    }
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Where Buffer (and browsers) fetch a stored file: this + the file's storage name. Empty: the storage's own URL,
# made absolute with SITE_URL when it is a path (local files are served by the app at MEDIA_URL).
MEDIA_PUBLIC_BASE_URL = env_str("MEDIA_PUBLIC_BASE_URL").rstrip("/")
if MEDIA_PUBLIC_BASE_URL and not MEDIA_PUBLIC_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"MEDIA_PUBLIC_BASE_URL must start with http:// or https://, got {MEDIA_PUBLIC_BASE_URL!r}."
    )
# The app serves MEDIA_URL itself when files are local (bin/run, a single machine); off with S3.
MEDIA_SERVE_LOCAL = env_bool("MEDIA_SERVE_LOCAL", not MEDIA_S3_BUCKET)
MEDIA_MAX_UPLOAD_BYTES = env_int("MEDIA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)  # one-request upload
MEDIA_CHUNK_BYTES = env_int("MEDIA_CHUNK_BYTES", 8 * 1024 * 1024, minimum=64 * 1024)  # one PUT of a chunked upload
MEDIA_MAX_VIDEO_BYTES = env_int("MEDIA_MAX_VIDEO_BYTES", 1024 * 1024 * 1024, minimum=1024)
MEDIA_MAX_VIDEO_SECONDS = env_int("MEDIA_MAX_VIDEO_SECONDS", 4 * 3600, minimum=1)
MEDIA_MAX_IMAGE_PIXELS = env_int("MEDIA_MAX_IMAGE_PIXELS", 50_000_000, minimum=10_000)
MEDIA_UPLOAD_TEMP_DIR = Path(env_str("MEDIA_UPLOAD_TEMP_DIR") or VAR_DIR / "uploads")
MEDIA_UPLOAD_EXPIRY_SECONDS = env_int("MEDIA_UPLOAD_EXPIRY_SECONDS", 24 * 3600, minimum=60)

# The web UI's own session login (Django auth views); the API uses JWTs instead.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "calendar"
LOGOUT_REDIRECT_URL = "login"

# --- API ------------------------------------------------------------------------------------------
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "60/min")
# Request limits: a bigger body is refused (413) from its Content-Length, before anything reads it.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1_048_576, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
API_MAX_JSON_DEPTH = env_int("API_MAX_JSON_DEPTH", 32, minimum=4)
# Posts import (posts.csv_io): the file's size (the import route's own body limit, 413 above it), its
# rows, what an .xlsx may unpack to, and the rows answered inline (more: a background job, 202).
POSTS_IMPORT_MAX_BYTES = env_int("POSTS_IMPORT_MAX_BYTES", 10 * 1_048_576, minimum=1024)
POSTS_IMPORT_MAX_ROWS = env_int("POSTS_IMPORT_MAX_ROWS", 10_000, minimum=1)
POSTS_IMPORT_MAX_UNPACKED_BYTES = env_int("POSTS_IMPORT_MAX_UNPACKED_BYTES", 100 * 1_048_576, minimum=1024)
POSTS_IMPORT_SYNC_MAX_ROWS = env_int("POSTS_IMPORT_SYNC_MAX_ROWS", 500, minimum=0)
# Routes with their own body limit (kernel.api.middleware.body_limit): uploads are not JSON. A multipart
# body is the file plus the form's other fields and boundaries, hence the margins.
MEDIA_MAX_UPLOAD_REQUEST_BYTES = MEDIA_MAX_UPLOAD_BYTES + 64 * 1024
POSTS_IMPORT_MAX_REQUEST_BYTES = POSTS_IMPORT_MAX_BYTES + 64 * 1024
API_ROUTE_BODY_LIMITS = [
    ("POST", r"^/api/v1/media/?$", "MEDIA_MAX_UPLOAD_REQUEST_BYTES"),
    ("PUT", r"^/api/v1/media/uploads/[0-9a-f-]+/?$", "MEDIA_CHUNK_BYTES"),
    ("POST", r"^/api/v1/posts/import/?$", "POSTS_IMPORT_MAX_REQUEST_BYTES"),
]
# How far ahead a post may be scheduled: posts (API, composer, calendar) and the Publisher API's `scheduled`.
SCHEDULE_HORIZON_DAYS = env_int("SCHEDULE_HORIZON_DAYS", 1826, minimum=1)

# Proxies whose X-Forwarded-For is believed (IPs or CIDRs); everyone else is REMOTE_ADDR.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES must be IP addresses or CIDRs, got {_proxy!r}.") from None
# Login lock-out (web login and POST /api/v1/auth/token): failed attempts per fixed window.
LOGIN_LOCKOUT_WINDOW_SECONDS = env_int("LOGIN_LOCKOUT_WINDOW_SECONDS", 900, minimum=10)
LOGIN_LOCKOUT_USERNAME_FAILURES = env_int("LOGIN_LOCKOUT_USERNAME_FAILURES", 10, minimum=1)
LOGIN_LOCKOUT_ADDRESS_FAILURES = env_int("LOGIN_LOCKOUT_ADDRESS_FAILURES", 50, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "kernel.tenancy.WorkspaceRole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["kernel.api.parsers.BoundedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["kernel.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "kernel.api.pagination.SkipLimitPagination",
    "DEFAULT_THROTTLE_CLASSES": ["kernel.api.throttling.PerUserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": API_RATE_LIMIT, "anon": API_RATE_LIMIT},
    "DEFAULT_SCHEMA_CLASS": "kernel.api.schema.SocialHubAutoSchema",
    "EXCEPTION_HANDLER": "kernel.api.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env_int("JWT_ACCESS_TOKEN_SECONDS", 300, minimum=30)),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=env_int("JWT_REFRESH_TOKEN_SECONDS", 86400, minimum=60)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "SIGNING_KEY": env_str("JWT_SIGNING_KEY") or SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    # Lock-out on obtain; rotation whose blacklist insert is the compare-and-set (accounts.auth).
    "TOKEN_OBTAIN_SERIALIZER": "accounts.auth.TokenObtainSerializer",
    "TOKEN_REFRESH_SERIALIZER": "accounts.auth.TokenRefreshSerializer",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "SocialHub API",
    "DESCRIPTION": (
        "Social media publishing through Buffer. Authenticate with `POST /api/v1/auth/token`, then send "
        '`Authorization: Bearer <access>`. Errors are `{"detail": ...}` (validation errors add `errors`). '
        "Lists take `skip` and `limit` (1-100) and answer a JSON array with `X-Total-Count` and `Link` headers. "
        f"60 requests per minute per user. Limits: request bodies up to {API_MAX_BODY_BYTES} bytes (larger → 413), "
        f"JSON nested at most {API_MAX_JSON_DEPTH} levels (deeper → 400), 1000 posts per bulk request; date-times "
        "need a date and a time, within 1900-2999, offsets within ±15:59."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["kernel.api.schema.strip_optional_slashes"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "kernel.api.schema.add_links"],
    # Several models have a `status` field: name each choice set rather than let it get a hash suffix.
    "ENUM_NAME_OVERRIDES": {
        "PostStatusEnum": "posts.models.PostStatus",
        "CampaignStatusEnum": "campaigns.models.CampaignStatus",
        "SyncJobStatusEnum": "analytics.models.SyncJobStatus",
        "HealthCheckEnum": ["ok", "fail"],  # /health: status, database and broker
        "PublisherPostStatusEnum": "publisher.models.PublisherStatus",
        "PostKindEnum": "publisher.models.config.PostKind",
        "NotificationKindEnum": "accounts.models.NotificationKind",
        "PlatformEnum": "accounts.models.Platform",
        "MediaKindEnum": "media_library.models.MediaKind",
    },
}

# --- Buffer ---------------------------------------------------------------------------------------
BUFFER_SANDBOX_PORT = env_int("BUFFER_SANDBOX_PORT", 8008)
BUFFER_API_URL = env_str("BUFFER_API_URL") or f"http://127.0.0.1:{BUFFER_SANDBOX_PORT}"
# Buffer's GraphQL API; empty: BUFFER_API_URL + "/graphql" when that is local (the sandbox), else
# https://api.buffer.com (buffer_integration.backends.graphql_url).
BUFFER_GRAPHQL_URL = env_str("BUFFER_GRAPHQL_URL")
BUFFER_CLIENT = {
    "connect_timeout": env_float("BUFFER_CONNECT_TIMEOUT", 3.05),
    "read_timeout": env_float("BUFFER_READ_TIMEOUT", 10.0),
    "max_retries": env_int("BUFFER_MAX_RETRIES", 2, minimum=0),
    "backoff_base": env_float("BUFFER_BACKOFF_BASE", 0.5),
}

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
if not CELERY_BROKER_URL:
    # One folder per installation; tests give each session its own (CELERY_BROKER_DIR) so a running
    # `bin/run` worker never consumes a test's tasks.
    _broker_dir = Path(env_str("CELERY_BROKER_DIR") or VAR_DIR / "broker")
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "socialhub-filesystem://"  # kombu's filesystem transport, see kernel/broker.py
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # exchange bindings; kombu's default is ./control
        "store_processed": False,
        # How often an idle worker looks for new task files (kombu's default: 1 s).
        "polling_interval": env_float("CELERY_BROKER_POLLING_INTERVAL", 0.1),
    }
    _visibility_timeout = None
else:
    # Redis redelivers unacked tasks after the visibility timeout: a task must finish well before it.
    _visibility_timeout = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": _visibility_timeout}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# Late acks + prefetch 1: a task is acknowledged only when done, and a worker holds one at a time.
# Delivery is at-least-once; the publishing engine's claims make a second delivery harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120, minimum=5)
CELERY_TASK_SOFT_TIME_LIMIT = env_int(
    "CELERY_TASK_SOFT_TIME_LIMIT", max(CELERY_TASK_TIME_LIMIT - 10, CELERY_TASK_TIME_LIMIT * 4 // 5), minimum=1
)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be below CELERY_TASK_TIME_LIMIT.")
if _visibility_timeout is not None and _visibility_timeout < 2 * CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be at least twice CELERY_TASK_TIME_LIMIT.")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"

# --- Publishing engine (posts.engine.dispatch): dispatch, retries, reconciliation ----------------------------
ENGINE_DISPATCH_INTERVAL = env_int("ENGINE_DISPATCH_INTERVAL", 5, minimum=1)  # seconds between beat ticks
ENGINE_DISPATCH_BATCH = env_int("ENGINE_DISPATCH_BATCH", 500, minimum=1)  # posts claimed per query
# Claimed-but-unfinished posts allowed at once follow what the workers clear (posts.engine.dispatch):
# a few dispatch intervals' worth, never below the floor (cold start) nor above the ceiling.
ENGINE_MAX_IN_FLIGHT = env_int("ENGINE_MAX_IN_FLIGHT", 1000, minimum=1)
ENGINE_MIN_IN_FLIGHT = min(env_int("ENGINE_MIN_IN_FLIGHT", 50, minimum=1), ENGINE_MAX_IN_FLIGHT)
ENGINE_SWEEP_INTERVAL = env_int("ENGINE_SWEEP_INTERVAL", 30, minimum=1)
ENGINE_STATUS_SYNC_INTERVAL = env_int("ENGINE_STATUS_SYNC_INTERVAL", 300, minimum=10)
# Background polling (posts.polling): per (API key, organization), the wait doubles from the stream's interval
# up to this cap while Buffer has nothing new; a change or a newly due/handed-over post resets it.
BUFFER_POLL_MAX_INTERVAL_SECONDS = env_int("BUFFER_POLL_MAX_INTERVAL_SECONDS", 6 * 3600, minimum=60)
# Status sync stops asking about a handed-over post this long after its time: Buffer has not sent it (stuck
# or paused queue) and the post stays `scheduled`, visible as overdue, until someone acts on it.
ENGINE_STATUS_SYNC_HORIZON_SECONDS = env_int("ENGINE_STATUS_SYNC_HORIZON_SECONDS", 48 * 3600, minimum=3600)
# A newly due handed-over post is asked about this long after its time at the latest; posts due meanwhile
# share the request (status in SocialHub may lag by this much; published_at is Buffer's own send time).
ENGINE_STATUS_SYNC_BATCH_SECONDS = env_int("ENGINE_STATUS_SYNC_BATCH_SECONDS", 600, minimum=0)
ENGINE_ANALYTICS_SYNC_INTERVAL = env_int("ENGINE_ANALYTICS_SYNC_INTERVAL", 3600, minimum=60)
# A claim older than the task time limit plus this margin belongs to a dead worker.
ENGINE_STALE_CLAIM_SECONDS = CELERY_TASK_TIME_LIMIT + env_int("ENGINE_STALE_CLAIM_MARGIN_SECONDS", 60, minimum=1)
# An outcome-unknown write is reconciled only after this long (a slow write may still land), and
# Buffer's lists are searched from the claim time minus the margin (clock skew).
RECONCILE_GRACE_SECONDS = env_float("RECONCILE_GRACE_SECONDS", 30.0)
RECONCILE_MARGIN_SECONDS = env_int("RECONCILE_MARGIN_SECONDS", 300, minimum=0)
# Transient failures: attempts in all (first one included), exponential backoff with full jitter.
PUBLISH_RETRY_BUDGET = env_int("PUBLISH_RETRY_BUDGET", 6, minimum=1)
PUBLISH_RETRY_BASE_SECONDS = env_float("PUBLISH_RETRY_BASE_SECONDS", 30.0)
PUBLISH_RETRY_MAX_SECONDS = env_float("PUBLISH_RETRY_MAX_SECONDS", 900.0)
LATE_POST_POLICY = env_str("LATE_POST_POLICY", "publish").lower()
if LATE_POST_POLICY not in ("publish", "fail"):
    raise ImproperlyConfigured(f"LATE_POST_POLICY must be 'publish' or 'fail', got {LATE_POST_POLICY!r}.")
LATE_POST_THRESHOLD_SECONDS = env_int("LATE_POST_THRESHOLD_SECONDS", 3600, minimum=0)
# Recurring posts (posts.recurrence): occurrences are materialised as ordinary posts this many days
# ahead, and the periodic task that extends the window runs every RECURRENCE_EXTEND_INTERVAL seconds.
RECURRENCE_WINDOW_DAYS = env_int("RECURRENCE_WINDOW_DAYS", 30, minimum=1)
RECURRENCE_EXTEND_INTERVAL = env_int("RECURRENCE_EXTEND_INTERVAL", 3600, minimum=60)
BUFFER_RATE_LIMIT_PER_MINUTE = env_int("BUFFER_RATE_LIMIT_PER_MINUTE", 60, minimum=0)  # v1 tokens; 0 = off
# GraphQL keys: the windows of the config's plan (buffer_integration.budget.PLAN_LIMITS), times this
# factor (1 in production; larger for load tests, smaller for an accelerated sandbox clock).
BUFFER_BUDGET_SCALE = env_float("BUFFER_BUDGET_SCALE", 1.0)
# Health lists at most this many active Buffer keys' budgets.
HEALTH_BUDGET_MAX_KEYS = env_int("HEALTH_BUDGET_MAX_KEYS", 50, minimum=0)
# Health: beat is reported down when the dispatcher has not ticked for this long.
HEALTH_BEAT_MAX_AGE_SECONDS = env_int("HEALTH_BEAT_MAX_AGE_SECONDS", max(60, 6 * ENGINE_DISPATCH_INTERVAL), minimum=1)

# --- Publisher API (publisher/): integrator requests, callbacks, comment sync ----------------------
# Callback hosts that may resolve to loopback/private addresses (all others must be public).
CALLBACK_ALLOWED_HOSTS = env_list("CALLBACK_ALLOWED_HOSTS")
CALLBACK_TIMEOUT_SECONDS = env_float("CALLBACK_TIMEOUT_SECONDS", 15.0)
# How far a signed integrator request's timestamp may be from our clock (and how long replays are refused).
PUBLISHER_SIGNATURE_MAX_SKEW_SECONDS = env_int("PUBLISHER_SIGNATURE_MAX_SKEW_SECONDS", 300, minimum=1)
PUBLISHER_STATUS_INTERVAL = env_int("PUBLISHER_STATUS_INTERVAL", 5, minimum=1)  # seconds between status refreshes
PUBLISHER_CALLBACK_INTERVAL = env_int("PUBLISHER_CALLBACK_INTERVAL", 5, minimum=1)  # seconds between sender runs
PUBLISHER_COMMENT_SYNC_INTERVAL = env_int("PUBLISHER_COMMENT_SYNC_INTERVAL", 300, minimum=30)
PUBLISHER_COMMENT_SYNC_DAYS = env_int("PUBLISHER_COMMENT_SYNC_DAYS", 7, minimum=1)  # after publishing

# --- Email (accounts.notifications): the console by default, SMTP once EMAIL_HOST is set ----------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SocialHub <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the app is reached from outside: the links in emails (a notification's url is a path).
_public_host = next((host.lstrip(".") for host in ALLOWED_HOSTS if host != "*"), "")
_default_site = "http://127.0.0.1:8007" if DEBUG else (f"https://{_public_host}" if _public_host else "")
SITE_URL = (env_str("SITE_URL") or _default_site).rstrip("/")
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, got {SITE_URL!r}.")

# --- Logging: one line per event; secrets are never passed to loggers in the first place. --------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- HTTP security headers (CSP: kernel.middleware). Safe defaults in production; DEBUG is plain http.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    # Behind a TLS proxy that says so in X-Forwarded-Proto; empty SECURE_PROXY_SSL_HEADER trusts no header.
    _proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    if _proxy_ssl_header:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer's health probe may speak plain http.
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
