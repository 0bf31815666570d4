"""The seed's request schema for `POST /posts`, checked exactly and by hand.

A DRF serializer would silently drop unknown properties and coerce "true" to True; the seed says
`additionalProperties: false`, a boolean `strict` and an enum `failOn`, so each rule is explicit here
and every message names the property (and id) at fault.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from buffer_integration.platforms import network_configuration
from publisher.models import FailOn
from publisher.rendering import IMAGE_KEYS, MESSAGE_KEYS, VIDEO_KEYS, text_of
from socialhub.errors import InvalidInput

FILTERS = ("channels", "posttypes", "networktargets")
URLS = ("contentSourceLink", "postStatusCallback", "postCommentCallback")
PROPERTIES = (*FILTERS, *URLS, "scheduled", "strict", "failOn", "payload")
MAX_URL_LENGTH = 2000
MAX_FILTER_ITEMS = 500
MAX_ID_LENGTH = 64
_url_validator = URLValidator(schemes=["http", "https"])


def _largest(limit: str) -> int:
    services = network_configuration()["services"].values()
    return max(kind.get(limit, 0) for service in services for kind in service["types"].values())


# What any network accepts bounds what we store and render (buffer_integration/data/configuration.json):
# a message longer than the largest character_limit (5,000: Facebook, YouTube) would be shortened
# everywhere, and no network takes more than 35 images (TikTok) or one video.
MAX_TEXT_CHARS = _largest("character_limit")
MAX_IMAGES = _largest("x_max_images")
MAX_VIDEOS = _largest("x_max_videos")
# The whole payload as compact UTF-8 JSON: room for every text key at its limit in any script, plus
# media URLs, plus the CMS's own fields; small enough that rendering it costs milliseconds.
MAX_PAYLOAD_BYTES = 256 * 1024
# PostgreSQL cannot store NUL in text or JSON, and a lone surrogate is not a character at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class PostRequest:
    payload: Any
    # None when the filter was left out (or empty): "no filter", not "select nothing".
    channels: list[str] | None = None
    posttypes: list[str] | None = None
    networktargets: list[str] | None = None
    content_source_link: str = ""
    status_callback: str = ""
    comment_callback: str = ""
    scheduled: datetime | None = None
    strict: bool = False
    fail_on: str = FailOn.ERROR

    @property
    def filters(self) -> dict[str, list[str]]:
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name) is not None}


def _id_list(value: Any) -> tuple[list[str] | None, str | None]:
    if not isinstance(value, list):
        return None, "Must be an array of id strings."
    if len(value) > MAX_FILTER_ITEMS:
        return None, f"At most {MAX_FILTER_ITEMS} ids."
    if not all(isinstance(item, str) for item in value):
        return None, "Every item must be an id string (see GET /configs)."
    if any(len(item) > MAX_ID_LENGTH for item in value):
        return None, f"Ids are at most {MAX_ID_LENGTH} characters (see GET /configs)."
    return (list(dict.fromkeys(value)) or None), None


def _url(value: Any) -> tuple[str, str | None]:
    if not isinstance(value, str):
        return "", "Must be a URL string."
    if len(value) > MAX_URL_LENGTH:
        return "", f"Must be at most {MAX_URL_LENGTH} characters."
    try:
        _url_validator(value)
    except ValidationError:
        return "", f"{value!r} is not a valid http(s) URL."
    return value, None


def _datetime(value: Any, *, tz: tzinfo, now: datetime) -> tuple[datetime | None, str | None]:
    example = "Must be an ISO 8601 date-time, e.g. 2030-12-25T10:00:00+01:00."
    # A bare date is ISO 8601 too, but the schema asks for a date-time: a post needs a time.
    try:
        parsed = parse_datetime(value) if isinstance(value, str) and 10 < len(value) <= 40 else None
    except ValueError:  # well-formed but not a real date or time: 2027-02-30, 25:00
        return None, f"{value!r} is not a real date and time. {example}"
    if parsed is None:
        return None, example
    try:
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, tz)
        # In UTC, as it is stored: 9999-12-31T23:59:59-12:00 is year 10000 there.
        parsed = parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None, f"{value!r} is outside the supported range of dates."
    if parsed <= now:
        return None, "Must be in the future (leave it out to publish now)."
    horizon = settings.SCHEDULE_HORIZON_DAYS
    if parsed > now + timedelta(days=horizon):
        return None, f"Must be at most {horizon} days ahead."
    return parsed, None


def _unstorable(data: Any) -> tuple[str, str] | None:
    """(top-level property, message) where NUL or a lone surrogate hides (keys too), or the value nests too deep.

    Iterative, so a deeply nested value cannot exhaust the stack.
    """
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        field = re.split(r"[.\[]", where, maxsplit=1)[0] or "non_field_errors"
        if depth > settings.API_MAX_JSON_DEPTH:  # the API's one nesting limit (socialhub.api.parsers)
            return field, f"{where} nests deeper than {settings.API_MAX_JSON_DEPTH} levels."
        if isinstance(value, dict):
            for key, item in value.items():
                if _UNSTORABLE.search(key):
                    return field, f"A property name in {where or 'the body'} contains NUL or a lone surrogate."
                stack.append((item, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{index}]", depth + 1) for index, item in enumerate(value))
        elif isinstance(value, str) and _UNSTORABLE.search(value):
            return field, f"{where} contains NUL or a lone surrogate, which is not text."
    return None


def _payload_problem(payload: Any) -> str | None:
    size = len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    if size > MAX_PAYLOAD_BYTES:
        return f"Must be at most {MAX_PAYLOAD_BYTES} bytes as JSON (this one has {size})."
    texts = {"payload": payload} if isinstance(payload, str) else {}
    if isinstance(payload, dict):
        texts = {key: payload[key] for key in MESSAGE_KEYS if isinstance(payload.get(key), str)}
        for keys, maximum, what in ((IMAGE_KEYS, MAX_IMAGES, "images"), (VIDEO_KEYS, MAX_VIDEOS, "videos")):
            count = sum(len(payload[k]) if isinstance(payload[k], list) else 1 for k in keys if k in payload)
            if count > maximum:
                return f"At most {maximum} {what}: no network takes more (this one has {count})."
    for key, text in texts.items():
        if len(text_of(text)) > MAX_TEXT_CHARS:
            return f"{key} must be at most {MAX_TEXT_CHARS} characters, the most any network accepts."
    return None


def parse_post_request(data: Any, *, tz: tzinfo, now: datetime | None = None) -> PostRequest:
    """The validated request, or InvalidInput naming every broken rule by property.

    Naive `scheduled` values are read in `tz` (the caller's timezone, like the rest of the API).
    """
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.", errors={"non_field_errors": ["Not an object."]})
    if found := _unstorable(data):
        field, unstorable = found
        raise InvalidInput(unstorable, errors={field: [unstorable]})
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    allowed = ", ".join(PROPERTIES)
    for name in data:
        if name not in PROPERTIES:
            errors[name] = [f"Unknown property {name!r}: the schema allows only {allowed}."]
    if "payload" not in data:
        errors["payload"] = ["This property is required (any JSON value: the content to publish)."]
    elif payload_problem := _payload_problem(data["payload"]):
        errors["payload"] = [payload_problem]
    values: dict[str, Any] = {}
    for name in FILTERS:
        if name in data:
            values[name], problem = _id_list(data[name])
            if problem:
                errors[name] = [problem]
    for name in URLS:
        if name in data:
            values[name], problem = _url(data[name])
            if problem:
                errors[name] = [problem]
    if "scheduled" in data:
        values["scheduled"], problem = _datetime(data["scheduled"], tz=tz, now=now)
        if problem:
            errors["scheduled"] = [problem]
    strict = data.get("strict", False)
    if not isinstance(strict, bool):
        errors["strict"] = ["Must be a boolean (true or false)."]
    fail_on = data.get("failOn", FailOn.ERROR)
    if fail_on not in FailOn.values:
        errors["failOn"] = [f"Must be one of {', '.join(repr(v) for v in FailOn.values)}."]
    if errors:
        field, messages = next(iter(errors.items()))
        raise InvalidInput(f"{field}: {messages[0]}", errors=errors)
    return PostRequest(
        payload=data["payload"],
        channels=values.get("channels"),
        posttypes=values.get("posttypes"),
        networktargets=values.get("networktargets"),
        content_source_link=values.get("contentSourceLink", ""),
        status_callback=values.get("postStatusCallback", ""),
        comment_callback=values.get("postCommentCallback", ""),
        scheduled=values.get("scheduled"),
        strict=strict,
        fail_on=fail_on,
    )
