"""Callback URLs must not let an integrator make SocialHub call into its own network.

Checked at submission and again before every attempt (DNS may change in between): http(s) only,
and every address the host resolves to must be public. The check resolves the host once and
returns the addresses it approved; the sender connects to one of those, never resolving again, so
a DNS server answering differently a second later (rebinding) gets nowhere.

`CALLBACK_ALLOWED_HOSTS` entries are `host:port` (`[v6]:port` for IPv6 literals): that host on that
port skips the address check (the test suite's local receiver, an intranet integrator by choice).
A bare `host` allows only the standard ports 80 and 443, so allow-listing a host never opens
every port on it. Redirects are never followed, so a public URL cannot bounce to a private one.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})
STANDARD_PORTS = frozenset({80, 443})


class UnsafeCallbackURL(Exception):
    """The URL may not be called; the message says why."""


@dataclass(frozen=True)
class CallbackTarget:
    """A checked callback URL: where to connect (`addresses`) and what to say the host is."""

    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent on the request line
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


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


def _allow_entry(entry: str) -> tuple[str, int | None]:
    """`host:port`, `[v6]:port`, `host` or `[v6]` → (lower-case host, port or None)."""
    entry = entry.strip().lower()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        port = rest.removeprefix(":")
    elif entry.count(":") == 1:
        host, _, port = entry.partition(":")
    else:  # a bare host name or an unbracketed IPv6 literal: no port
        host, port = entry, ""
    return host, int(port) if port.isdigit() else None


def is_allowed(host: str, port: int) -> bool:
    for entry in getattr(settings, "CALLBACK_ALLOWED_HOSTS", []):
        allowed_host, allowed_port = _allow_entry(entry)
        if allowed_host == host and (port == allowed_port or (allowed_port is None and port in STANDARD_PORTS)):
            return True
    return False


def resolve(host: str, port: int) -> list[str]:
    """The host's addresses, in the resolver's order: the only DNS lookup a callback makes."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_callback_url(url: str) -> CallbackTarget:
    """The checked target of `url`; UnsafeCallbackURL unless it may be called."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeCallbackURL("Only http and https callback URLs are allowed.")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeCallbackURL("The callback URL has no host.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
        addresses = resolve(host, port)
    except (OSError, UnicodeError, ValueError) as exc:
        raise UnsafeCallbackURL(f"The callback host {host!r} does not resolve ({exc}).") from None
    if not addresses:
        raise UnsafeCallbackURL(f"The callback host {host!r} does not resolve.")
    if not is_allowed(host, port):
        for address in addresses:
            if not is_public_address(address):
                raise UnsafeCallbackURL(
                    f"The callback host {host!r} resolves to {address}, a loopback, private, link-local or "
                    "reserved address; SocialHub only calls public addresses."
                )
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return CallbackTarget(scheme=scheme, host=host, port=port, target=target, addresses=tuple(addresses))
