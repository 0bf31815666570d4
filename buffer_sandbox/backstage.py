"""Admin-only operations behind `/__sandbox/`: inspection, forced sending, comment authoring.

Not part of Buffer's API; tests use them to look inside the sandbox and to make the audience react.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from buffer_sandbox import fakes, render
from buffer_sandbox.core import UPDATE_SELECT, StateCore
from buffer_sandbox.errors import AdminError


class Backstage(StateCore):
    """Operations on any token's data, keyed by ids alone (no ownership checks: there is no caller)."""

    def reset(self) -> None:
        self.store.wipe()

    def set_clock(self, offset_seconds: int) -> dict:
        self.store.clock_offset = offset_seconds
        return self.clock()

    def clock(self) -> dict:
        return {"now": self.now(), "offset_seconds": self.store.clock_offset}

    def add_organization(self, token: str, services: list[tuple[str, str]]) -> dict:
        """Another organization of the token's account with one channel per service."""
        with self.store.transaction() as db:
            user = db.execute("SELECT id FROM users WHERE token = ?", (token,)).fetchone()
            index = db.execute("SELECT COALESCE(MAX(organization), -1) + 1 FROM profiles WHERE token = ?", (token,))
            index = index.fetchone()[0]
            ids = self._add_channels(db, token, user["id"], services, organization=index)
        return {
            "index": index,
            "id": fakes.organization_id(user["id"], index),
            "name": fakes.organization_name(index),
            "channels": ids,
        }

    def admin_updates(self, profile_id: str | None = None) -> list[dict]:
        """Every update incl. deleted ones, with the bookkeeping the v1 objects hide."""
        with self.store.transaction() as db:
            self._sweep(db)
            where, args = (" WHERE u.profile_id = ?", (profile_id,)) if profile_id else ("", ())
            rows = db.execute(UPDATE_SELECT + where + " ORDER BY u.created_at, u.rowid", args).fetchall()
            return [self._admin_update(db, r) for r in rows]

    def _admin_update(self, db: sqlite3.Connection, row: sqlite3.Row) -> dict:
        data = render.update(row, self.now())
        comments = db.execute(
            "SELECT COUNT(*) FROM comments WHERE update_id = ? AND deleted_at IS NULL", (row["id"],)
        ).fetchone()[0]
        data.update(
            custom_scheduled=bool(row["custom"]),
            deleted=row["deleted_at"] is not None,
            deleted_at=row["deleted_at"],
            position=row["position"],
            comment_count=comments,
            metadata=json.loads(row["metadata"] or "{}"),  # GraphQL's createPost/editPost `metadata`, as sent
        )
        return data

    def admin_send(self, update_id: str) -> dict:
        with self.store.transaction() as db:
            self._sweep(db)
            row = self._update_row(db, update_id)
            if row is None:
                raise AdminError(404, f"No update {update_id}.")
            if row["status"] == "buffer":
                self._mark_sent(db, row, self.now())
                self._reslot(db, db.execute("SELECT * FROM profiles WHERE id = ?", (row["profile_id"],)).fetchone())
            return self._admin_update(db, self._existing_update_row(db, update_id))

    def add_comment(self, update_id: str, text: str, author: Any = None, parent_id: str | None = None) -> dict:
        with self.store.transaction() as db:
            row = self._update_row(db, update_id)
            if row is None:
                raise AdminError(404, f"No update {update_id}.")
            if (
                parent_id
                and not db.execute(
                    "SELECT 1 FROM comments WHERE id = ? AND update_id = ?", (parent_id, update_id)
                ).fetchone()
            ):
                raise AdminError(400, f"parent_id {parent_id} is not a comment on update {update_id}.")
            if isinstance(author, dict):
                who = fakes.author(row["service"], str(author.get("username") or "commenter"), author.get("name"))
                who.update({k: str(v) for k, v in author.items() if k in who})
            else:
                who = fakes.author(row["service"], str(author or "sandbox_commenter"))
            now = self.now()
            cid = fakes.object_id(now, update_id, "admin-comment", self.store.next_seq("comment"))
            db.execute(
                "INSERT INTO comments (id, update_id, text, author, parent_id, interaction_id, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (cid, update_id, text, json.dumps(who), parent_id or None, fakes.digits(cid, "native"), now, now),
            )
            return self._comment(db, cid)

    def _comment(self, db: sqlite3.Connection, comment_id: str) -> dict:
        row = db.execute("SELECT * FROM comments WHERE id = ? AND deleted_at IS NULL", (comment_id,)).fetchone()
        if row is None:
            raise AdminError(404, f"No comment {comment_id}.")
        return {**render.comment(row), "update_id": row["update_id"]}

    def edit_comment(self, comment_id: str, text: str) -> dict:
        with self.store.transaction() as db:
            before = self._comment(db, comment_id)
            updated = max(self.now(), before["updated_at"] + 1)  # always observable as a change
            db.execute("UPDATE comments SET text = ?, updated_at = ? WHERE id = ?", (text, updated, comment_id))
            return self._comment(db, comment_id)

    def delete_comment(self, comment_id: str) -> None:
        with self.store.transaction() as db:
            self._comment(db, comment_id)
            db.execute("UPDATE comments SET deleted_at = ? WHERE id = ?", (self.now(), comment_id))
