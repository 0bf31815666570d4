"""Buffer REST API v1 (`/1/...json`) implementation of `BufferBackend`.

See /work/shared/reference/buffer-api.md for the contract. Transport, retries and logging live in
`http.py`; this module knows the v1 paths, form encoding, JSON shapes and error codes.

Error mapping (final answer after retries):

| Buffer answer                                   | raised                                      |
|-------------------------------------------------|---------------------------------------------|
| connection refused / DNS / connect timeout      | BufferUnavailable (retried, even for writes)|
| read timeout, 500/502/504 on a GET              | BufferUnavailable (retried)                 |
| read timeout, 5xx except 503 on a write         | BufferOutcomeUnknown (never retried)        |
| 503                                             | BufferUnavailable (retried)                 |
| 429                                             | BufferRateLimited(retry_after) (retried)    |
| 401; 403 with code 1001/1002/403 or no code     | BufferAuthError                             |
| 403 with 1011/1021/1051 (not yours)             | BufferNotFound (no existence leak)          |
| 404 (1010/1020/1050/404)                        | BufferNotFound                              |
| other 4xx (incl. 403 limits 1013/1023/1028...)  | BufferRejected(Buffer's message, code=...)  |
| 2xx that is not JSON / not the expected shape   | BufferUnavailable (BufferOutcomeUnknown for writes) |
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import requests

from buffer_integration.backends.base import (
    BufferInteraction,
    BufferProfile,
    BufferUpdate,
    BufferUser,
    UpdateDraft,
)
from buffer_integration.backends.http import (
    DEFAULT_BACKOFF_BASE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_RETRY_AFTER_CAP,
    DEFAULT_TIMEOUTS,
    HttpResult,
    JsonHttpClient,
    code_of,
    make_session,
    message_of,
    to_unix,
)
from buffer_integration.exceptions import (
    BufferAuthError,
    BufferError,
    BufferNotFound,
    BufferOutcomeUnknown,
    BufferRejected,
    BufferUnavailable,
)

_T = TypeVar("_T")

__all__ = ["V1Backend", "make_session", "map_v1_error"]

PAGE_SIZE = 100
MAX_PAGES = 1000  # safety net against a server whose `total` never converges

AUTH_CODES = {1001, 1002, 403}
NOT_YOURS_CODES = {1011, 1021, 1051}


def map_v1_error(result: HttpResult) -> BufferError:
    """Map a final 4xx answer (not 429) of the v1 API to a typed failure."""
    status, payload = result.status, result.payload
    code = code_of(payload)
    if status == 401:
        return BufferAuthError("Buffer rejected the access token", status=401, code=code)
    if status == 403:
        if code in NOT_YOURS_CODES:
            return BufferNotFound(message_of(payload, "Not found at Buffer"), status=403, code=code)
        if code is None or code in AUTH_CODES:
            return BufferAuthError(message_of(payload, "Buffer denied access with this token"), status=403, code=code)
        # 1013/1014/1023/1024/1028 ...: limits reached — Buffer refused this request.
        return BufferRejected(message_of(payload, f"Buffer refused the request (code {code})"), status=403, code=code)
    if status == 404:
        return BufferNotFound(message_of(payload, "Not found at Buffer"), status=404, code=code)
    return BufferRejected(message_of(payload, f"Buffer refused the request (HTTP {status})"), status=status, code=code)


# -- parsing helpers ---------------------------------------------------------------------------


def _dt(value: Any) -> datetime | None:
    """Buffer timestamp (unix seconds; 0/missing → None) → aware UTC datetime."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            seconds = float(text)
        except ValueError:
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return None
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    else:
        return None
    if not math.isfinite(seconds) or seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _s(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def _id(obj: dict[str, Any]) -> str:
    return _s(obj.get("id") or obj.get("_id"))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_user(obj: dict[str, Any]) -> BufferUser:
    return BufferUser(id=_id(obj), timezone=_s(obj.get("timezone")) or "UTC", plan=_s(obj.get("plan")))


def parse_profile(obj: dict[str, Any]) -> BufferProfile:
    stats = _dict(obj.get("statistics"))
    followers = stats.get("followers", stats.get("connections"))
    if isinstance(followers, bool) or not isinstance(followers, (int, float)):
        followers = None
    disconnected = obj.get("disconnected", obj.get("is_disconnected"))
    schedules = [
        {"days": list(s.get("days") or []), "times": list(s.get("times") or [])}
        for s in (obj.get("schedules") or [])
        if isinstance(s, dict)
    ]
    return BufferProfile(
        id=_id(obj),
        service=_s(obj.get("service")),
        service_type=_s(obj.get("service_type")) or "profile",
        service_username=_s(obj.get("service_username")),
        formatted_username=_s(obj.get("formatted_username")),
        avatar_url=_s(obj.get("avatar_https") or obj.get("avatar")),
        timezone=_s(obj.get("timezone")) or "UTC",
        schedules=schedules,
        is_disconnected=bool(disconnected),
        followers=int(followers) if followers is not None else None,
    )


def parse_update(obj: dict[str, Any]) -> BufferUpdate:
    statistics = {
        str(k): int(v)
        for k, v in _dict(obj.get("statistics")).items()
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    }
    media = {str(k): str(v) for k, v in _dict(obj.get("media")).items() if isinstance(v, (str, int, float)) and v != ""}
    return BufferUpdate(
        id=_id(obj),
        profile_id=_s(obj.get("profile_id")),
        status=_s(obj.get("status")),
        text=_s(obj.get("text")),
        created_at=_dt(obj.get("created_at")),
        due_at=_dt(obj.get("due_at")),
        sent_at=_dt(obj.get("sent_at")),
        service_link=_s(obj.get("service_link")),
        service_update_id=_s(obj.get("service_update_id")),
        statistics=statistics,
        media=media,
    )


def parse_interaction(obj: dict[str, Any], *, update_id: str, event: str) -> BufferInteraction:
    user = _dict(obj.get("user"))
    return BufferInteraction(
        id=_id(obj) or _s(obj.get("interaction_id")),
        update_id=_s(obj.get("update_id")) or update_id,
        event=_s(obj.get("event")) or event,
        created_at=_dt(obj.get("created_at")),
        updated_at=_dt(obj.get("updated_at")),
        text=_s(obj.get("text") or obj.get("comment") or obj.get("message")),
        author_name=_s(user.get("name") or user.get("username")),
        author_link=_s(user.get("profile_url")),
        author_avatar=_s(user.get("avatar_https") or user.get("avatar")),
        parent_id=_s(obj.get("parent_id")),
    )


def draft_form(draft: UpdateDraft) -> list[tuple[str, str]]:
    """UpdateDraft → x-www-form-urlencoded fields (PHP bracket arrays), without profile_ids."""
    form: list[tuple[str, str]] = [("text", draft.text)]
    if draft.photo_url:
        form += [("media[photo]", draft.photo_url), ("media[thumbnail]", draft.photo_url)]
    if draft.link_url:
        form.append(("media[link]", draft.link_url))
    if draft.video_url:
        form.append(("media[video]", draft.video_url))
    if draft.scheduled_at is not None:
        form.append(("scheduled_at", str(to_unix(draft.scheduled_at))))
    elif draft.now:
        form.append(("now", "true"))
    return form


def _seg(value: str) -> str:
    """One URL path segment (ids are hex, but never let one alter the path)."""
    return quote(str(value), safe="")


# -- the backend -------------------------------------------------------------------------------


class V1Backend:
    """One access token's view of Buffer through the v1 REST API."""

    def __init__(
        self,
        access_token: str,
        *,
        base_url: str,
        session: requests.Session | None = None,
        timeouts: tuple[float, float] = DEFAULT_TIMEOUTS,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff_base: float = DEFAULT_BACKOFF_BASE,
        sleep: Callable[[float], Any] = time.sleep,
        retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP,
    ):
        root = (base_url or "").strip().rstrip("/")
        if root.endswith("/1"):
            root = root[: -len("/1")]
        self._http = JsonHttpClient(
            access_token,
            base_url=root + "/1",
            session=session,
            timeouts=timeouts,
            max_retries=max_retries,
            backoff_base=backoff_base,
            retry_after_cap=retry_after_cap,
            sleep=sleep,
            error_mapper=map_v1_error,
        )

    def __repr__(self) -> str:
        return f"V1Backend(base_url={self._http.base_url!r})"

    @property
    def base_url(self) -> str:
        return self._http.base_url

    # -- plumbing ------------------------------------------------------------------------------

    def _get(self, path: str, params: Any = None) -> Any:
        return self._http.request("GET", path, params=params)

    def _post(self, path: str, data: Any = None) -> Any:
        return self._http.request("POST", path, data=data or [], idempotent=False)

    @staticmethod
    def _shape_error(write: bool, what: str) -> BufferError:
        if write:
            return BufferOutcomeUnknown(
                f"Buffer answered a write with an unexpected {what}; it may or may not have been applied"
            )
        return BufferUnavailable(f"Buffer answered with an unexpected {what}")

    def _parse(self, payload: Any, fn: Callable[[Any], _T], *, write: bool = False, what: str = "response") -> _T:
        try:
            return fn(payload)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise self._shape_error(write, what) from None

    @staticmethod
    def _check_success(payload: Any) -> None:
        """Some v1 writes may answer 200 with `success: false` (undocumented): treat as refused."""
        if isinstance(payload, dict) and payload.get("success") is False:
            raise BufferRejected(message_of(payload, "Buffer refused the request"), code=code_of(payload))

    def _walk(self, path: str, key: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        page = 1
        fetched = 0
        while page <= MAX_PAGES:
            payload = self._get(path, {**params, "page": page, "count": PAGE_SIZE})
            if not isinstance(payload, dict) or not isinstance(payload.get(key), list):
                raise self._shape_error(False, f"{key} page")
            batch = [i for i in payload[key] if isinstance(i, dict)]
            total = payload.get("total")
            fetched += len(payload[key])
            for item in batch:
                ident = _id(item)
                if ident and ident in seen:  # the list shifted between pages
                    continue
                if ident:
                    seen.add(ident)
                items.append(item)
            if not batch:
                break
            if isinstance(total, int) and not isinstance(total, bool):
                if fetched >= total:
                    break
            elif len(batch) < PAGE_SIZE:
                break
            page += 1
        return items

    # -- BufferBackend -------------------------------------------------------------------------

    def get_user(self) -> BufferUser:
        return self._parse(self._get("/user.json"), parse_user, what="user")

    def list_profiles(self) -> list[BufferProfile]:
        payload = self._get("/profiles.json")
        return self._parse(payload, lambda p: [parse_profile(o) for o in p], what="profile list")

    def get_profile(self, profile_id: str) -> BufferProfile:
        return self._parse(self._get(f"/profiles/{_seg(profile_id)}.json"), parse_profile, what="profile")

    def create_update(self, draft: UpdateDraft) -> BufferUpdate:
        try:
            payload = self._post("/updates/create.json", [("profile_ids[]", draft.profile_id), *draft_form(draft)])
        except BufferRejected as exc:
            # Buffer ignores unknown / foreign profile ids; with all of them (our one) ignored it
            # answers 1004 "Required parameter missing". We always send content, so for us that
            # means the profile is not found (for this token).
            if exc.code == 1004 and (draft.text or draft.photo_url or draft.link_url or draft.video_url):
                raise BufferNotFound(exc.message, code=exc.code, status=exc.status) from None
            raise
        self._check_success(payload)

        def pick(p: Any) -> BufferUpdate | None:
            updates = [parse_update(o) for o in p["updates"]]
            for u in updates:
                if u.profile_id == draft.profile_id:
                    return u
            return updates[0] if len(updates) == 1 and not updates[0].profile_id else None

        update = self._parse(payload, pick, write=True, what="create response")
        if update is None:
            # Buffer silently ignores profile ids it does not know (or that are not this token's).
            raise BufferNotFound("Buffer did not create the update: profile not found", code=1010)
        return update

    def edit_update(self, update_id: str, draft: UpdateDraft) -> BufferUpdate:
        payload = self._post(f"/updates/{_seg(update_id)}/update.json", draft_form(draft))
        self._check_success(payload)
        return self._parse(payload, lambda p: parse_update(p["update"]), write=True, what="edit response")

    def destroy_update(self, update_id: str) -> None:
        self._check_success(self._post(f"/updates/{_seg(update_id)}/destroy.json"))

    def get_update(self, update_id: str) -> BufferUpdate:
        return self._parse(self._get(f"/updates/{_seg(update_id)}.json"), parse_update, what="update")

    def _list_updates(self, profile_id: str, kind: str, since: datetime | None) -> list[BufferUpdate]:
        params: dict[str, Any] = {}
        if since is not None:
            params["since"] = to_unix(since)
        items = self._walk(f"/profiles/{_seg(profile_id)}/updates/{kind}.json", "updates", params)
        return self._parse(items, lambda xs: [parse_update(o) for o in xs], what="update list")

    def list_pending(self, profile_id: str, *, since: datetime | None = None) -> list[BufferUpdate]:
        return self._list_updates(profile_id, "pending", since)

    def list_sent(self, profile_id: str, *, since: datetime | None = None) -> list[BufferUpdate]:
        return self._list_updates(profile_id, "sent", since)

    def find_updates(
        self,
        profile_ids: list[str],
        *,
        organization_id: str = "",
        status: str = "",
        due_after: datetime | None = None,
        due_before: datetime | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> list[BufferUpdate]:
        """v1 has no server-side filters beyond `since`: per profile and kind, then filtered here.
        v1 has no organizations (`organization_id` is ignored) and lists only pending and sent updates."""
        kinds = {"buffer": ["pending"], "sent": ["sent"]}.get(status, ["pending", "sent"])
        updates = [
            u for pid in dict.fromkeys(profile_ids) for kind in kinds for u in self._list_updates(pid, kind, None)
        ]

        def inside(dt: datetime | None, start: datetime | None, end: datetime | None) -> bool:
            if start is None and end is None:
                return True
            return dt is not None and (start is None or dt >= start) and (end is None or dt <= end)

        return [
            u
            for u in updates
            if inside(u.due_at, due_after, due_before) and inside(u.created_at, created_after, created_before)
        ]

    def list_interactions(self, update_id: str, *, event: str = "comment") -> list[BufferInteraction]:
        items = self._walk(f"/updates/{_seg(update_id)}/interactions.json", "interactions", {"event": event})
        return self._parse(
            items,
            lambda xs: [parse_interaction(o, update_id=update_id, event=event) for o in xs],
            what="interaction list",
        )

    def get_configuration(self) -> dict[str, Any]:
        payload = self._get("/info/configuration.json")
        if not isinstance(payload, dict):
            raise self._shape_error(False, "configuration")
        return payload
