"""The sandbox's account model: tokens, lookups, lazy sending, the queue and text rules.

`StateCore` holds what both the v1 operations (state.py) and the admin operations (backstage.py)
need. Every public operation runs in one `Store.transaction` and starts with `_sweep`, which "sends"
the updates whose due time has passed on the sandbox clock — Buffer posts them in the background,
the sandbox does it lazily on the next call — so reads always reflect the clock and tests never sleep.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, overload

from buffer_sandbox import config, fakes, render
from buffer_sandbox.errors import ApiError
from buffer_sandbox.schedule import DEFAULT_SCHEDULES, next_slots, parse_timestamp
from buffer_sandbox.store import Store

UPDATE_SELECT = (
    "SELECT u.*, p.service, p.service_type, p.timezone, p.token, p.organization"
    " FROM updates u JOIN profiles p ON p.id = u.profile_id"
)
DUPLICATE_WINDOW = 24 * 3600
FREE_PLAN_QUEUE = 10  # Buffer's free plan: 10 queued posts per profile; drives buffer_percentage only.
DEFAULT_PAGE_SIZE = 10


@overload
def int_param(params: dict, name: str, default: int, low: int, high: int | None = None) -> int: ...
@overload
def int_param(params: dict, name: str, default: None, low: int, high: int | None = None) -> int | None: ...
def int_param(params: dict, name: str, default: int | None, low: int, high: int | None = None) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw))
    except ValueError:
        raise ApiError(1006, f"Parameter {name} must be an integer.") from None
    if value < low or (high is not None and value > high):
        bounds = f"{low}..{high}" if high is not None else f">= {low}"
        raise ApiError(1006, f"Parameter {name} must be within {bounds}.")
    return value


def media_param(raw: Any) -> dict[str, str]:
    """`media[photo]` comes back as `media.picture` (+ `thumbnail`), as Buffer documents."""
    if not isinstance(raw, dict):
        return {}
    media = {k: str(v) for k, v in raw.items() if isinstance(v, str) and v != ""}
    if "photo" in media:
        media["picture"] = media.pop("photo")
        media.setdefault("thumbnail", media["picture"])
    return media


def paginate(items: list, params: dict) -> tuple[int, list]:
    page = int_param(params, "page", 1, 1)
    count = int_param(params, "count", DEFAULT_PAGE_SIZE, 1, 100)
    return len(items), items[(page - 1) * count : page * count]


class StateCore:
    """Shared plumbing; `token` arguments are already authenticated by the v1 dispatcher."""

    def __init__(self, path: str = ":memory:"):
        self.store = Store(path)

    def now(self) -> int:
        return self.store.now()

    def close(self) -> None:
        self.store.close()

    # -- tokens -------------------------------------------------------------------------------
    def authenticate(self, token: str | None) -> str | None:
        """The token's user id, provisioning a fresh account on first sight; None if rejected."""
        if not token or token.startswith("invalid"):
            return None
        with self.store.transaction() as db:
            row = db.execute("SELECT * FROM users WHERE token = ?", (token,)).fetchone()
            if row is None:
                return self._provision(db, token)
            return None if row["revoked"] else row["id"]

    def _provision(self, db: sqlite3.Connection, token: str) -> str:
        now, uid = self.now(), fakes.user_id(token)
        db.execute("INSERT INTO users (token, id, created_at) VALUES (?, ?, ?)", (token, uid, now))
        self._add_channels(db, token, uid, config.SERVICES, organization=0)
        if token.startswith(config.MULTI_ORG_PREFIX):
            self._add_channels(db, token, uid, config.SECOND_ORGANIZATION_SERVICES, organization=1)
        return uid

    def _add_channels(
        self, db: sqlite3.Connection, token: str, uid: str, services: list[tuple[str, str]], *, organization: int
    ) -> list[str]:
        """One profile per service in the token's `organization` (0 = the first); returns their ids.
        The first organization's ids are `profile_id(token, service)`, the others' `profile_id(token,
        f"{service}@{organization}")`, so tests can name every channel without asking."""
        now, start = self.now(), db.execute("SELECT COUNT(*) FROM profiles WHERE token = ?", (token,)).fetchone()[0]
        ids = []
        for sort, (service, service_type) in enumerate(services, start=start):
            pid = fakes.profile_id(token, service if organization == 0 else f"{service}@{organization}")
            db.execute(
                "INSERT OR IGNORE INTO profiles (id, token, user_id, service, service_type, timezone, schedules,"
                " created_at, sort, organization) VALUES (?, ?, ?, ?, ?, 'UTC', ?, ?, ?, ?)",
                (pid, token, uid, service, service_type, json.dumps(DEFAULT_SCHEDULES), now, sort, organization),
            )
            ids.append(pid)
        return ids

    def revoke(self, token: str) -> None:
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO users (token, id, created_at, revoked) VALUES (?, ?, ?, 1)"
                " ON CONFLICT(token) DO UPDATE SET revoked = 1",
                (token, fakes.user_id(token), self.now()),
            )

    # -- lookups ------------------------------------------------------------------------------
    def _sweep(self, db: sqlite3.Connection) -> int:
        """Send every queued/scheduled update whose due time has passed (sent_at = due_at)."""
        now = self.now()
        rows = db.execute(
            UPDATE_SELECT + " WHERE u.status = 'buffer' AND u.due_at > 0 AND u.due_at <= ? AND u.deleted_at IS NULL",
            (now,),
        ).fetchall()
        for row in rows:
            self._mark_sent(db, row, row["due_at"])
        return now

    def _mark_sent(self, db: sqlite3.Connection, row: sqlite3.Row, sent_at: int, *, shared_now: bool = False) -> None:
        db.execute(
            "UPDATE updates SET status = 'sent', sent_at = ?, due_at = ?, updated_at = ?, custom = 0,"
            " shared_now = shared_now OR ? WHERE id = ?",
            (sent_at, sent_at, sent_at, int(shared_now), row["id"]),
        )
        if not config.supports_event(row["service"], row["service_type"], "comment"):
            return
        now = self.now()
        for i in range(fakes.seeded_comment_count(row["id"])):
            created = max(sent_at, min(sent_at + 60 * (i + 1) + fakes.number(row["id"], i, modulo=300), now))
            cid = fakes.hex_id(row["id"], "comment", i)
            author = fakes.audience_member(row["service"], row["id"], "comment", i)
            db.execute(
                "INSERT OR IGNORE INTO comments (id, update_id, text, author, parent_id, interaction_id,"
                " created_at, updated_at, seeded) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 1)",
                (
                    cid,
                    row["id"],
                    fakes.seeded_comment_text(row["id"], i),
                    json.dumps(author),
                    fakes.digits(cid, "native"),
                    created,
                    created,
                ),
            )

    def _profile(self, db: sqlite3.Connection, token: str, profile_id: str) -> sqlite3.Row:
        row = db.execute("SELECT * FROM profiles WHERE id = ?", (profile_id,)).fetchone()
        if row is None:
            raise ApiError(1010)
        if row["token"] != token:
            raise ApiError(1011)
        return row

    def _update(self, db: sqlite3.Connection, token: str, update_id: str) -> sqlite3.Row:
        row = self._update_row(db, update_id)
        if row is None:
            raise ApiError(1020)
        if row["token"] != token:
            raise ApiError(1021)
        return row

    def _update_row(self, db: sqlite3.Connection, update_id: str) -> sqlite3.Row | None:
        return db.execute(UPDATE_SELECT + " WHERE u.id = ? AND u.deleted_at IS NULL", (update_id,)).fetchone()

    def _existing_update_row(self, db: sqlite3.Connection, update_id: str) -> sqlite3.Row:
        """The row of an update this transaction just wrote or found (so it is there)."""
        row = self._update_row(db, update_id)
        if row is None:
            raise LookupError(f"update {update_id} is gone")
        return row

    def _render(self, db: sqlite3.Connection, update_id: str, *, utc: bool = False) -> dict:
        return render.update(self._existing_update_row(db, update_id), self.now(), utc=utc)

    def _counts(self, db: sqlite3.Connection, profile_id: str) -> dict[str, int]:
        rows = db.execute(
            "SELECT status, COUNT(*) AS n FROM updates WHERE profile_id = ? AND deleted_at IS NULL GROUP BY status",
            (profile_id,),
        ).fetchall()
        return {r["status"]: r["n"] for r in rows}

    # -- queue ----------------------------------------------------------------------------------
    def _queue(self, db: sqlite3.Connection, profile_id: str) -> list[sqlite3.Row]:
        """Pending updates that take schedule slots (custom-scheduled ones keep their own time)."""
        return db.execute(
            "SELECT * FROM updates WHERE profile_id = ? AND status = 'buffer' AND custom = 0"
            " AND deleted_at IS NULL ORDER BY position, created_at, rowid",
            (profile_id,),
        ).fetchall()

    def _reslot(self, db: sqlite3.Connection, profile: sqlite3.Row, order: list[str] | None = None) -> list[str]:
        """Give the queue (in `order`, else current order) the profile's next slots after now."""
        ids = order if order is not None else [r["id"] for r in self._queue(db, profile["id"])]
        slots = next_slots(json.loads(profile["schedules"]), profile["timezone"], self.now(), len(ids))
        for i, uid in enumerate(ids):
            due = slots[i] if i < len(slots) else 0
            db.execute("UPDATE updates SET position = ?, due_at = ? WHERE id = ?", (i, due, uid))
        return ids

    def _buffer_stats(self, db: sqlite3.Connection, profile_id: str) -> dict[str, int]:
        count = self._counts(db, profile_id).get("buffer", 0)
        return {"buffer_count": count, "buffer_percentage": min(100, count * 100 // FREE_PLAN_QUEUE)}

    def _check_text(self, db: sqlite3.Connection, profile: sqlite3.Row, text: str, exclude: str = "") -> None:
        service, service_type = profile["service"], profile["service_type"]
        limit = config.character_limit(service, service_type)
        length = config.text_length(text, service, service_type)
        if limit is not None and length > limit:
            name = config.service_name(service, service_type)
            raise ApiError(1022, f"Text is too long for {name}: {length} characters, the limit is {limit}.")
        if (
            text
            and db.execute(
                "SELECT 1 FROM updates WHERE profile_id = ? AND text = ? AND id != ? AND deleted_at IS NULL"
                " AND (status = 'buffer' OR (status = 'sent' AND sent_at >= ?)) LIMIT 1",
                (profile["id"], text, exclude, self.now() - DUPLICATE_WINDOW),
            ).fetchone()
        ):
            raise ApiError(1025)

    def _scheduled_at(self, params: dict) -> int | None:
        raw = params.get("scheduled_at")
        if raw in (None, ""):
            return None
        when = parse_timestamp(str(raw))
        if when < self.now():
            raise ApiError(1034)
        return when
