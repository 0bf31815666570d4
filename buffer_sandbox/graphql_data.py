"""The sandbox's account model seen through Buffer's GraphQL vocabulary: profiles are channels, updates posts.

Nothing here has state of its own: every read and write goes through the same `SandboxState` (and so
the same SQLite rows, lazy sending, duplicate and length rules) as the v1 routes, so a post created
over GraphQL is in the v1 pending list and vice versa. Rules v1 does not have (organizations, channel
locks, the daily posting limit, cursors) are derived from existing rows or kept in the `meta` table.
"""

from __future__ import annotations

import base64
import binascii
import json
import mimetypes
import sqlite3
from datetime import UTC, datetime
from typing import Any

from buffer_sandbox import fakes, render
from buffer_sandbox.core import UPDATE_SELECT
from buffer_sandbox.errors import ApiError
from buffer_sandbox.schedule import parse_timestamp
from buffer_sandbox.state import SandboxState

STATUS = {"buffer": "scheduled", "sent": "sent", "error": "error"}
V1_STATUS = {graphql: v1 for v1, graphql in STATUS.items()}
DAY = 24 * 3600


class LimitReached(Exception):
    """createPost over the channel's daily posting limit (`graphql_daily_post_limit` fault knob)."""


def iso(ts: int | None) -> str | None:
    """Buffer's DateTime: ISO-8601 UTC with milliseconds and a Z, e.g. 2026-03-26T10:28:47.000Z."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z") if ts else None


def organization_id(user_id: str) -> str:
    return fakes.hex_id(user_id, "organization")


# -- account and channels ------------------------------------------------------------------------


def account(state: SandboxState, token: str) -> dict:
    user = state.user(token)
    return {
        "id": user["id"],
        "email": user["secret_email"],
        "name": "Sandbox User",
        "avatar": f"https://avatars.sandbox.invalid/{user['id']}.png",
        "timezone": user["timezone"],
        "organizations": [{"id": organization_id(user["id"]), "name": "Sandbox Organization"}],
    }


def channel_flags(state: SandboxState, channel_id: str) -> dict[str, bool]:
    flags = state.store.get_meta(f"graphql:channel:{channel_id}", {})
    return {"isLocked": bool(flags.get("isLocked")), "isDisconnected": bool(flags.get("isDisconnected"))}


def set_channel_flags(state: SandboxState, channel_id: str, **flags: bool) -> None:
    """Lock or disconnect a channel (tests: a plan downgrade, an expired network token)."""
    state.store.set_meta(f"graphql:channel:{channel_id}", {**channel_flags(state, channel_id), **flags})


def channel(state: SandboxState, profile: dict) -> dict:
    """A v1 profile object → a GraphQL Channel."""
    return {
        "id": profile["id"],
        "name": profile["service_username"],
        "displayName": profile["formatted_username"],
        "service": profile["service"],
        "type": profile["service_type"],
        "avatar": profile["avatar_https"],
        "timezone": profile["timezone"],
        "organizationId": organization_id(profile["user_id"]),
        **channel_flags(state, profile["id"]),
    }


def channels(state: SandboxState, token: str) -> list[dict]:
    return [channel(state, p) for p in state.profiles(token)]


# -- posts ---------------------------------------------------------------------------------------


def _assets(update_id: str, media: dict) -> list[dict]:
    assets = []
    for kind, key in (("image", "picture"), ("video", "video")):
        url = media.get(key)
        if url:
            assets.append(
                {
                    "id": fakes.hex_id(update_id, "asset", kind),
                    "type": kind,
                    "mimeType": mimetypes.guess_type(url)[0] or f"{kind}/*",
                    "source": url,
                    "thumbnail": media.get("thumbnail") if kind == "image" else None,
                }
            )
    return assets


def post(row: sqlite3.Row, now: int) -> dict:
    """An updates row (joined with its profile) → a GraphQL Post, via the v1 rendering it shares."""
    data = render.update(row, now)
    share_mode = "shareNow" if row["shared_now"] else "customScheduled" if row["custom"] else "addToQueue"
    return {
        "id": data["id"],
        "status": STATUS.get(data["status"], "scheduled"),
        "text": data["text"],
        "dueAt": iso(data["due_at"]),
        "sentAt": iso(data.get("sent_at")),
        "createdAt": iso(data["created_at"]),
        "updatedAt": iso(data["updated_at"]),
        "channelId": data["profile_id"],
        "channelService": data["profile_service"],
        "shareMode": share_mode,
        "isCustomScheduled": bool(row["custom"]),
        "externalLink": data["service_link"] or None,
        "assets": _assets(data["id"], data.get("media") or {}),
    }


def get_post(state: SandboxState, token: str, post_id: str) -> dict:
    """Raises ApiError 1020/1021 like v1's /updates/:id."""
    with state.store.transaction() as db:
        state._sweep(db)
        return post(state._update(db, token, post_id), state.now())


def _sort_key(row: sqlite3.Row) -> list[int]:
    # Unscheduled queue entries (due_at 0) last, as in v1's pending list; rowid breaks ties.
    return [int(row["due_at"] == 0), row["due_at"], row["rowid"]]


def encode_cursor(key: list[int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def decode_cursor(cursor: str) -> list[int]:
    """Raises ValueError on a cursor we did not issue."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("invalid cursor") from None
    if not (isinstance(key, list) and len(key) == 3 and all(isinstance(k, int) for k in key)):
        raise ValueError("invalid cursor")
    return key


def list_posts(
    state: SandboxState, token: str, *, statuses: list[str], channel_ids: list[str], first: int, after: str | None
) -> dict:
    """One page of the token's posts, keyset-paginated on (unscheduled, dueAt, rowid) so posts added or
    deleted between pages never shift the next page. Raises ApiError 1010 for a channel not in the account."""
    start = decode_cursor(after) if after else None
    with state.store.transaction() as db:
        state._sweep(db)
        for cid in channel_ids:
            state._profile(db, token, cid)
        sql, args = UPDATE_SELECT.replace("SELECT u.*", "SELECT u.rowid, u.*") + " WHERE p.token = ?", [token]
        sql += " AND u.deleted_at IS NULL"
        if statuses:
            sql += f" AND u.status IN ({','.join('?' * len(statuses))})"
            args += [V1_STATUS.get(s, "-") for s in statuses]  # draft, sending...: none in the sandbox
        if channel_ids:
            sql += f" AND u.profile_id IN ({','.join('?' * len(channel_ids))})"
            args += channel_ids
        rows = sorted(db.execute(sql, args).fetchall(), key=_sort_key)
        if start is not None:
            rows = [r for r in rows if _sort_key(r) > start]
        page, now = rows[:first], state.now()
        edges = [{"cursor": encode_cursor(_sort_key(r)), "node": post(r, now)} for r in page]
    return {
        "edges": edges,
        "pageInfo": {
            "hasNextPage": len(rows) > first,
            "hasPreviousPage": False,  # Buffer: forward pagination only
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def _media(assets: list[dict]) -> dict[str, str]:
    """AssetInput list → the v1 `media` form (first image, first video, first link)."""
    media: dict[str, str] = {}
    for asset in assets:
        if asset.get("image") and "photo" not in media:
            media["photo"] = asset["image"]["url"]
            media["thumbnail"] = asset["image"].get("thumbnailUrl") or asset["image"]["url"]
        if asset.get("video") and "video" not in media:
            media["video"] = asset["video"]["url"]
        if asset.get("link") and "link" not in media:
            media["link"] = asset["link"]["url"]
    return media


def _timing(data: dict[str, Any]) -> dict[str, str]:
    """ShareMode (+ dueAt) → v1's `now` / `top` / `scheduled_at`; no mode means no change (editPost)."""
    mode = data.get("mode")
    if mode == "customScheduled":
        if not data.get("dueAt"):
            raise ApiError(1004, "dueAt is required when mode is customScheduled.")
        return {"scheduled_at": str(parse_timestamp(str(data["dueAt"])))}
    return {"now": "true" if mode == "shareNow" else "", "top": "true" if mode == "shareNext" else ""}


def create_post(state: SandboxState, token: str, data: dict[str, Any], *, daily_limit: int) -> tuple[dict, dict]:
    """createPost through v1's `create` (same rules); returns (GraphQL Post, v1 update for the stats)."""
    channel_id = str(data["channelId"])
    state.profile(token, channel_id)  # unknown / foreign channel: ApiError 1010/1011
    if daily_limit and _created_today(state, channel_id) >= daily_limit:
        raise LimitReached(f"This channel has reached its limit of {daily_limit} posts per day.")
    params: dict[str, Any] = {"profile_ids": [channel_id], "text": data.get("text") or "", **_timing(data)}
    params["media"] = _media(data.get("assets") or [])
    _, created = state.create(token, params)
    return get_post(state, token, created[0]["id"]), created[0]


def edit_post(state: SandboxState, token: str, data: dict[str, Any]) -> dict:
    """editPost through v1's `edit`: omitted fields keep their value, as Buffer documents."""
    post_id = str(data["id"])
    current = get_post(state, token, post_id)
    params: dict[str, Any] = {"text": current["text"] if data.get("text") is None else data["text"]}
    if data.get("mode") is not None:
        params.update(_timing(data))
    if data.get("assets") is not None:
        params["media"] = _media(data["assets"])
    state.edit(token, post_id, params)
    return get_post(state, token, post_id)


def _created_today(state: SandboxState, channel_id: str) -> int:
    with state.store.transaction() as db:
        row = db.execute(
            "SELECT COUNT(*) FROM updates WHERE profile_id = ? AND created_at > ?", (channel_id, state.now() - DAY)
        ).fetchone()
        return row[0]


def delete_post(state: SandboxState, token: str, post_id: str) -> None:
    state.destroy(token, post_id)
