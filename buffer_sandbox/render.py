"""Rows -> Buffer's JSON objects (reference §5): User, Profile, Update, Interaction.

Kept apart from the rules in state.py so the wire shapes can be checked against the reference in one
place. Derived fields (statistics, service links, display strings) are computed here from stable
inputs rather than stored, so they cannot drift from the row they describe.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3

from buffer_sandbox import config, fakes
from buffer_sandbox.schedule import describe_due

_URL = re.compile(r"https?://[^\s<]+", re.IGNORECASE)


def user(token_row: sqlite3.Row, now: int) -> dict:
    referral = token_row["id"][:5]
    return {
        "_id": token_row["id"],
        "id": token_row["id"],
        "activity_at": now,
        "created_at": token_row["created_at"],
        "plan": "free",
        "timezone": "UTC",
        "referral_link": f"http://bufferapp.com/r/{referral}",
        "referral_token": referral,
        "secret_email": f"buffer-{token_row['id']}@to.sandbox.invalid",
    }


def profile(row: sqlite3.Row, counts: dict[str, int]) -> dict:
    service, pid = row["service"], row["id"]
    username = f"sandbox_{service}"
    avatar = f"https://avatars.sandbox.invalid/{username}.png"
    return {
        "_id": pid,
        "id": pid,
        "avatar": avatar.replace("https://", "http://"),
        "avatar_https": avatar,
        "counts": {
            "pending": counts.get("buffer", 0),
            "sent": counts.get("sent", 0),
            "drafts": 0,
            "daily_suggestions": 0,
        },
        "created_at": row["created_at"],
        "default": True,
        "disconnected": None,
        "formatted_service": config.service_name(service, row["service_type"]),
        "formatted_username": "@" + username,
        "schedules": json.loads(row["schedules"]),
        "service": service,
        "service_id": fakes.digits(pid, "service_id", length=12),
        "service_type": row["service_type"],
        "service_username": username,
        "statistics": {"followers": fakes.followers(pid)},
        "team_members": [],
        "timezone": row["timezone"],
        "user_id": row["user_id"],
    }


def text_formatted(text: str) -> str:
    """Buffer returns the text as HTML with links wrapped in `<a class="url" …>` (real responses)."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        url = html.escape(match.group(0))
        out.append(f'<a class="url" href="{url}" rel="external nofollow" target="_blank">{url}</a>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def update_type(text: str, media: dict) -> str:
    if media.get("video"):
        return "video"
    if media.get("picture"):
        return "photo"
    if media.get("link") or _URL.search(text):
        return "link"
    return "text"


def update(row: sqlite3.Row, now: int, *, utc: bool = False) -> dict:
    """`row` is an updates row joined with its profile's service, service_type and timezone."""
    media = json.loads(row["media"] or "{}")
    day, due_time = describe_due(row["due_at"], now, "UTC" if utc else row["timezone"])
    data = {
        "_id": row["id"],
        "id": row["id"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "day": day,
        "due_at": row["due_at"],
        "due_time": due_time,
        "profile_id": row["profile_id"],
        "profile_service": row["service"],
        "shared_now": bool(row["shared_now"]),
        "status": row["status"],
        "text": row["text"],
        "text_formatted": text_formatted(row["text"]),
        "type": update_type(row["text"], media),
        "user_id": row["user_id"],
        "via": "api",
        "service_link": "",
    }
    if media:
        data["media"] = media
    if row["status"] == "sent":
        native = fakes.service_update_id(row["id"])
        seeded = (
            fakes.seeded_comment_count(row["id"])
            if config.supports_event(row["service"], row["service_type"], "comment")
            else 0
        )
        data.update(
            sent_at=row["sent_at"],
            service_update_id=native,
            service_link=fakes.service_link(row["service"], native),
            statistics=fakes.update_statistics(row["id"], row["service"], seeded),
        )
    return data


def comment(row: sqlite3.Row) -> dict:
    return {
        "_id": row["id"],
        "id": row["id"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "event": "comment",
        "interaction_id": row["interaction_id"],
        "parent_id": row["parent_id"],
        "text": row["text"],
        "user": json.loads(row["author"]),
    }


def generated_interaction(update_row: sqlite3.Row, event: str, index: int, now: int) -> dict:
    """Non-comment events (likes, retweets, …) are derived on the fly; they carry no text."""
    iid = fakes.hex_id(update_row["id"], event, index)
    created = min((update_row["sent_at"] or now) + 30 * (index + 1), now)
    return {
        "_id": iid,
        "id": iid,
        "created_at": created,
        "updated_at": created,
        "event": event,
        "interaction_id": fakes.digits(iid, "native"),
        "user": fakes.audience_member(update_row["service"], update_row["id"], event, index),
    }
