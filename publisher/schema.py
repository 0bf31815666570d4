"""The seed's request schema for `POST /posts`, checked exactly and by hand.

A DRF serializer would silently drop unknown properties and coerce "true" to True; the seed says
`additionalProperties: false`, a boolean `strict` and an enum `failOn`, so each rule is explicit here
and every message names the property (and id) at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from publisher.models import FailOn
from socialhub.errors import InvalidInput

FILTERS = ("channels", "posttypes", "networktargets")
URLS = ("contentSourceLink", "postStatusCallback", "postCommentCallback")
PROPERTIES = (*FILTERS, *URLS, "scheduled", "strict", "failOn", "payload")
MAX_URL_LENGTH = 2000
MAX_FILTER_ITEMS = 500
_url_validator = URLValidator(schemes=["http", "https"])


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
    # A bare date is ISO 8601 too, but the schema asks for a date-time: a post needs a time.
    parsed = parse_datetime(value) if isinstance(value, str) and len(value) > 10 else None
    if parsed is None:
        return None, "Must be an ISO 8601 date-time, e.g. 2030-12-25T10:00:00+01:00."
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, tz)
    if parsed <= now:
        return None, "Must be in the future (leave it out to publish now)."
    return parsed, None


def parse_post_request(data: Any, *, tz: tzinfo, now: datetime | None = None) -> PostRequest:
    """The validated request, or InvalidInput naming every broken rule by property.

    Naive `scheduled` values are read in `tz` (the caller's timezone, like the rest of the API).
    """
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.", errors={"non_field_errors": ["Not an object."]})
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    allowed = ", ".join(PROPERTIES)
    for name in data:
        if name not in PROPERTIES:
            errors[name] = [f"Unknown property {name!r}: the schema allows only {allowed}."]
    if "payload" not in data:
        errors["payload"] = ["This property is required (any JSON value: the content to publish)."]
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
