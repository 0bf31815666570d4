"""Browser fixtures and helpers for the end-to-end tests of every app (a pytest plugin, see conftest.py).

Debian's /usr/bin/chromium driven by Playwright against Django's live server. A test module marks
itself with `BROWSER_MARKS` and asks for `page` (a logged-in tab of the `owner`); screenshots go
to test-artifacts/ (git-ignored; CI keeps them as artifacts).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "correct-horse-battery"  # accounts.tests.factories.UserFactory's
DESKTOP = {"width": 1366, "height": 900}
MOBILE = {"width": 390, "height": 844}

BROWSER_MARKS = [
    pytest.mark.slow,
    # A developer without Chromium may skip these; CI installs it, so there a missing browser fails.
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is missing: apt-get install chromium",
    ),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the tests' own ORM calls stay synchronous.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield chromium
            chromium.close()


def open_tab(browser, live_server, user, *, viewport=DESKTOP):
    """A new context and tab logged in as `user`; `tab.errors` collects JavaScript errors and CSP reports."""
    context = browser.new_context(viewport=viewport, locale="en-GB", has_touch=viewport is MOBILE)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    # Whatever the Content-Security-Policy blocks is reported on the console: it must block nothing.
    tab.on("console", lambda msg: "Content Security Policy" in msg.text and errors.append(msg.text))
    tab.goto(f"{live_server.url}/login/")
    tab.get_by_label("Username").fill(user.username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url(f"{live_server.url}/")
    tab.errors = errors
    return context, tab


@pytest.fixture
def page(browser, live_server, owner):
    owner.timezone = "Europe/Berlin"
    owner.save(update_fields=["timezone"])
    context, tab = open_tab(browser, live_server, owner)
    yield tab
    context.close()
    assert tab.errors == [], f"JavaScript errors or CSP violations: {tab.errors}"


@pytest.fixture
def mobile_page(browser, live_server, owner):
    """The same, at a phone's 390 px width with touch."""
    owner.timezone = "Europe/Berlin"
    owner.save(update_fields=["timezone"])
    context, tab = open_tab(browser, live_server, owner, viewport=MOBILE)
    yield tab
    context.close()
    assert tab.errors == [], f"JavaScript errors or CSP violations: {tab.errors}"


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def png(width: int, height: int) -> bytes:
    """A small gradient PNG, written by hand so the tests need no imaging library."""
    rows = b"".join(b"\x00" + b"".join(bytes((40 + x * 2, 90 + y, 200)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def next_month_day(day: int) -> dt.date:
    first_of_next = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_of_next.replace(day=day)
