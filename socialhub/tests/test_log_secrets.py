"""The session-wide log scan (socialhub/tests/log_secrets.py) finds every form a secret is logged in."""

from __future__ import annotations

import logging
import sys

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from kernel import crypto
from socialhub.tests import log_secrets
from socialhub.tests.log_secrets import LogSecretScan

SECRET = "sandbox-scan-secret-0001"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLW9mLXRoZS10ZXN0"


def record(msg: str, *args, exc_info=None, **extra) -> logging.LogRecord:
    made = logging.LogRecord("socialhub.test", logging.ERROR, __file__, 1, msg, args, exc_info)
    made.__dict__.update(extra)
    return made


@pytest.fixture
def scan() -> LogSecretScan:
    scan = LogSecretScan()  # not the session's: these secrets are "leaked" on purpose
    scan.register(SECRET)
    scan.register(JWT)
    return scan


def test_a_clean_log_has_no_leaks(scan):
    scan.capture(record("buffer GET %s status=%s", "/1/user.json", 200))
    assert scan.leaks() == []


@pytest.mark.parametrize(
    "leaky",
    [
        record("token is %s", SECRET),
        record(f"prefix{SECRET}suffix"),
        record("call failed", buffer_token=SECRET),
        record("Authorization: Bearer %s", JWT),
    ],
)
def test_messages_arguments_and_extras_are_scanned(scan, leaky):
    scan.capture(leaky)
    assert len(scan.leaks()) == 1


def test_tracebacks_and_escaped_forms_are_scanned(scan):
    token = "abc-scan\r\nX-Injected: 1"
    scan.register(token)
    try:
        raise ValueError(f"Invalid header value {f'Bearer {token}'.encode()!r}")
    except ValueError:
        scan.capture(record("Internal Server Error: /api/v1/buffer/config", exc_info=sys.exc_info()))
    [leak] = scan.leaks()
    assert leak.startswith("abc-… (23 chars) in: socialhub.test")  # redacted in the report


def test_short_values_are_not_registered(scan):
    scan.register("token")
    scan.capture(record("token refreshed"))
    assert scan.leaks() == []


def test_the_session_registers_stored_secrets_and_issued_jwts(owner):
    stored = "sandbox-scan-registered-0002"
    crypto.encrypt(stored)
    issued = str(AccessToken.for_user(owner))
    assert {stored} <= log_secrets.SCAN._secrets and issued in log_secrets.SCAN._jwts


def test_the_session_captures_every_logger(scan):
    before = len(log_secrets.SCAN._texts)
    quiet = logging.getLogger("socialhub.test.unpropagated")
    quiet.propagate = False  # no handler anywhere: the record is still seen
    quiet.error("captured %s", "anyway")
    assert "captured anyway" in log_secrets.SCAN._texts[before]
