"""SQLite persistence for the sandbox: one connection, one lock, one schema.

A single connection (check_same_thread=False) guarded by an RLock keeps every request's
read-modify-write atomic across the threaded HTTP server without SQLite busy errors. With a file path
the state survives restarts (WAL for crash safety); ":memory:" gives throwaway state for tests.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    token TEXT PRIMARY KEY, id TEXT NOT NULL, created_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS profiles (
    id TEXT PRIMARY KEY, token TEXT NOT NULL, user_id TEXT NOT NULL, service TEXT NOT NULL,
    service_type TEXT NOT NULL, timezone TEXT NOT NULL, schedules TEXT NOT NULL,
    created_at INTEGER NOT NULL, sort INTEGER NOT NULL, organization INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS profiles_token ON profiles (token, sort);
CREATE TABLE IF NOT EXISTS updates (
    id TEXT PRIMARY KEY, profile_id TEXT NOT NULL, user_id TEXT NOT NULL, text TEXT NOT NULL,
    media TEXT NOT NULL DEFAULT '{}', status TEXT NOT NULL, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, due_at INTEGER NOT NULL DEFAULT 0, sent_at INTEGER,
    custom INTEGER NOT NULL DEFAULT 0, position REAL NOT NULL DEFAULT 0,
    shared_now INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER, metadata TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS updates_profile ON updates (profile_id, status);
CREATE INDEX IF NOT EXISTS updates_due ON updates (status, due_at);
CREATE TABLE IF NOT EXISTS comments (
    id TEXT PRIMARY KEY, update_id TEXT NOT NULL, text TEXT NOT NULL, author TEXT NOT NULL,
    parent_id TEXT, interaction_id TEXT NOT NULL, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, deleted_at INTEGER, seeded INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS comments_update ON comments (update_id, created_at);
"""
TABLES = ("meta", "users", "profiles", "updates", "comments")
# Columns added after the first release: a state file written by an older sandbox gets them on open.
ADDED_COLUMNS = {
    "profiles": {"organization": "INTEGER NOT NULL DEFAULT 0"},
    "updates": {"metadata": "TEXT NOT NULL DEFAULT '{}'"},
}


class Store:
    """The connection, the lock and the sandbox clock (real UTC + a persisted offset)."""

    def __init__(self, path: str = ":memory:"):
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        if path != ":memory:":
            self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.executescript(SCHEMA)
        for table, columns in ADDED_COLUMNS.items():
            present = {row["name"] for row in self.conn.execute(f"PRAGMA table_info({table})")}
            for name, definition in columns.items():
                if name not in present:
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {definition}")
        self._offset = int(self.get_meta("clock_offset", 0))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock for a whole operation and commit it atomically (rolled back on error)."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def wipe(self) -> None:
        with self.transaction() as db:
            for table in TABLES:
                db.execute(f"DELETE FROM {table}")
        self._offset = 0

    # -- meta / clock -------------------------------------------------------------------------
    def get_meta(self, key: str, default: Any = None) -> Any:
        with self.lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row["value"]) if row else default

    def set_meta(self, key: str, value: Any) -> None:
        with self.lock:
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def next_seq(self, name: str) -> int:
        """A persisted counter, so generated ids stay unique across restarts."""
        with self.lock:
            value = int(self.get_meta(f"seq:{name}", 0)) + 1
            self.set_meta(f"seq:{name}", value)
            return value

    @property
    def clock_offset(self) -> int:
        return self._offset

    @clock_offset.setter
    def clock_offset(self, seconds: int) -> None:
        with self.lock:
            self.set_meta("clock_offset", int(seconds))
            self._offset = int(seconds)

    def now(self) -> int:
        """Sandbox time: tests move it forward (admin /clock) instead of sleeping."""
        return int(time.time()) + self.clock_offset
