"""Callback URLs must not let an integrator make SocialHub call into its own network.

Checked at submission and again before every attempt (DNS may change in between): http(s) only,
and every address the host resolves to must be public. Hosts in `CALLBACK_ALLOWED_HOSTS` skip
the address check (the test suite's local receiver, an intranet integrator by choice).
Redirects are never followed by the sender, so a public URL cannot bounce to a private one.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})


class UnsafeCallbackURL(Exception):
    """The URL may not be called; the message says why."""


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip in METADATA_ADDRESSES
        or ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def _allowed_hosts() -> set[str]:
    return {host.lower().strip("[]") for host in getattr(settings, "CALLBACK_ALLOWED_HOSTS", [])}


def check_callback_url(url: str) -> None:
    """Raise UnsafeCallbackURL unless `url` may be called."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeCallbackURL("Only http and https callback URLs are allowed.")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeCallbackURL("The callback URL has no host.")
    if host in _allowed_hosts():
        return
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise UnsafeCallbackURL(f"The callback host {host!r} does not resolve ({exc}).") from None
    for info in infos:
        address = info[4][0]
        if not is_public_address(address):
            raise UnsafeCallbackURL(
                f"The callback host {host!r} resolves to {address}, a loopback, private, link-local or "
                "reserved address; SocialHub only calls public addresses."
            )
