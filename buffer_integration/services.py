"""Buffer credentials and the choice of backend for a workspace or an account.

Every Buffer call in the product starts here: `backend_for_workspace` / `backend_for_account` decide
which token and which API to use, so views and tasks never handle tokens themselves. Both use the
workspace's (the account's workspace's) active Buffer config: a social account's own `access_token` is
the network's credential stored for it, not a Buffer token. A workspace is `accounts.Workspace`, typed
loosely here: the Buffer seam sits below `accounts`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db import transaction
from django.utils import timezone

from buffer_integration.backends import get_backend
from buffer_integration.backends.base import BufferBackend
from buffer_integration.budget import Priority
from buffer_integration.exceptions import BufferAuthError
from buffer_integration.models import BufferApi, BufferConfig, BufferPlan
from kernel.audited_update import audited_update
from kernel.errors import InvalidInput

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User  # django-stubs: resolves to AUTH_USER_MODEL

    from buffer_integration.backends.base import BufferUser


class OwnedAccount(Protocol):
    """What the Buffer seam needs of a social account (`accounts.SocialAccount`): its workspace."""

    workspace_id: int


NO_CONFIG_MESSAGE = "No Buffer access token is configured: create one with POST /api/v1/buffer/config."
ACCOUNT_NO_CONFIG_MESSAGE = (
    "Configure Buffer first: social accounts publish through your Buffer config "
    "(POST /api/v1/buffer/config, or the Accounts page)."
)


# Buffer retires its REST API (v1) on this day: "requests to legacy endpoints will no longer return data"
# (Buffer's announcement of 2026-07-27, ../shared/reference/buffer-graphql/README.md "The legacy REST API").
V1_RETIREMENT = datetime(2027, 2, 1, tzinfo=UTC)
V1_DEPRECATION_NOTICE = (
    "Buffer retires its REST API (v1) on 2027-02-01: from then on v1 requests return no data and posts "
    "through this config stop. Create a Buffer API key (Buffer: Settings → API) and save it as a graphql config."
)
V1_RETIRED_MESSAGE = (
    "Buffer retired its REST API (v1) on 2027-02-01: new v1 configs cannot be saved. Use a Buffer API key "
    'with "api": "graphql".'
)


def v1_is_retired(*, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= V1_RETIREMENT


def buffer_api_notice(*, api: str) -> str:
    """What a config of this API must tell its workspace ("" for GraphQL)."""
    return V1_DEPRECATION_NOTICE if api == BufferApi.V1 else ""


def _refuse_retired_v1(api: str) -> None:
    if api == BufferApi.V1 and v1_is_retired():
        raise InvalidInput(V1_RETIRED_MESSAGE, errors={"api": [V1_RETIRED_MESSAGE]})


def active_buffer_config(*, workspace: Any) -> BufferConfig | None:
    return BufferConfig.objects.in_workspace(workspace).active().first()


def backend_for_config(*, config: BufferConfig, priority: Priority, max_retries: int | None = None) -> BufferBackend:
    """A backend on `config`'s key, its requests counted against the key's budget at `priority`.

    The one place that turns a stored config into a backend: its token, its API, its plan's windows
    and the caller's priority (no default: every caller says what its requests are for). Everything
    that starts from a user or an account (`backend_for_workspace`, `backend_for_account`, the engine's
    `posts.engine.buffer_calls.backend_for`, the pollers) comes through here.
    """
    return get_backend(
        config.get_access_token(), api=config.api, plan=config.plan, priority=priority, max_retries=max_retries
    )


def backend_for_workspace(*, workspace: Any, priority: Priority = Priority.PUBLISH) -> BufferBackend:
    config = active_buffer_config(workspace=workspace)
    if config is None or not config.has_access_token:
        raise InvalidInput(NO_CONFIG_MESSAGE)
    return backend_for_config(config=config, priority=priority)


def buffer_config_for_account(*, account: OwnedAccount) -> BufferConfig:
    """The Buffer config every Buffer call for `account` goes through: its workspace's active one.

    Buffer holds the connection to the network itself, under the workspace's Buffer account; the
    account's own `access_token` is the network's credential kept for it and never goes to Buffer.
    """
    config = BufferConfig.objects.filter(workspace_id=account.workspace_id).active().first()
    if config is None or not config.has_access_token:
        raise InvalidInput(ACCOUNT_NO_CONFIG_MESSAGE)
    return config


def backend_for_account(
    *, account: OwnedAccount, priority: Priority = Priority.PUBLISH, max_retries: int | None = None
) -> BufferBackend:
    """A backend on the account workspace's active Buffer config, counted at `priority` (background
    callers pass theirs: analytics ANALYTICS, comment sync COMMENT_SYNC, …; `max_retries` as get_backend's)."""
    return backend_for_config(
        config=buffer_config_for_account(account=account), priority=priority, max_retries=max_retries
    )


def _validated_buffer_user(*, access_token: str, api: str, plan: str | None = None) -> BufferUser:
    """Ask Buffer who this token belongs to; a rejected token is the caller's input error."""
    try:
        return get_backend(access_token, api=api, plan=plan).get_user()
    except BufferAuthError as exc:
        raise InvalidInput(
            "Buffer rejected this access token.",
            # exc.message already reads "Buffer rejected the access token (…)": say it once.
            errors={"access_token": [f"{exc.message.rstrip('.')}."]},
        ) from None


def _apply_buffer_user(config: BufferConfig, buffer_user: BufferUser) -> None:
    config.buffer_user_id = buffer_user.id
    config.buffer_timezone = buffer_user.timezone
    config.buffer_plan = buffer_user.plan
    config.last_validated_at = timezone.now()


@transaction.atomic
def buffer_config_create(
    *,
    workspace: Any,
    actor: User,
    access_token: str,
    api: str = BufferApi.GRAPHQL,
    is_active: bool = True,
    plan: str = BufferPlan.FREE,
) -> BufferConfig:
    _refuse_retired_v1(api)
    buffer_user = _validated_buffer_user(access_token=access_token, api=api, plan=plan)
    if is_active:
        audited_update(
            BufferConfig.objects.in_workspace(workspace).active(), is_active=False, updated_at=timezone.now()
        )
    config = BufferConfig(workspace=workspace, owner=actor, api=api, is_active=is_active, plan=plan)
    config.set_access_token(access_token)
    _apply_buffer_user(config, buffer_user)
    config.save()
    return config


@transaction.atomic
def buffer_config_update(
    *,
    config: BufferConfig,
    access_token: str | None = None,
    api: str | None = None,
    is_active: bool | None = None,
    plan: str | None = None,
) -> BufferConfig:
    if api is not None:
        if api != config.api:
            _refuse_retired_v1(api)  # switching a config to v1 is creating a v1 config
        config.api = api
    if plan is not None:
        config.plan = plan
    if access_token is not None or api is not None:
        token = access_token if access_token is not None else config.get_access_token()
        _apply_buffer_user(config, _validated_buffer_user(access_token=token, api=config.api, plan=config.plan))
        config.set_access_token(token)
    if is_active is not None:
        if is_active and not config.is_active:
            others = BufferConfig.objects.filter(workspace_id=config.workspace_id).active().exclude(pk=config.pk)
            audited_update(others, is_active=False, updated_at=timezone.now())
        config.is_active = is_active
    config.save()
    return config


def buffer_config_delete(*, config: BufferConfig) -> None:
    config.delete()
