"""Callback URLs may only reach public addresses (unless allow-listed), at submission and at delivery."""

from __future__ import annotations

import socket

import pytest

from publisher import ssrf, webhook_client
from publisher.models import CallbackDelivery
from publisher.outbox import send_due_callbacks
from publisher.ssrf import UnsafeCallbackURL, check_callback_url, is_public_address
from publisher.tests.receiver import start_receiver, tls_for

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


def test_allowed_hosts_skip_the_address_check_on_their_port_only(settings):
    with pytest.raises(UnsafeCallbackURL):
        check_callback_url("http://localhost:8000/cb")
    settings.CALLBACK_ALLOWED_HOSTS = ["LOCALHOST:8000", "[::1]:9000", "127.0.0.1"]
    check_callback_url("http://localhost:8000/cb")
    check_callback_url("http://[::1]:9000/cb")
    for other_port in ("http://localhost:8001/cb", "http://localhost/cb", "http://[::1]:9001/cb"):
        with pytest.raises(UnsafeCallbackURL):
            check_callback_url(other_port)
    # A bare host allows the standard ports only, never every port.
    check_callback_url("http://127.0.0.1/cb")
    check_callback_url("https://127.0.0.1/cb")
    with pytest.raises(UnsafeCallbackURL):
        check_callback_url("http://127.0.0.1:6379/cb")


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


@pytest.fixture
def two_hosts_one_port():
    """A receiver on 127.0.0.1 (what the check approved) and one on 127.0.0.2 (an "internal service"), same port."""
    approved, first = start_receiver("127.0.0.1")
    port = first.server_address[1]
    internal, second = start_receiver("127.0.0.2", port)
    yield approved, internal, port
    for server in (first, second):
        server.shutdown()
        server.server_close()


def submit_resolving_to(api, monkeypatch, url: str, address: str) -> None:
    """A post with this status callback, its host resolving to `address` at submission."""
    monkeypatch.setattr(ssrf, "resolve", lambda host, port: [address])
    response = api.post("/api/v1/publisher/posts", {"payload": "x", "postStatusCallback": url}, format="json")
    assert response.status_code == 201, response.json()


class Rebinding:
    """A resolver stub: the first lookup answers `first`, every later one `then` (a rebinding DNS server)."""

    def __init__(self, first: str, then: str):
        self.answers, self.then = [first], then
        self.lookups: list[tuple[str, int]] = []

    def __call__(self, host, port):
        self.lookups.append((host, port))
        return [self.answers.pop() if self.answers else self.then]


def test_the_checked_address_is_the_one_connected_to(api, channel, settings, monkeypatch, two_hosts_one_port):
    approved, internal, port = two_hosts_one_port
    settings.CALLBACK_ALLOWED_HOSTS = [f"hooks.test:{port}"]
    submit_resolving_to(api, monkeypatch, f"http://hooks.test:{port}/status?key=1", "127.0.0.1")

    rebinding = Rebinding(first="127.0.0.1", then="127.0.0.2")
    monkeypatch.setattr(ssrf, "resolve", rebinding)
    assert send_due_callbacks() == 1

    assert rebinding.lookups == [("hooks.test", port)]  # resolved once, for the check
    assert [(r.method, r.path, r.headers["host"]) for r in approved.requests] == [
        ("PUT", "/status?key=1", f"hooks.test:{port}")
    ]
    assert internal.requests == []
    assert CallbackDelivery.objects.get().last_status_code == 204


def test_a_public_answer_then_a_private_one_never_reaches_the_private_address(api, channel, monkeypatch):
    submit_resolving_to(api, monkeypatch, "http://rebind.example/status", "93.184.216.34")
    rebinding = Rebinding(first="127.0.0.1", then="93.184.216.34")  # private at delivery time
    monkeypatch.setattr(ssrf, "resolve", rebinding)
    send_due_callbacks()
    callback = CallbackDelivery.objects.get()
    assert callback.last_error.startswith("Refused: ") and "127.0.0.1" in callback.last_error
    assert len(rebinding.lookups) == 1


@pytest.fixture
def tls_receiver(tmp_path, monkeypatch):
    context, ca = tls_for("hooks.test", tmp_path)
    receiver, server = start_receiver("127.0.0.1", tls=context)
    monkeypatch.setattr(webhook_client, "CA_CERTS", str(ca))
    yield receiver, server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name, delivered", [("hooks.test", True), ("other.test", False)])
def test_https_checks_the_certificate_of_the_name_not_the_address(
    api, channel, settings, monkeypatch, tls_receiver, name, delivered
):
    receiver, port = tls_receiver
    settings.CALLBACK_ALLOWED_HOSTS = [f"{name}:{port}"]
    submit_resolving_to(api, monkeypatch, f"https://{name}:{port}/status", "127.0.0.1")
    send_due_callbacks()
    callback = CallbackDelivery.objects.get()
    if delivered:
        assert callback.last_status_code == 204
        assert [r.headers["host"] for r in receiver.requests] == [f"hooks.test:{port}"]
    else:  # the certificate is for hooks.test: connecting to the same address as other.test fails
        assert callback.last_status_code is None and "SSL" in callback.last_error
        assert receiver.requests == []
