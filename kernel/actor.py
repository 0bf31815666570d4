"""Who is writing right now: a person through a request, the engine through a task, or the system.

The audit log (`accounts.audit`) asks `current_actor()` when it records a write. Whoever starts a unit
of work says who it acts for:

- every HTTP request (`ActorMiddleware`): the signed-in user, resolved only when a write is recorded —
  the API authenticates its JWT inside the DRF view, after every middleware has run; under `/admin/`
  the label is `admin:<username>`;
- every Celery task (`socialhub.celery` connects `task_started` / `task_finished`): the publishing
  engine's tasks are `engine`, any other task `task:<name>`;
- a piece of code that acts for someone else wraps its writes in `acting_as(label, user=...)` (a client
  review link: `review link: Jane (client)`);
- anything else — management commands, the shell, migrations — is `system`.

The value lives in a context variable, so threads and asyncio tasks each see their own.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

SYSTEM = "system"
ENGINE = "engine"
ADMIN_PREFIX = "/admin/"
ENGINE_TASK_PREFIX = "posts."  # posts.tasks: the publishing engine's entry points
LABEL_MAX = 120


@dataclass(frozen=True)
class Actor:
    """`label` is what the log shows; `user` the account behind it, when there is one."""

    label: str
    user: Any = None  # AUTH_USER_MODEL instance; the kernel imports no app


class _RequestActor:
    """The caller of a request, read from `request.user` at the moment it is needed."""

    def __init__(self, request: HttpRequest):
        self.request = request

    def resolve(self) -> Actor:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return Actor(label="anonymous")
        name = user.get_username()
        if self.request.path.startswith(ADMIN_PREFIX):
            return Actor(label=f"admin:{name}"[:LABEL_MAX], user=user)
        return Actor(label=name[:LABEL_MAX], user=user)


_current: contextvars.ContextVar[Actor | _RequestActor | None] = contextvars.ContextVar("socialhub_actor", default=None)


def current_actor() -> Actor:
    value = _current.get()
    if value is None:
        return Actor(label=SYSTEM)
    if isinstance(value, _RequestActor):
        return value.resolve()
    return value


@contextmanager
def acting_as(label: str, *, user: Any = None) -> Iterator[Actor]:
    """Writes inside the block are recorded as `label` (and `user`), then the previous actor is back."""
    actor = Actor(label=label[:LABEL_MAX], user=user)
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def task_actor_label(task_name: str) -> str:
    return ENGINE if task_name.startswith(ENGINE_TASK_PREFIX) else f"task:{task_name}"[:LABEL_MAX]


# Celery's task_prerun / task_postrun run in the worker around each task, in the same thread; the
# token of the actor set for a task is kept by task id so the postrun handler can restore the previous one.
_task_tokens: dict[str, contextvars.Token[Actor | _RequestActor | None]] = {}


def task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    name = getattr(task, "name", "") or "unknown"
    _task_tokens[str(task_id)] = _current.set(Actor(label=task_actor_label(name)))


def task_finished(task_id: str | None = None, **_: Any) -> None:
    token = _task_tokens.pop(str(task_id), None)
    if token is not None:
        try:
            _current.reset(token)
        except ValueError:  # set in another context (never in practice): forget it instead
            _current.set(None)


class ActorMiddleware:
    """Every request acts as its caller for the audit log (resolved lazily, see the module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(_RequestActor(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
