"""The audit log's one writer: who (`kernel.actor`), what, which object, and the fields that changed.

Two ways in, so every write is seen once:

- **Saves and deletes of the audited models** (`track()`, called for an explicit list of models and
  fields in `socialhub.audited`): a `post_init` snapshot of the tracked fields, and `post_save` /
  `post_delete` receivers that record the difference. Signals, where the project otherwise keeps
  rules out of them, because the log is an observer that changes nothing: it must see the writes of
  every caller — services, admin's forms, factories, data fixes in the shell — and a rule that each
  caller remember to log would be forgotten by the next one. The snapshot reads only what the query
  loaded (`__dict__`), so a deferred field is never fetched for it.
- **Writes that signals never see**: compare-and-set `.update()`s and `bulk_create`. Their code calls
  `record_changes()`, `record_created()` or `record()` itself — `posts.transitions` (one event per won
  status change, named after the transition) and `posts.services` (edits, bulk creation).

Values are short (`VALUE_MAX` characters, lists and dicts as JSON text); a secret field (an encrypted
token, a signing secret) is never written, not even its ciphertext: only `{field: "changed"}`.
Events are written in the caller's transaction, so a write that rolls back leaves no event.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from kernel.actor import Actor, current_actor

from .models import AuditEvent, Workspace

VALUE_MAX = 80
REPR_MAX = 200
SECRET_CHANGED = "changed"  # noqa: S105  (what the log says of a secret, not one)
SNAPSHOT_ATTR = "_audit_snapshot"
CREATED, UPDATED, DELETED = "created", "updated", "deleted"


@dataclass(frozen=True)
class Tracked:
    fields: tuple[str, ...]  # attnames (`campaign_id`, not `campaign`)
    secret: frozenset[str]


_TRACKED: dict[type[models.Model], Tracked] = {}


def object_type(model: type[models.Model] | models.Model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def short(value: Any) -> Any:
    """A JSON value of at most VALUE_MAX characters for the log."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    text = str(value)
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def _frozen(value: Any, *, secret: bool) -> Any:
    """What the snapshot keeps: a secret only as a hash (compared in memory, never written), JSON as text
    (so an in-place edit of a list is still a change)."""
    if secret:
        return hash(value)
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _snapshot(instance: models.Model, tracked: Tracked) -> dict[str, Any]:
    loaded = instance.__dict__
    return {name: _frozen(loaded[name], secret=name in tracked.secret) for name in tracked.fields if name in loaded}


def _shown(frozen: Any) -> Any:
    if isinstance(frozen, str) and frozen[:1] in "[{":
        try:
            return short(json.loads(frozen))
        except ValueError:
            pass
    return short(frozen)


def _diff(before: dict[str, Any], after: dict[str, Any], secret: frozenset[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, new in after.items():
        if name not in before or before[name] == new:
            continue
        changes[name] = SECRET_CHANGED if name in secret else [_shown(before[name]), _shown(new)]
    return changes


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [before, after]} (short) for each key of `after` whose value differs from `before`'s.
    For writes that know both sides themselves (a transition's columns); never pass a secret here."""
    return {name: [short(before.get(name)), short(new)] for name, new in after.items() if before.get(name) != new}


def _is_blank(frozen: Any) -> bool:
    return frozen in (None, "", "[]", "{}", hash(""))


def workspace_id_of(instance: models.Model) -> int | None:
    if isinstance(instance, Workspace):
        return instance.pk
    if hasattr(instance, "workspace_id"):
        return instance.workspace_id
    post = getattr(instance, "post", None)  # a post's own rows (internal comments) are in its workspace
    return getattr(post, "workspace_id", None)


def event(
    *,
    action: str,
    object_type: str,
    object_id: Any,
    object_repr: str,
    workspace_id: int | None,
    changes: dict[str, Any] | None = None,
    actor: Actor | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """An unsaved event, by the current actor unless one is given."""
    actor = actor or current_actor()
    user = actor.user if actor.user is not None and getattr(actor.user, "pk", None) else None
    return AuditEvent(
        workspace_id=workspace_id,
        actor=user,
        actor_label=actor.label,
        action=action[:40],
        object_type=object_type,
        object_id=str(object_id)[:40],
        object_repr=str(object_repr)[:REPR_MAX],
        changes=changes or {},
        created_at=at or timezone.now(),
    )


def _instance_event(instance: models.Model, *, action: str, changes: dict[str, Any]) -> AuditEvent:
    return event(
        action=action,
        object_type=object_type(instance),
        object_id=instance.pk,
        object_repr=str(instance),
        workspace_id=workspace_id_of(instance),
        changes=changes,
    )


def record(events: Sequence[AuditEvent]) -> None:
    """Write events (one INSERT for any number)."""
    if len(events) == 1:
        events[0].save(force_insert=True)
    elif events:
        AuditEvent.objects.bulk_create(events)


def record_changes(*, instance: models.Model, action: str = UPDATED) -> bool:
    """After a write the signals do not see (an `.update()` whose values were set on `instance` too):
    record what changed since the instance was loaded or last recorded. False if nothing tracked changed."""
    tracked = _TRACKED.get(type(instance))
    if tracked is None:
        return False
    before = getattr(instance, SNAPSHOT_ATTR, {})
    after = _snapshot(instance, tracked)
    setattr(instance, SNAPSHOT_ATTR, after)
    changes = _diff(before, after, tracked.secret)
    if not changes:
        return False
    record([_instance_event(instance, action=action, changes=changes)])
    return True


def record_created(*, instances: Iterable[models.Model]) -> None:
    """After a `bulk_create` (no signals): one "created" event per object, in one INSERT."""
    events = []
    for instance in instances:
        tracked = _TRACKED.get(type(instance))
        if tracked is None or instance.pk is None:
            continue
        after = _snapshot(instance, tracked)
        setattr(instance, SNAPSHOT_ATTR, after)
        events.append(_instance_event(instance, action=CREATED, changes=_created_changes(after, tracked)))
    record(events)


def record_update(queryset: models.QuerySet[Any], *, action: str = UPDATED, **values: Any) -> int:
    """`queryset.update(**values)`, with one event per row it changed: the rows are read first (one
    SELECT), updated by id (so a row that stopped matching in between is left alone), and their events
    written in one INSERT. For the `.update()`s of user-visible fields outside `posts.transitions`.
    Returns how many rows were updated, as `.update()` does."""
    rows = list(queryset)
    if not rows:
        return 0
    updated = queryset.filter(pk__in=[row.pk for row in rows]).update(**values)
    events = []
    for row in rows:
        tracked = _TRACKED.get(type(row))
        if tracked is None:
            continue
        for name, value in values.items():
            setattr(row, name, value)
        before = getattr(row, SNAPSHOT_ATTR, {})
        after = _snapshot(row, tracked)
        setattr(row, SNAPSHOT_ATTR, after)
        changes = _diff(before, after, tracked.secret)
        if changes:
            events.append(_instance_event(row, action=action, changes=changes))
    record(events)
    return updated


def _created_changes(after: dict[str, Any], tracked: Tracked) -> dict[str, Any]:
    return {
        name: SECRET_CHANGED if name in tracked.secret else [None, _shown(value)]
        for name, value in after.items()
        if not _is_blank(value)
    }


# -- the signal receivers ------------------------------------------------------------------------


def _on_init(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    setattr(instance, SNAPSHOT_ATTR, _snapshot(instance, _TRACKED[sender]))


def _on_save(sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **_: Any) -> None:
    if raw:  # loaddata: a copy of rows, not a write by anyone
        return
    tracked = _TRACKED[sender]
    before = getattr(instance, SNAPSHOT_ATTR, {})
    after = _snapshot(instance, tracked)
    setattr(instance, SNAPSHOT_ATTR, after)
    if created:
        record([_instance_event(instance, action=CREATED, changes=_created_changes(after, tracked))])
        return
    changes = _diff(before, after, tracked.secret)
    if changes:  # a save that changed no tracked field (a timestamp, a sync's bookkeeping) is not logged
        record([_instance_event(instance, action=UPDATED, changes=changes)])


def _on_delete(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    record([_instance_event(instance, action=DELETED, changes={})])


def track(model: type[models.Model], *, fields: Sequence[str], secret: Sequence[str] = ()) -> None:
    """Record every save and delete of `model`: changes of `fields` (attnames), `secret` ones as "changed".

    Connecting a `post_delete` receiver makes Django load the rows of a cascade before deleting them
    (no fast delete), which is what lets a cascaded delete be logged at all.
    """
    names = {f.attname for f in model._meta.concrete_fields}
    unknown = (set(fields) | set(secret)) - names
    if unknown:
        raise ValueError(f"{object_type(model)} has no field(s) {sorted(unknown)} to audit")
    tracked = Tracked(fields=tuple(dict.fromkeys([*fields, *secret])), secret=frozenset(secret))
    first_time = model not in _TRACKED
    _TRACKED[model] = tracked
    uid = f"audit:{object_type(model)}"
    post_init.connect(_on_init, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(_on_save, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=uid, weak=False)
    if first_time:
        _snapshot_on_refresh(model)


def _snapshot_on_refresh(model: type[models.Model]) -> None:
    """`refresh_from_db()` copies a fresh row's values onto an instance without a signal: after a
    transition (an `.update()`, recorded on its own), the refreshed instance must not diff its next
    save against the values from before it. The one wrapper the log puts on a model."""
    refresh = model.refresh_from_db

    def refresh_from_db(self: models.Model, *args: Any, **kwargs: Any) -> None:
        refresh(self, *args, **kwargs)
        fresh = _snapshot(self, _TRACKED[type(self)])
        setattr(self, SNAPSHOT_ATTR, {**getattr(self, SNAPSHOT_ATTR, {}), **fresh})

    model.refresh_from_db = refresh_from_db  # type: ignore[method-assign]


def tracked_models() -> dict[type[models.Model], Tracked]:
    return dict(_TRACKED)
