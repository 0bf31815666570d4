"""Buffer's v1 operations on the sandbox account model (one method per endpoint of reference §3).

The rules that several endpoints share (lazy sending, slots, duplicate and length checks) live in
core.py; the admin-only operations in backstage.py.
"""

from __future__ import annotations

import json
import random
import sqlite3

from buffer_sandbox import config, fakes, render
from buffer_sandbox.backstage import Backstage
from buffer_sandbox.core import UPDATE_SELECT, int_param, media_param, paginate
from buffer_sandbox.errors import ApiError
from buffer_sandbox.forms import as_list, parse_bool
from buffer_sandbox.schedule import validate_schedules


class SandboxState(Backstage):
    """The whole sandbox account store: v1 operations here, admin ones inherited from `Backstage`."""

    # -- v1: user & profiles --------------------------------------------------------------------
    def user(self, token: str) -> dict:
        with self.store.transaction() as db:
            return render.user(db.execute("SELECT * FROM users WHERE token = ?", (token,)).fetchone(), self.now())

    def profiles(self, token: str) -> list[dict]:
        with self.store.transaction() as db:
            self._sweep(db)
            rows = db.execute("SELECT * FROM profiles WHERE token = ? ORDER BY sort", (token,)).fetchall()
            return [render.profile(r, self._counts(db, r["id"])) for r in rows]

    def profile(self, token: str, profile_id: str) -> dict:
        with self.store.transaction() as db:
            self._sweep(db)
            row = self._profile(db, token, profile_id)
            return render.profile(row, self._counts(db, profile_id))

    def schedules(self, token: str, profile_id: str) -> list[dict]:
        with self.store.transaction() as db:
            return json.loads(self._profile(db, token, profile_id)["schedules"])

    def set_schedules(self, token: str, profile_id: str, params: dict) -> dict:
        schedules = validate_schedules(params.get("schedules"))
        with self.store.transaction() as db:
            self._sweep(db)
            self._profile(db, token, profile_id)
            db.execute("UPDATE profiles SET schedules = ? WHERE id = ?", (json.dumps(schedules), profile_id))
            self._reslot(db, self._profile(db, token, profile_id))
            return {"success": True}

    # -- v1: updates ------------------------------------------------------------------------------
    def get_update(self, token: str, update_id: str, params: dict) -> dict:
        with self.store.transaction() as db:
            self._sweep(db)
            self._update(db, token, update_id)
            return self._render(db, update_id, utc=parse_bool(params.get("utc")))

    def list_updates(self, token: str, profile_id: str, kind: str, params: dict) -> dict:
        """pending: due_at ascending (unscheduled last); sent: sent_at descending. `since` as documented."""
        since = int_param(params, "since", None, 0)
        with self.store.transaction() as db:
            self._sweep(db)
            self._profile(db, token, profile_id)
            if kind == "pending":
                sql = (
                    " AND u.status = 'buffer' AND u.created_at > ? ORDER BY u.due_at = 0, u.due_at, u.position, u.rowid"
                )
            else:
                sql = " AND u.status = 'sent' AND u.sent_at > ? ORDER BY u.sent_at DESC, u.rowid DESC"
            rows = db.execute(
                UPDATE_SELECT + " WHERE u.profile_id = ? AND u.deleted_at IS NULL" + sql,
                (profile_id, since if since is not None else -1),
            ).fetchall()
            total, page = paginate(rows, params)
            utc, now = parse_bool(params.get("utc")), self.now()
            return {"total": total, "updates": [render.update(r, now, utc=utc) for r in page]}

    def create(self, token: str, params: dict) -> tuple[dict, list[dict]]:
        """updates/create.json; returns (response body, created updates) — the latter for stats."""
        ids = list(dict.fromkeys(str(i) for i in as_list(params.get("profile_ids"))))
        text = str(params.get("text") or "")
        media = media_param(params.get("media"))
        now_flag, top = parse_bool(params.get("now")), parse_bool(params.get("top"))
        with self.store.transaction() as db:
            self._sweep(db)
            profiles = [
                p
                for p in (db.execute("SELECT * FROM profiles WHERE id = ?", (i,)).fetchone() for i in ids)
                if p is not None and p["token"] == token
            ]
            if not profiles:
                raise ApiError(1004, "Required parameter missing: profile_ids[] (no valid profile id given).")
            if not text and not media and not params.get("retweet"):
                raise ApiError(1004, "Required parameter missing: text (or media).")
            scheduled = self._scheduled_at(params)
            for profile in profiles:
                self._check_text(db, profile, text)
            created = [self._insert(db, p, text, media, scheduled, now_flag, top) for p in profiles]
            updates = [self._render(db, uid) for uid in created]
            shared = now_flag and scheduled is None
            message = "Your update has been shared." if shared else "One more post in your Buffer. Keep it topped up!"
            body = {
                "success": True,
                **self._buffer_stats(db, profiles[0]["id"]),
                "updates": updates,
                "message": message,
            }
            return body, updates

    def _insert(
        self,
        db: sqlite3.Connection,
        profile: sqlite3.Row,
        text: str,
        media: dict,
        scheduled: int | None,
        now_flag: bool,
        top: bool,
    ) -> str:
        now = self.now()
        uid = fakes.object_id(now, profile["id"], self.store.next_seq("update"))
        queue = self._queue(db, profile["id"])
        position = (queue[0]["position"] - 1 if top else queue[-1]["position"] + 1) if queue else 0
        db.execute(
            "INSERT INTO updates (id, profile_id, user_id, text, media, status, created_at, updated_at, due_at,"
            " custom, position) VALUES (?, ?, ?, ?, ?, 'buffer', ?, ?, ?, ?, ?)",
            (
                uid,
                profile["id"],
                profile["user_id"],
                text,
                json.dumps(media),
                now,
                now,
                scheduled or 0,
                int(scheduled is not None),
                position,
            ),
        )
        if scheduled is None and now_flag:
            self._mark_sent(db, self._existing_update_row(db, uid), now, shared_now=True)
        elif scheduled is None:
            self._reslot(db, profile)
        return uid

    def edit(self, token: str, update_id: str, params: dict) -> dict:
        """updates/:id/update.json: `text` required; `media`, `now`, `scheduled_at` optional."""
        if "text" not in params:
            raise ApiError(1004, "Required parameter missing: text.")
        text = str(params.get("text") or "")
        with self.store.transaction() as db:
            self._sweep(db)
            row = self._update(db, token, update_id)
            if row["status"] != "buffer":
                raise ApiError(1022, "Only pending updates can be edited.")
            profile = self._profile(db, token, row["profile_id"])
            self._check_text(db, profile, text, exclude=update_id)
            scheduled = self._scheduled_at(params)
            media = media_param(params.get("media")) if "media" in params else json.loads(row["media"])
            now = self.now()
            db.execute(
                "UPDATE updates SET text = ?, media = ?, updated_at = ? WHERE id = ?",
                (text, json.dumps(media), now, update_id),
            )
            if scheduled is not None:
                db.execute("UPDATE updates SET custom = 1, due_at = ? WHERE id = ?", (scheduled, update_id))
            elif parse_bool(params.get("now")):
                self._mark_sent(db, self._existing_update_row(db, update_id), now, shared_now=True)
            self._reslot(db, profile)
            return {
                "success": True,
                **self._buffer_stats(db, profile["id"]),
                "update": self._render(db, update_id, utc=parse_bool(params.get("utc"))),
            }

    def share(self, token: str, update_id: str) -> dict:
        with self.store.transaction() as db:
            self._sweep(db)
            row = self._update(db, token, update_id)
            if row["status"] == "buffer":
                self._mark_sent(db, row, self.now(), shared_now=True)
                self._reslot(db, self._profile(db, token, row["profile_id"]))
            return {"success": True}

    def destroy(self, token: str, update_id: str) -> dict:
        with self.store.transaction() as db:
            self._sweep(db)
            row = self._update(db, token, update_id)
            db.execute("UPDATE updates SET deleted_at = ? WHERE id = ?", (self.now(), update_id))
            self._reslot(db, self._profile(db, token, row["profile_id"]))
            return {"success": True, "message": "Update deleted successfully"}

    def move_to_top(self, token: str, update_id: str, params: dict) -> dict:
        with self.store.transaction() as db:
            self._sweep(db)
            row = self._update(db, token, update_id)
            if row["status"] != "buffer" or row["custom"]:
                raise ApiError(1027)
            profile = self._profile(db, token, row["profile_id"])
            rest = [r["id"] for r in self._queue(db, profile["id"]) if r["id"] != update_id]
            self._reslot(db, profile, [update_id, *rest])
            return self._render(db, update_id, utc=parse_bool(params.get("utc")))

    def reorder(self, token: str, profile_id: str, params: dict) -> dict:
        """`order[]` (full or partial) is placed at `offset`; the rest keep their relative order."""
        order = [str(i) for i in as_list(params.get("order"))]
        if not order:
            raise ApiError(1004, "Required parameter missing: order[].")
        with self.store.transaction() as db:
            self._sweep(db)
            profile = self._profile(db, token, profile_id)
            queue = [r["id"] for r in self._queue(db, profile_id)]
            moved = [uid for uid in dict.fromkeys(order) if uid in queue]
            rest = [uid for uid in queue if uid not in moved]
            offset = int_param(params, "offset", 0, 0, len(rest))
            ids = self._reslot(db, profile, rest[:offset] + moved + rest[offset:])
            utc = parse_bool(params.get("utc"))
            return {"success": True, "updates": [self._render(db, uid, utc=utc) for uid in ids]}

    def shuffle(self, token: str, profile_id: str, params: dict) -> dict:
        count = int_param(params, "count", None, 1)
        with self.store.transaction() as db:
            self._sweep(db)
            profile = self._profile(db, token, profile_id)
            ids = [r["id"] for r in self._queue(db, profile_id)]
            random.Random(fakes.digest(profile_id, self.now(), *ids)).shuffle(ids)
            self._reslot(db, profile, ids)
            utc = parse_bool(params.get("utc"))
            return {"success": True, "updates": [self._render(db, uid, utc=utc) for uid in ids[:count]]}

    def interactions(self, token: str, update_id: str, params: dict) -> dict:
        event = str(params.get("event") or "")
        if not event:
            raise ApiError(1004, "Required parameter missing: event.")
        with self.store.transaction() as db:
            self._sweep(db)
            row = self._update(db, token, update_id)
            if not config.supports_event(row["service"], row["service_type"], event):
                raise ApiError(1029, f"Event type not supported: {event} on {row['service']}.")
            event = config.singular_event(event)
            if event == "comment":
                rows = db.execute(
                    "SELECT * FROM comments WHERE update_id = ? AND deleted_at IS NULL ORDER BY created_at, rowid",
                    (update_id,),
                ).fetchall()
                items = [render.comment(r) for r in rows]
            elif row["status"] == "sent":
                n = fakes.number(update_id, event, "count", modulo=4)
                items = [render.generated_interaction(row, event, i, self.now()) for i in range(n)]
            else:
                items = []
            total, page = paginate(items, params)
            return {"total": total, "interactions": page}
