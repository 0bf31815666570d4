"""How the engine calls Buffer: a backend on the account's key at the caller's priority, and what
to do when that key's request budget (`buffer_integration.budget`) has no room.

The budget is counted inside the Buffer seam: any backend call may raise BufferBudgetExhausted before
sending anything, with `retry_at` (when that window has room for the request's priority), `window`
and `priority`. The engine's callers (publish, reconcile, status sync) defer durably to `retry_at`
and say why on the post; the log says it once per key, window and priority until the window refills,
not once per post (a 9:00 rush on a spent key would otherwise be a thousand identical lines).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.utils import timezone

from accounts.models import SocialAccount
from buffer_integration.backends.base import BufferBackend
from buffer_integration.budget import Priority
from buffer_integration.exceptions import BufferBudgetExhausted
from buffer_integration.services import backend_for_config, buffer_config_for_account
from kernel.crypto import keyed_hash

logger = logging.getLogger("socialhub.engine")


def backend_for(
    account: SocialAccount, *, priority: Priority, max_retries: int | None = None
) -> tuple[BufferBackend, str]:
    """(backend, token) for `account`'s key, its requests counted at `priority` in its plan's windows.

    The token is returned only to key the log-once marker below (hashed); never log it.
    Raises DomainError (InvalidInput) when the account's workspace has no usable Buffer config.
    """
    config = buffer_config_for_account(account=account)
    return backend_for_config(config=config, priority=priority, max_retries=max_retries), config.get_access_token()


def budget_message(exc: BufferBudgetExhausted) -> str:
    return (
        f"Waiting for this Buffer key's request budget (its {exc.window} window has no room left for "
        f"{Priority(exc.priority).name.lower()} requests); next try at {exc.retry_at:%Y-%m-%d %H:%M:%S} UTC."
    )


def log_budget_deferral(exc: BufferBudgetExhausted, *, token: str, what: str) -> None:
    """One warning per key, window and priority until that window refills, however many posts wait for it."""
    digest = keyed_hash(token, purpose="engine-budget-log")  # the cache never holds a token
    key = f"engine-budget-logged:{digest}:{exc.window}:{int(exc.priority)}"
    if cache.add(key, 1, timeout=max(1, int((exc.retry_at - timezone.now()).total_seconds()))):
        logger.warning("%s deferred, Buffer key out of budget: %s", what, budget_message(exc))
