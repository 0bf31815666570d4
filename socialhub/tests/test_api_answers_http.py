"""What the API answers over real HTTP whatever the settings: JSON 404s, and throttle sentences that read right."""

from __future__ import annotations

import time

import pytest
import requests
import time_machine

from kernel.wording import count_of
from socialhub.tests.live_api import LiveApi


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/no-such-thing"),
        ("GET", "/api/v1/posts/1/no-such-action"),
        ("POST", "/api/v1/no-such-thing"),  # no CSRF 403 either
        ("DELETE", "/api/v1/publisher/nothing/here"),
        ("GET", "/api/v2/posts"),
    ],
)
def test_unknown_api_paths_are_a_json_404_whatever_debug(live_server, transactional_db, settings, debug, method, path):
    settings.DEBUG = debug
    response = requests.request(method, live_server.url + path, timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_pages_outside_the_api_keep_their_html_404(live_server, transactional_db, settings):
    settings.DEBUG = False
    response = requests.get(live_server.url + "/no-such-page/", timeout=10)
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/html")


def test_known_paths_are_untouched(live_api):
    assert live_api.get("/me").status_code == 200


class TestThrottleSentences:
    @staticmethod
    def window_start() -> float:
        """A quarter second into the next minute: the limit counts in fixed, minute-aligned windows."""
        return (int(time.time()) // 60 + 1) * 60 + 0.25

    def exhaust(self, live_api: LiveApi) -> None:
        for _ in range(60):
            assert live_api.get("/me").status_code == 200

    def test_one_second_is_singular_and_matches_retry_after(self, live_api):
        with time_machine.travel(self.window_start(), tick=False) as traveller:
            self.exhaust(live_api)
            traveller.shift(59.5)  # the window ends in a quarter of a second
            response = live_api.get("/me")
        assert response.status_code == 429
        assert response.json() == {"detail": "Rate limit exceeded: try again in 1 second."}
        assert response.headers["Retry-After"] == "1"

    def test_more_seconds_are_plural(self, live_api):
        with time_machine.travel(self.window_start(), tick=False):
            self.exhaust(live_api)
            response = live_api.get("/me")  # 59.75 s left, rounded up
        assert response.json() == {"detail": "Rate limit exceeded: try again in 60 seconds."}
        assert response.headers["Retry-After"] == "60"


@pytest.mark.parametrize("count, expected", [(0, "0 seconds"), (1, "1 second"), (2, "2 seconds"), (60, "60 seconds")])
def test_count_of(count, expected):
    assert count_of(count, "second") == expected
