"""Brute force: failed logins are counted per account and per client address, on the web and the API.

The limits are 10 failures per account and 50 per address in a 15-minute window (settings); past
them every attempt is 429 with Retry-After until the window ends. A success clears the account's count.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from kernel.client_address import client_address

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
T0 = dt.datetime(2026, 1, 5, 10, 0, 5, tzinfo=dt.UTC)  # 5 s into a 15-minute window


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def api_login(username: str, password: str, **headers):
    return APIClient().post("/api/v1/auth/token", {"username": username, "password": password}, **headers)


def web_login(username: str, password: str, **headers):
    return Client().post("/login/", {"username": username, "password": password}, **headers)


class TestPerAccount:
    def test_ten_failures_lock_the_account_even_for_the_right_password(self, owner):
        for _ in range(10):
            assert api_login("owner", "wrong").status_code == 401
        locked = api_login("owner", PASSWORD)
        assert locked.status_code == 429
        assert locked["Retry-After"] == str(15 * 60 - 5)
        assert locked.json()["detail"] == "Too many failed logins for this account: try again in 895 seconds."

    def test_the_owner_gets_in_once_the_window_has_passed(self, owner, clock):
        for _ in range(11):
            api_login("owner", "wrong")
        clock.shift(15 * 60)
        assert api_login("owner", PASSWORD).status_code == 200

    def test_a_success_clears_the_failures(self, owner):
        for _ in range(9):
            api_login("owner", "wrong")
        assert api_login("owner", PASSWORD).status_code == 200
        for _ in range(10):
            assert api_login("owner", "wrong").status_code == 401
        assert api_login("owner", "wrong").status_code == 429

    def test_case_variants_of_the_username_share_one_count(self, owner):
        for name in ["owner", "OWNER", "Owner ", "oWnEr"] * 3:
            api_login(name, "wrong")
        assert api_login("owner", PASSWORD).status_code == 429

    def test_other_accounts_are_not_affected(self, owner, outsider):
        for _ in range(11):
            api_login("owner", "wrong")
        assert api_login("outsider", PASSWORD).status_code == 200

    def test_web_and_api_share_the_count(self, owner):
        for _ in range(5):
            assert web_login("owner", "wrong").status_code == 200  # the form again, with its error
        for _ in range(5):
            api_login("owner", "wrong")
        page = web_login("owner", PASSWORD)
        assert page.status_code == 429
        assert page["Retry-After"] == "895"
        assert "Too many failed logins for this account" in page.content.decode()

    def test_web_login_still_works(self, owner):
        response = web_login("owner", PASSWORD)
        assert response.status_code == 302


class TestPerAddress:
    def test_fifty_failures_from_one_address_lock_it_for_every_account(self, owner):
        for n in range(50):
            assert api_login(f"guess{n}", "wrong").status_code == 401
        response = api_login("owner", PASSWORD)
        assert response.status_code == 429
        assert "your address" in response.json()["detail"]
        assert api_login("owner", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 200

    def test_a_forged_x_forwarded_for_changes_nothing(self, owner):
        for n in range(50):
            api_login(f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert api_login("owner", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.250").status_code == 429

    def test_behind_a_trusted_proxy_the_forwarded_client_counts(self, owner, settings):
        settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
        proxy = {"REMOTE_ADDR": "10.1.2.3"}
        for n in range(50):
            api_login(f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
        assert api_login("owner", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy).status_code == 429
        assert api_login("owner", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.10", **proxy).status_code == 200

    def test_successes_do_not_count_against_the_address(self, owner):
        for _ in range(60):
            assert web_login("owner", PASSWORD).status_code == 302


class TestClientAddress:
    @pytest.mark.parametrize(
        "remote, forwarded, expected",
        [
            ("198.51.100.1", "", "198.51.100.1"),
            ("198.51.100.1", "203.0.113.5", "198.51.100.1"),  # not from a proxy: the header is ignored
            ("10.0.0.2", "203.0.113.5", "203.0.113.5"),
            ("10.0.0.2", "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),  # right-most untrusted
            ("10.0.0.2", "forged, 203.0.113.5", "203.0.113.5"),
            ("10.0.0.2", "203.0.113.5, not-an-ip", "10.0.0.2"),
            ("10.0.0.2", "", "10.0.0.2"),
            ("10.0.0.2", "10.0.0.7", "10.0.0.7"),
            ("2001:db8::1", "203.0.113.5", "203.0.113.5"),
        ],
    )
    def test_right_most_untrusted_hop(self, settings, remote, forwarded, expected):
        settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
        request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
        assert client_address(request) == expected

    def test_the_api_rate_limit_keys_on_the_same_address(self):
        from kernel.api.throttling import PerUserRateThrottle

        request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
        assert PerUserRateThrottle().get_ident(request) == "198.51.100.1"
