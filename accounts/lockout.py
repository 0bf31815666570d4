"""The login lock-out shared by the web login and `POST /api/v1/auth/token`.

Failed attempts are counted per account (the username as typed, case-folded) and per client address
(`kernel.client_address`) in fixed windows of `LOGIN_LOCKOUT_WINDOW_SECONDS`. An attempt takes its
number *before* the password is checked, so concurrent guesses cannot slip past the limit; past
`LOGIN_LOCKOUT_USERNAME_FAILURES` (or `..._ADDRESS_FAILURES` from one address) the attempt is refused
with 429 and Retry-After until the window ends — the right password included, so the lock-out is not
an oracle. A successful login forgets the account's failures and does not count against its address.
Counter keys hold a keyed hash of the username, never the username.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest

from kernel import ratelimit
from kernel.client_address import client_address
from kernel.crypto import keyed_hash
from kernel.errors import TooManyAttempts

logger = logging.getLogger("socialhub.auth")


def _account_key(username: str) -> str:
    return f"login-failures:account:{keyed_hash(username.strip().casefold(), purpose='login-lockout')}"


def _address_key(address: str) -> str:
    return f"login-failures:address:{address}"


def login_authenticate(*, request: HttpRequest, username: str, password: str):
    """`authenticate()` under the lock-out: the user, None for wrong credentials, or TooManyAttempts."""
    window = settings.LOGIN_LOCKOUT_WINDOW_SECONDS
    now = time.time()
    account_key, address_key = _account_key(username), _address_key(client_address(request))
    account = ratelimit.hit(account_key, window=window, now=now)
    address = ratelimit.hit(address_key, window=window, now=now)
    for hit, limit, whose in (
        (account, settings.LOGIN_LOCKOUT_USERNAME_FAILURES, "this account"),
        (address, settings.LOGIN_LOCKOUT_ADDRESS_FAILURES, "your address"),
    ):
        if hit.count > limit:
            # Never the username: people type their password into it.
            logger.warning("login refused: too many failed attempts for %s", whose)
            seconds = math.ceil(hit.retry_after)
            raise TooManyAttempts(
                f"Too many failed logins for {whose}: try again in {seconds} seconds.", retry_after=hit.retry_after
            )
    user = authenticate(request, username=username, password=password)
    if user is not None and user.is_active:
        ratelimit.reset(account_key, window=window, now=now)
        ratelimit.undo(address_key, window=window, now=now)
    return user
