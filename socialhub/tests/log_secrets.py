"""Fails the test session when any secret a test set shows up in any log record (a pytest plugin).

Registering is automatic, at the two places every secret passes through: `kernel.crypto.encrypt`
(account and Buffer access tokens, integrator and webhook secrets — everything kept at rest) and
simplejwt's `Token.__str__` (every access and refresh JWT issued). Tests can add others, e.g. a
token the API refuses to store, with `register_secret()`.

Capturing is global: `logging.Logger.handle` is wrapped, so every record of every logger is seen
once, whatever its handlers, propagation or pytest's capture (django.request's 500 tracebacks, the
Buffer client, the sandbox, gunicorn-style error logs); the log files of Celery worker processes
started by `celery_workers` are added when they stop. Each record is kept as text — message,
arguments, extra attributes and formatted traceback — and scanned once at the end of the session:
JWTs by pattern, other secrets by substring, also in their `repr()` escapes (a token with CR/LF is
logged as `\\r\\n`). Secrets under 8 characters are not registered (they would match ordinary words).
"""

from __future__ import annotations

import logging
import re
import threading

import pytest

MIN_SECRET_LENGTH = 8
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_FORMATTER = logging.Formatter()


def _variants(secret: str) -> set[str]:
    """The secret as logged verbatim, or as `repr()` of the str or of its bytes shows it."""
    forms = {secret, repr(secret)[1:-1]}
    try:
        forms.add(repr(secret.encode("latin-1"))[2:-1])
    except UnicodeEncodeError:
        forms.add(repr(secret.encode("utf-8", "surrogatepass"))[2:-1])
    return forms


def _record_text(record: logging.LogRecord) -> str:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string must not hide what was passed
        message = f"{record.msg!r} {record.args!r}"
    parts = [record.name, message, repr(record.args)]
    parts += [f"{key}={value!r}" for key, value in vars(record).items() if key not in _STANDARD_ATTRS]
    if record.exc_info and record.exc_info[0] is not None:
        parts.append(_FORMATTER.formatException(record.exc_info))
    elif record.exc_text:
        parts.append(record.exc_text)
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts)


class LogSecretScan:
    def __init__(self):
        self._secrets: set[str] = set()
        self._jwts: set[str] = set()
        self._texts: list[str] = []
        self._lock = threading.Lock()

    def register(self, secret: str) -> None:
        if not isinstance(secret, str) or len(secret) < MIN_SECRET_LENGTH:
            return
        with self._lock:
            (self._jwts if _JWT.fullmatch(secret) else self._secrets).add(secret)

    def capture(self, record: logging.LogRecord) -> None:
        text = _record_text(record)
        with self._lock:
            self._texts.append(text)

    def capture_text(self, text: str) -> None:
        """Log output of another process (e.g. a worker's log file)."""
        with self._lock:
            self._texts.append(text)

    def leaks(self) -> list[str]:
        """One line per leaked secret (shown redacted) with the start of the first record holding it."""
        with self._lock:
            texts, secrets, jwts = list(self._texts), set(self._secrets), set(self._jwts)
        blob = "\n\x00\n".join(texts)
        found = {match for match in _JWT.findall(blob) if match in jwts}
        found |= {secret for secret in secrets if any(form in blob for form in _variants(secret))}
        report = []
        for secret in sorted(found):
            where = next(text for text in texts if any(form in text for form in _variants(secret)))
            first_line = where.splitlines()[:2]
            report.append(f"{secret[:4]}… ({len(secret)} chars) in: {' | '.join(first_line)[:200]}")
        return report


SCAN = LogSecretScan()


def register_secret(secret: str) -> None:
    SCAN.register(secret)


def _install_capture() -> None:
    original = logging.Logger.handle

    def handle(self, record):
        SCAN.capture(record)
        return original(self, record)

    logging.Logger.handle = handle  # type: ignore[method-assign]  # the point: every record is scanned


def _install_registration() -> None:
    from rest_framework_simplejwt.tokens import Token

    from kernel import crypto

    encrypt, token_str = crypto.encrypt, Token.__str__

    def registering_encrypt(plaintext: str) -> str:
        SCAN.register(plaintext)
        return encrypt(plaintext)

    def registering_str(self) -> str:
        text = token_str(self)
        SCAN.register(text)
        return text

    crypto.encrypt = registering_encrypt
    Token.__str__ = registering_str  # type: ignore[method-assign]  # the point: every token is registered


def pytest_configure(config):
    _install_capture()


@pytest.fixture(scope="session", autouse=True)
def _register_secrets(django_test_environment):
    """Django is configured by now, so its modules can be imported and wrapped."""
    _install_registration()


def pytest_sessionfinish(session, exitstatus):
    leaks = SCAN.leaks()
    if not leaks:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = ["Secrets set by tests appeared in log records:", *leaks]
    if reporter is not None:
        reporter.section("secrets in logs", sep="=", red=True)
        for line in lines:
            reporter.write_line(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
