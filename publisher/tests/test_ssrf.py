"""Callback URLs may only reach public addresses (unless allow-listed), at submission and at delivery."""

from __future__ import annotations

import socket

import pytest

from publisher.models import CallbackDelivery
from publisher.outbox import send_due_callbacks
from publisher.ssrf import UnsafeCallbackURL, check_callback_url, is_public_address

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (an address under test, not a bind)
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1%eth0",
        "fc00::1",
        "::ffff:127.0.0.1",
        "fd00:ec2::254",
    ],
)
def test_non_public_addresses(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses(address):
    assert is_public_address(address)


def fake_dns(monkeypatch, *addresses):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_any_private_address_refuses_the_host(monkeypatch):
    fake_dns(monkeypatch, "93.184.216.34", "10.0.0.5")
    with pytest.raises(UnsafeCallbackURL, match=r"10\.0\.0\.5"):
        check_callback_url("https://hooks.example.com/status")
    fake_dns(monkeypatch, "93.184.216.34")
    check_callback_url("https://hooks.example.com/status")


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "http:///nohost"])
def test_only_http_urls_with_a_host(url):
    with pytest.raises(UnsafeCallbackURL):
        check_callback_url(url)


def test_allowed_hosts_skip_the_address_check(settings):
    with pytest.raises(UnsafeCallbackURL):
        check_callback_url("http://localhost:8000/cb")
    settings.CALLBACK_ALLOWED_HOSTS = ["LOCALHOST"]
    check_callback_url("http://localhost:8000/cb")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/cb", "http://169.254.169.254/latest/meta-data", "http://[::1]/cb", "http://10.0.0.1/"]
)
def test_refused_at_submission(api, channel, whsec, url):
    for field in ("postStatusCallback", "postCommentCallback"):
        response = api.post("/api/v1/publisher/posts", {"payload": "x", field: url}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [field]


def test_refused_again_at_delivery(api, channel, whsec, receiver, settings):
    response = api.post("/api/v1/publisher/posts", {"payload": "x", "postStatusCallback": receiver.url}, format="json")
    assert response.status_code == 201
    settings.CALLBACK_ALLOWED_HOSTS = []  # as if the host now resolved somewhere private
    send_due_callbacks()
    callback = CallbackDelivery.objects.get()
    assert callback.last_error.startswith("Refused: ") and callback.attempts == 1
    assert receiver.requests == []


def test_redirects_are_not_followed(api, channel, whsec, receiver):
    from publisher.tests.receiver import start_receiver

    target, server = start_receiver()
    try:
        receiver.redirect_to = target.url + "/elsewhere"
        api.post("/api/v1/publisher/posts", {"payload": "x", "postStatusCallback": receiver.url}, format="json")
        send_due_callbacks()
        assert CallbackDelivery.objects.get().last_status_code == 302
        assert target.requests == []
    finally:
        server.shutdown()
        server.server_close()
