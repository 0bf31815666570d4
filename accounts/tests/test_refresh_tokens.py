"""Refresh tokens: never stored or shown in the clear, and a rotation that exactly one refresh wins."""

from __future__ import annotations

import importlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.auth import RefreshToken, refresh_token_fingerprint
from accounts.tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


def obtain(username: str = "owner") -> dict:
    response = APIClient().post("/api/v1/auth/token", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def refresh(token: str):
    return APIClient().post("/api/v1/auth/token/refresh", {"refresh": token}, format="json")


@pytest.mark.django_db
class TestAtRest:
    def test_only_a_keyed_fingerprint_is_stored(self, owner):
        issued = obtain()["refresh"]
        rotated = refresh(issued).json()["refresh"]
        stored = set(OutstandingToken.objects.values_list("token", flat=True))
        assert stored == {refresh_token_fingerprint(issued), refresh_token_fingerprint(rotated)}
        assert all(value.startswith("hmac-sha256:") for value in stored)

    def test_existing_raw_tokens_are_replaced_by_their_fingerprint(self, owner):
        raw = str(RefreshToken.for_user(owner))
        OutstandingToken.objects.update(token=raw)  # as simplejwt stored it before
        migration = importlib.import_module("accounts.migrations.0002_hash_outstanding_refresh_tokens")
        migration.fingerprint_stored_tokens(apps, None)
        assert OutstandingToken.objects.get().token == refresh_token_fingerprint(raw)
        assert refresh(raw).status_code == 200  # the token itself keeps working

    def test_admin_never_shows_a_token(self, owner):
        raw = str(RefreshToken.for_user(owner))
        OutstandingToken.objects.update(token=raw)  # even a row written before fingerprints
        row = OutstandingToken.objects.get()
        blacklisted = BlacklistedToken.objects.create(token=row)
        staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
        browser = Client()
        browser.force_login(staff)
        pages = [
            "/admin/token_blacklist/outstandingtoken/",
            f"/admin/token_blacklist/outstandingtoken/{row.pk}/change/",
            "/admin/token_blacklist/blacklistedtoken/",
            f"/admin/token_blacklist/blacklistedtoken/{blacklisted.pk}/change/",
        ]
        for page in pages:
            response = browser.get(page)
            assert response.status_code == 200, page
            html = response.content.decode()
            assert raw not in html and raw.split(".")[2] not in html, page
            assert row.jti in html, page

    def test_a_refresh_token_of_a_deleted_user_is_401(self, owner):
        issued = obtain()["refresh"]
        owner.delete()
        response = refresh(issued)
        assert response.status_code == 401 and response.json()["detail"]


def _refresh_concurrently(token: str, clients: int) -> list[int]:
    barrier = threading.Barrier(clients)

    def attempt(_: int) -> int:
        try:
            barrier.wait()
            return refresh(token).status_code
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(clients) as pool:
        return sorted(pool.map(attempt, range(clients)))


@pytest.mark.django_db(transaction=True)
def test_of_concurrent_refreshes_of_one_token_exactly_one_wins(owner):
    """Ten clients present the same refresh token at the same instant: one new pair, nine 401s."""
    for _round in range(3):
        assert _refresh_concurrently(obtain()["refresh"], 10) == [200] + [401] * 9
    assert BlacklistedToken.objects.count() == 3
