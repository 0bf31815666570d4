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

from buffer_sandbox import config, fakes, graphql_rules, render
from buffer_sandbox.core import UPDATE_SELECT
from buffer_sandbox.errors import ApiError
from buffer_sandbox.graphql_metadata import post_metadata
from buffer_sandbox.schedule import DAYS, parse_timestamp
from buffer_sandbox.state import SandboxState

STATUS = {"buffer": "scheduled", "sent": "sent", "error": "error"}
V1_STATUS = {graphql: v1 for v1, graphql in STATUS.items()}
DAY = 24 * 3600


class LimitReached(Exception):
    """createPost over the channel's daily posting limit (`graphql_daily_post_limit` fault knob)."""


def iso(ts: int | None) -> str | None:
    """Buffer's DateTime: ISO-8601 UTC with milliseconds and a Z, e.g. 2026-03-26T10:28:47.000Z."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z") if ts else None


def organizations(state: SandboxState, token: str) -> list[dict]:
    """Every organization of the key's account (Buffer: one key sees them all, README rule 6)."""
    user = state.user(token)
    with state.store.transaction() as db:
        rows = db.execute(
            "SELECT organization, COUNT(*) AS n FROM profiles WHERE token = ?"
            " GROUP BY organization ORDER BY organization",
            (token,),
        ).fetchall()
    found = [(r["organization"], r["n"]) for r in rows] or [(0, 0)]
    return [
        {
            "index": index,
            "id": fakes.organization_id(user["id"], index),
            "name": fakes.organization_name(index),
            "channelCount": count,
            "ownerEmail": user["secret_email"],
            "shouldEnforce2FASetup": False,
            "members": {"totalCount": 1},
            "limits": {
                "channels": 10,
                "members": 1,
                "scheduledPosts": 2000,
                "scheduledThreadsPerChannel": 10,
                "scheduledStoriesPerChannel": 10,
                "generateContent": 0,
                "tags": 100,
                "ideas": 100,
                "ideaGroups": 10,
                "savedReplies": 10,
            },
        }
        for index, count in found
    ]


def organization_index(state: SandboxState, token: str, organization: str) -> int:
    """The index of one of the key's organizations; another one is FORBIDDEN (LookupError here)."""
    for org in organizations(state, token):
        if org["id"] == organization:
            return org["index"]
    raise LookupError(organization)


def account(state: SandboxState, token: str) -> dict:
    user = state.user(token)
    orgs = organizations(state, token)

    def organizations_field(_info: Any, filter: dict | None = None) -> list[dict]:
        wanted = (filter or {}).get("organizationId")
        return [o for o in orgs if not wanted or o["id"] == wanted]

    return {
        "id": user["id"],
        "email": user["secret_email"],
        "backupEmail": None,
        "name": "Sandbox User",
        "avatar": f"https://avatars.sandbox.invalid/{user['id']}.png",
        "createdAt": iso(user["created_at"]),
        "timezone": user["timezone"],
        "preferences": {"timeFormat": "24", "startOfWeek": "monday", "defaultScheduleOption": "Queue"},
        "connectedApps": [],
        "organizations": organizations_field,
    }


def channel_flags(state: SandboxState, channel_id: str) -> dict[str, bool]:
    flags = state.store.get_meta(f"graphql:channel:{channel_id}", {})
    return {"isLocked": bool(flags.get("isLocked")), "isDisconnected": bool(flags.get("isDisconnected"))}


def set_channel_flags(state: SandboxState, channel_id: str, **flags: bool) -> None:
    """Lock or disconnect a channel (tests: a plan downgrade, an expired network token)."""
    state.store.set_meta(f"graphql:channel:{channel_id}", {**channel_flags(state, channel_id), **flags})


def pinterest_boards(channel_id: str) -> list[dict]:
    """Two boards per Pinterest channel, stable per channel (Channel.metadata → PinterestMetadata)."""
    return [
        {
            "id": fakes.hex_id(channel_id, "board", name),
            "serviceId": fakes.digits(channel_id, "board", name, length=18),
            "name": name,
            "url": f"https://www.pinterest.com/sandbox_pinterest/{name.lower().replace(' ', '-')}/",
            "description": None,
            "avatar": None,
        }
        for name in ("Inspiration", "Product Launches")
    ]


def _channel_metadata(service: str, channel_id: str) -> dict | None:
    """Channel.metadata (a union: `__typename` picks the member)."""
    members: dict[str, dict[str, Any]] = {
        "instagram": {"__typename": "InstagramMetadata", "defaultToReminders": False},
        "tiktok": {"__typename": "TiktokMetadata", "defaultToReminders": False},
        "youtube": {"__typename": "YoutubeMetadata", "defaultToReminders": False},
        "pinterest": {"__typename": "PinterestMetadata", "boards": pinterest_boards(channel_id)},
        "mastodon": {"__typename": "MastodonMetadata", "serverUrl": "https://mastodon.social"},
        "bluesky": {"__typename": "BlueskyMetadata", "serverUrl": "https://bsky.social"},
        "googlebusiness": {"__typename": "GoogleBusinessMetadata", "locationData": None},
        "facebook": {"__typename": "FacebookMetadata", "locationData": None},
        "twitter": {"__typename": "TwitterMetadata", "subscriptionType": None},
        "linkedin": {"__typename": "LinkedInMetadata", "shouldShowLinkedinAnalyticsRefreshBanner": False},
    }
    return members.get(service)


def posting_schedule(schedules: list[dict]) -> list[dict]:
    """v1's `schedules` ([{days, times}]) → Channel.postingSchedule, one ScheduleV2 per weekday."""
    times: dict[str, set[str]] = {day: set() for day in DAYS}
    for sched in schedules:
        for day in sched.get("days", []):
            if day in times:
                times[day].update(sched.get("times", []))
    return [{"day": day, "times": sorted(times[day]), "paused": False} for day in DAYS]


def channel(state: SandboxState, profile: dict, organization: int = 0) -> dict:
    """A v1 profile object → a GraphQL Channel."""
    service, service_type = profile["service"], profile["service_type"]
    return {
        "id": profile["id"],
        "name": profile["service_username"],
        "displayName": profile["formatted_username"],
        "descriptor": f"{config.service_name(service, service_type)} {service_type.title()}",
        "service": service,
        "serviceId": profile["service_id"],
        "type": service_type,
        "avatar": profile["avatar_https"],
        "timezone": profile["timezone"],
        "createdAt": iso(profile["created_at"]),
        "updatedAt": iso(profile["created_at"]),
        "organizationId": fakes.organization_id(profile["user_id"], organization),
        "allowedActions": ["viewChannel", "viewUpdates", "manageUpdates", "managePostingSchedule"],
        "scopes": [],
        "isNew": False,
        "isQueuePaused": False,
        "showTrendingTopicSuggestions": True,
        "hasActiveMemberDevice": False,
        "products": ["publish"],
        "postingGoal": None,
        "externalLink": None,
        "linkShortening": {"config": None, "isEnabled": False},
        "metadata": _channel_metadata(service, profile["id"]),
        "postingSchedule": posting_schedule(profile["schedules"]),
        **channel_flags(state, profile["id"]),
    }


def _organization_of(state: SandboxState, channel_id: str) -> int:
    with state.store.transaction() as db:
        row = db.execute("SELECT organization FROM profiles WHERE id = ?", (channel_id,)).fetchone()
    return row["organization"] if row else 0


def channel_by_id(state: SandboxState, token: str, channel_id: str) -> dict:
    """Raises ApiError 1010/1011 like v1's /profiles/:id."""
    profile = state.profile(token, channel_id)
    return channel(state, profile, _organization_of(state, channel_id))


def channels(state: SandboxState, token: str, organization: int = 0) -> list[dict]:
    return [
        channel(state, p, organization)
        for p in state.profiles(token)
        if _organization_of(state, p["id"]) == organization
    ]


# -- posts ---------------------------------------------------------------------------------------


def _assets(update_id: str, media: dict) -> list[dict]:
    """v1 media → Post.assets (an `Asset` interface: `__typename` picks ImageAsset / VideoAsset)."""
    assets = []
    for kind, key in (("image", "picture"), ("video", "video")):
        url = media.get(key)
        if url:
            asset = {
                "__typename": "ImageAsset" if kind == "image" else "VideoAsset",
                "id": fakes.hex_id(update_id, "asset", kind),
                "type": kind,
                "mimeType": mimetypes.guess_type(url)[0] or f"{kind}/*",
                "source": url,
                "thumbnail": (media.get("thumbnail") if kind == "image" else None) or url,
            }
            if kind == "image":
                asset["image"] = {"altText": "", "width": 1080, "height": 1080, "isAnimated": False}
            else:
                asset["video"] = {
                    "durationMs": 15000,
                    "width": 1080,
                    "height": 1920,
                    "isTranscodingRequired": False,
                    "isVideoProcessing": False,
                }
            assets.append(asset)
    return assets


# Post.metrics per network: unified names where Buffer has them (PostMetricType), from the same
# deterministic numbers as v1's `statistics`, so both APIs report the same post alike.
_METRIC_NAMES = {
    "reach": ("Reach", "People who saw the post", "reach"),
    "clicks": ("Clicks", "Link clicks", "clicks"),
    "likes": ("Reactions", "Likes and reactions", "reactions"),
    "favorites": ("Reactions", "Likes", "reactions"),
    "comments": ("Comments", "Comments on the post", "comments"),
    "mentions": ("Comments", "Replies and mentions", "comments"),
    "shares": ("Shares", "Shares of the post", "shares"),
    "retweets": ("Reposts", "Reposts of the post", "reposts"),
}


def metrics(statistics: dict[str, int]) -> list[dict]:
    out: list[dict[str, Any]] = [
        {"type": kind, "name": name, "description": text, "value": float(statistics[key]), "unit": "count"}
        for key, (name, text, kind) in _METRIC_NAMES.items()
        if key in statistics
    ]
    reach = statistics.get("reach") or 0
    engaged = sum(m["value"] for m in out if m["type"] in ("reactions", "comments", "shares", "reposts"))
    rate = round(100 * engaged / reach, 2) if reach else 0.0
    out.append(
        {
            "type": "engagementRate",
            "name": "Eng. Rate",
            "description": "Engagement / reach",
            "value": rate,
            "unit": "percentage",
        }
    )
    return out


def _metrics_updated_at(sent_at: int, now: int) -> int | None:
    """Buffer ingests metrics once a day: the last midnight (UTC) after sending, if one has passed."""
    midnight = now - now % DAY
    return midnight if midnight >= sent_at else None


def post(row: sqlite3.Row, now: int, state: SandboxState | None = None) -> dict:
    """An updates row (joined with its profile) → a GraphQL Post, via the v1 rendering it shares."""
    data = render.update(row, now)
    share_mode = "shareNow" if row["shared_now"] else "customScheduled" if row["custom"] else "addToQueue"
    sent = data["status"] == "sent"
    result = {
        "id": data["id"],
        "ideaId": None,
        "status": STATUS.get(data["status"], "scheduled"),
        "via": "api",
        "schedulingType": "automatic",
        "author": None,
        "text": data["text"],
        "dueAt": iso(data["due_at"]),
        "sentAt": iso(data.get("sent_at")),
        "createdAt": iso(data["created_at"]),
        "updatedAt": iso(data["updated_at"]),
        "channelId": data["profile_id"],
        "channelService": data["profile_service"],
        "shareMode": share_mode,
        "sharedNow": bool(row["shared_now"]),
        "isCustomScheduled": bool(row["custom"]),
        "externalLink": data["service_link"] or None,
        "assets": _assets(data["id"], data.get("media") or {}),
        "tags": [],
        "notes": [],
        "notificationStatus": None,
        "error": {"message": "Publishing failed.", "supportUrl": None, "rawError": None}
        if data["status"] == "error"
        else None,
        "allowedActions": ["viewPost", "deletePost"] + ([] if sent else ["updatePost", "publishPostNow"]),
        "metadata": post_metadata(
            row["service"],
            json.loads(row["metadata"] or "{}"),
            pinterest_boards(row["profile_id"]) if row["service"] == "pinterest" else [],
        ),
        # Sent posts only (the schema: "If post is not yet sent, this field will be null").
        "metrics": metrics(data["statistics"]) if sent else None,
        "metricsUpdatedAt": iso(_metrics_updated_at(data["sent_at"], now)) if sent else None,
    }
    if state is not None:
        token, organization = row["token"], row["organization"]
        result["channel"] = lambda _info: channel(state, state.profile(token, row["profile_id"]), organization)
    return result


def get_post(state: SandboxState, token: str, post_id: str) -> dict:
    """Raises ApiError 1020/1021 like v1's /updates/:id."""
    with state.store.transaction() as db:
        state._sweep(db)
        return post(state._update(db, token, post_id), state.now(), state)


def _parse_window(window: dict | None) -> tuple[int | None, int | None]:
    """DateTimeComparator → (start, end), both inclusive; None where open."""
    window = window or {}
    return tuple(  # type: ignore[return-value]
        parse_timestamp(str(window[k])) if window.get(k) else None for k in ("start", "end")
    )


def _in_window(value: int | None, window: tuple[int | None, int | None]) -> bool:
    start, end = window
    if start is None and end is None:
        return True
    if not value:
        return False  # an unscheduled post has no dueAt to compare
    return (start is None or value >= start) and (end is None or value <= end)


def _sort_key(row: sqlite3.Row, sort: list[dict]) -> list[int]:
    """Keyset for (sort fields…, rowid). Default: dueAt ascending, unscheduled (due_at 0) last, as
    in v1's pending list; a descending field is negated so the cursor comparison stays `>`."""
    key: list[int] = []
    for spec in sort or [{"field": "dueAt", "direction": "asc"}]:
        sign = -1 if spec["direction"] == "desc" else 1
        if spec["field"] == "dueAt":
            key += [int(row["due_at"] == 0), sign * row["due_at"]]
        else:
            key.append(sign * row["created_at"])
    return [*key, row["rowid"]]


def encode_cursor(key: list[int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def decode_cursor(cursor: str, length: int) -> list[int]:
    """Raises ValueError on a cursor we did not issue (or issued for another sort)."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("invalid cursor") from None
    if not (isinstance(key, list) and len(key) == length and all(isinstance(k, int) for k in key)):
        raise ValueError("invalid cursor")
    return key


def list_posts(
    state: SandboxState,
    token: str,
    *,
    organization: int,
    flt: dict,
    sort: list[dict] | None,
    first: int,
    after: str | None,
) -> dict:
    """One page of an organization's posts, filtered server-side (PostsFiltersInput: status,
    channelIds, dueAt, createdAt) and keyset-paginated, so posts added or deleted between pages never
    shift the next page. Raises ApiError 1010 for a channel not in the account."""
    statuses = list(flt.get("status") or [])
    channel_ids = [str(c) for c in flt.get("channelIds") or []]
    due, created = _parse_window(flt.get("dueAt")), _parse_window(flt.get("createdAt"))
    with state.store.transaction() as db:
        state._sweep(db)
        for cid in channel_ids:
            state._profile(db, token, cid)
        sql = UPDATE_SELECT.replace("SELECT u.*", "SELECT u.rowid, u.*") + " WHERE p.token = ? AND p.organization = ?"
        args: list[Any] = [token, organization]
        sql += " AND u.deleted_at IS NULL"
        if statuses:
            sql += f" AND u.status IN ({','.join('?' * len(statuses))})"
            args += [V1_STATUS.get(s, "-") for s in statuses]  # draft, sending...: none in the sandbox
        if channel_ids:
            sql += f" AND u.profile_id IN ({','.join('?' * len(channel_ids))})"
            args += channel_ids
        rows = [
            r
            for r in db.execute(sql, args).fetchall()
            if _in_window(r["due_at"], due) and _in_window(r["created_at"], created)
        ]
        rows.sort(key=lambda r: _sort_key(r, sort or []))
        if after:
            length = 1 + sum(2 if spec["field"] == "dueAt" else 1 for spec in sort or [{"field": "dueAt"}])
            start = decode_cursor(after, length)
            rows = [r for r in rows if _sort_key(r, sort or []) > start]
        page, now = rows[:first], state.now()
        edges = [{"cursor": encode_cursor(_sort_key(r, sort or [])), "node": post(r, now, state)} for r in page]
    return {
        "edges": edges,
        "pageInfo": {
            "hasNextPage": len(rows) > first,
            "hasPreviousPage": False,  # Buffer: forward pagination only
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def _media(assets: list[dict], link: str | None = None) -> dict[str, str]:
    """AssetInput list (+ a linkAttachment URL) → the v1 `media` form (first image, video, link)."""
    media: dict[str, str] = {}
    for asset in assets:
        if asset.get("image") and "photo" not in media:
            media["photo"] = asset["image"]["url"]
            media["thumbnail"] = asset["image"].get("thumbnailUrl") or asset["image"]["url"]
        if asset.get("video") and "video" not in media:
            media["video"] = asset["video"]["url"]
        if asset.get("link") and "link" not in media:
            media["link"] = asset["link"]["url"]
    if link and "link" not in media:
        media["link"] = link
    return media


def _board_ids(service: str, channel_id: str) -> list[str]:
    return [b["serviceId"] for b in pinterest_boards(channel_id)] if service == "pinterest" else []


def _link_attachment(service: str, data: dict[str, Any]) -> str | None:
    attachment = graphql_rules.metadata_of(service, data).get("linkAttachment") or {}
    return attachment.get("url")


def _timing(data: dict[str, Any]) -> dict[str, str]:
    """ShareMode (+ dueAt) → v1's `now` / `top` / `scheduled_at`; no mode means no change (editPost)."""
    mode = data.get("mode")
    if mode == "customScheduled":
        if not data.get("dueAt"):
            raise ApiError(1004, "dueAt is required when mode is customScheduled.")
        return {"scheduled_at": str(parse_timestamp(str(data["dueAt"])))}
    return {"now": "true" if mode == "shareNow" else "", "top": "true" if mode == "shareNext" else ""}


def create_post(state: SandboxState, token: str, data: dict[str, Any], *, daily_limit: int) -> tuple[dict, dict]:
    """createPost through v1's `create` (same rules) after Buffer's per-network ones; returns
    (GraphQL Post, v1 update for the stats)."""
    channel_id = str(data["channelId"])
    profile = state.profile(token, channel_id)  # unknown / foreign channel: ApiError 1010/1011
    service = profile["service"]
    boards = _board_ids(service, channel_id)
    problems = graphql_rules.create_problems(service, profile["service_type"], data, boards=boards)
    if problems:
        raise ApiError(1004, graphql_rules.invalid_post(problems))
    if daily_limit and _created_today(state, channel_id) >= daily_limit:
        raise LimitReached(f"This channel has reached its limit of {daily_limit} posts per day.")
    params: dict[str, Any] = {"profile_ids": [channel_id], "text": data.get("text") or "", **_timing(data)}
    params["media"] = _media(data.get("assets") or [], _link_attachment(service, data))
    _, created = state.create(token, params)
    _store_metadata(state, created[0]["id"], data.get("metadata"))
    return get_post(state, token, created[0]["id"]), created[0]


def _store_metadata(state: SandboxState, post_id: str, metadata: dict | None) -> None:
    """Keeps the input as sent; on edit, fields left out keep their value ("omitted preserves existing
    value", YoutubePostMetadataInput)."""
    if metadata is None:
        return
    with state.store.transaction() as db:
        row = db.execute("SELECT metadata FROM updates WHERE id = ?", (post_id,)).fetchone()
        merged = json.loads(row["metadata"] or "{}")
        for service, block in metadata.items():
            merged[service] = {**(merged.get(service) or {}), **(block or {})}
        db.execute("UPDATE updates SET metadata = ? WHERE id = ?", (json.dumps(merged), post_id))


def edit_post(state: SandboxState, token: str, data: dict[str, Any]) -> dict:
    """editPost through v1's `edit`: omitted fields keep their value, as Buffer documents."""
    post_id = str(data["id"])
    current = get_post(state, token, post_id)
    service = current["channelService"]
    problems = graphql_rules.edit_problems(service, data, boards=_board_ids(service, current["channelId"]))
    if problems:
        raise ApiError(1004, graphql_rules.invalid_post(problems))
    params: dict[str, Any] = {"text": current["text"] if data.get("text") is None else data["text"]}
    if data.get("mode") is not None:
        params.update(_timing(data))
    if data.get("assets") is not None or _link_attachment(service, data):
        params["media"] = _media(data.get("assets") or [], _link_attachment(service, data))
    state.edit(token, post_id, params)
    _store_metadata(state, post_id, data.get("metadata"))
    return get_post(state, token, post_id)


def _created_today(state: SandboxState, channel_id: str) -> int:
    with state.store.transaction() as db:
        row = db.execute(
            "SELECT COUNT(*) FROM updates WHERE profile_id = ? AND created_at > ?", (channel_id, state.now() - DAY)
        ).fetchone()
        return row[0]


def delete_post(state: SandboxState, token: str, post_id: str) -> None:
    state.destroy(token, post_id)


def _sent_rows(state: SandboxState, token: str, organization: int, channel_ids: list[str], start: int, end: int):
    with state.store.transaction() as db:
        state._sweep(db)
        for cid in channel_ids:
            state._profile(db, token, cid)
        sql = UPDATE_SELECT + (
            " WHERE p.token = ? AND p.organization = ? AND u.deleted_at IS NULL AND u.status = 'sent'"
            " AND u.sent_at >= ? AND u.sent_at <= ?"
        )
        args: list[Any] = [token, organization, start, end]
        if channel_ids:
            sql += f" AND u.profile_id IN ({','.join('?' * len(channel_ids))})"
            args += channel_ids
        return db.execute(sql, args).fetchall(), state.now()


def aggregated_metrics(state: SandboxState, token: str, organization: int, data: dict) -> dict:
    """aggregatedPostMetrics: always `postCount`, `reactions` and `comments`; other counts only when
    every post's network reports them (the schema's description of the query)."""
    start, end = parse_timestamp(str(data["startDateTime"])), parse_timestamp(str(data["endDateTime"]))
    rows, now = _sent_rows(state, token, organization, [str(c) for c in data.get("channelIds") or []], start, end)
    per_post = [
        {m["type"]: m for m in metrics(render.update(r, now)["statistics"]) if m["unit"] == "count"} for r in rows
    ]
    extras = set.intersection(*(set(p) for p in per_post)) - {"reactions", "comments"} if per_post else set()
    out = [
        {
            "type": "postCount",
            "name": "Posts",
            "description": "Posts sent in the window",
            "value": float(len(rows)),
            "unit": "count",
        }
    ]
    for kind in ["reactions", "comments", *sorted(extras)]:
        sample = next((p[kind] for p in per_post if kind in p), None)
        name, text = (sample["name"], sample["description"]) if sample else (kind.title(), kind.title())
        total = sum(p[kind]["value"] for p in per_post if kind in p)
        out.append({"type": kind, "name": name, "description": text, "value": float(total), "unit": "count"})
    updated = [_metrics_updated_at(r["sent_at"], now) for r in rows]
    return {"metrics": out, "metricsUpdatedAt": iso(max((u for u in updated if u), default=None))}


def daily_posting_limits(state: SandboxState, token: str, data: dict, *, limit: int) -> list[dict]:
    """dailyPostingLimits: per channel, posts sent and scheduled on the (UTC) day of `date`."""
    when = parse_timestamp(str(data["date"])) if data.get("date") else state.now()
    day_start = when - when % DAY
    out = []
    for cid in [str(c) for c in data["channelIds"]]:
        state.profile(token, cid)  # ApiError 1010/1011 for a channel not in the account
        with state.store.transaction() as db:
            counts = db.execute(
                "SELECT SUM(status = 'sent' AND sent_at >= ? AND sent_at < ?) AS sent,"
                " SUM(status = 'buffer' AND due_at >= ? AND due_at < ?) AS scheduled"
                " FROM updates WHERE profile_id = ? AND deleted_at IS NULL",
                (day_start, day_start + DAY, day_start, day_start + DAY, cid),
            ).fetchone()
        sent, scheduled = counts["sent"] or 0, counts["scheduled"] or 0
        out.append(
            {
                "channelId": cid,
                "sent": sent,
                "scheduled": scheduled,
                "limit": limit or None,
                "isAtLimit": bool(limit) and sent + scheduled >= limit,
            }
        )
    return out
