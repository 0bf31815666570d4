"""Email settings come from the environment: the console until EMAIL_HOST names an SMTP server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "x" * 50,
    "FIELD_ENCRYPTION_KEYS": "dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LWs=",
    "ALLOWED_HOSTS": "social.example.com,localhost",
}
NAMES = [
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "SITE_URL",
]
SCRIPT = (
    "import json, django; django.setup(); from django.conf import settings; "
    f"print(json.dumps({{name: getattr(settings, name) for name in {NAMES!r}}}))"
)


def _settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("EMAIL_", "DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"))
        and k not in ("DEFAULT_FROM_EMAIL", "SITE_URL")
    }
    clean.update({**GOOD, **env, "DJANGO_SETTINGS_MODULE": "socialhub.settings"})
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def _loaded(**env: str) -> dict:
    result = _settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_console_by_default_with_links_to_the_first_host():
    loaded = _loaded()
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert loaded["SITE_URL"] == "https://social.example.com"
    assert loaded["DEFAULT_FROM_EMAIL"] == "SocialHub <noreply@localhost>"


def test_smtp_once_a_host_is_set():
    loaded = _loaded(
        EMAIL_HOST="smtp.example.com",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="mailer",
        EMAIL_HOST_PASSWORD="not-shown",
        EMAIL_USE_TLS="false",
        DEFAULT_FROM_EMAIL="Team <team@example.com>",
        SITE_URL="https://app.example.com/",
    )
    assert loaded == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 465,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_USE_TLS": False,
        "DEFAULT_FROM_EMAIL": "Team <team@example.com>",
        "SITE_URL": "https://app.example.com",
    }


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be an integer"),
        ({"EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS must be a boolean"),
        ({"SITE_URL": "app.example.com"}, "SITE_URL must start with http:// or https://"),
    ],
)
def test_a_malformed_email_setting_stops_start_up(override, message):
    result = _settings(**override)
    assert result.returncode != 0 and message in result.stderr
