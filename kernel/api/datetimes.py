"""One reading of date-time input for API bodies and query filters.

- A date and a time are required: a date alone (`2027-03-01`) is refused, never read as midnight.
- An offset (`+02:00`, `Z`) is respected; it must be within ±15:59 (PostgreSQL's range, and more than
  any real zone uses). Without one the time is local to the caller's timezone, and then:
  - a local time that does not exist (skipped when clocks go forward, e.g. 02:30 on 2027-03-28 in
    Europe/Berlin) is refused — shifting it silently would publish an hour off;
  - an ambiguous one (repeated when clocks go back) is the first of the two, still on summer time
    (`fold=0`); send an offset to mean the second.
- Years are bounded to EARLIEST..LATEST, so date arithmetic can never overflow.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from django import forms
from django.utils import timezone
from rest_framework import serializers

MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
FORMAT_HINT = "YYYY-MM-DDThh:mm[:ss][+hh:mm|Z]"
INPUT_HELP = (
    "ISO 8601 date and time (a date alone is refused); without offset: your timezone "
    "(a time skipped by a DST change is refused, a repeated one is its first occurrence)."
)

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ]")


def date_range_error(day: date) -> str | None:
    if EARLIEST <= day <= LATEST:
        return None
    return f"Must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}."


def _calendar_error(text: str) -> str | None:
    """`2027-02-30T10:00` is well formed but no day: say that rather than "wrong format"."""
    match = _DATE_PREFIX.match(text)
    if match is None:
        return None
    try:
        date(*(int(part) for part in match.groups()))
    except ValueError:
        return f"{match.group(0)[:10]} is not a day of the calendar."
    return None


def parse_datetime_input(value: str, *, tz: tzinfo) -> datetime:
    """An aware datetime from API input, or ValueError with a sentence for the caller."""
    text = value.strip()
    if _DATE_ONLY.fullmatch(text):
        raise ValueError(f"A date alone is not a point in time: add the time, e.g. {text}T09:00.")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_calendar_error(text) or f"Not a date and time: use ISO 8601, {FORMAT_HINT}.") from None
    error = date_range_error(parsed.date())  # first: the conversions below cannot overflow then
    if error:
        raise ValueError(error)
    if parsed.tzinfo is None:
        return _local(parsed, tz)
    offset = parsed.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValueError("The UTC offset must be between -15:59 and +15:59.")
    return parsed


def _local(naive: datetime, tz: tzinfo) -> datetime:
    aware = naive.replace(tzinfo=tz, fold=0)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValueError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {tz}: the clocks skip it for daylight saving time. "
            "Choose another time or give a UTC offset."
        )
    return aware


class DateTimeInputField(serializers.DateTimeField):
    """DRF's DateTimeField for output; input through `parse_datetime_input` in the current timezone."""

    def to_internal_value(self, value: object) -> datetime:
        if isinstance(value, datetime):
            return super().to_internal_value(value)
        if not isinstance(value, str):
            self.fail("invalid", format=FORMAT_HINT)
        try:
            return parse_datetime_input(value, tz=timezone.get_current_timezone())
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class DateTimeInputFormField(forms.Field):
    def to_python(self, value: Any | None) -> datetime | None:
        if value in self.empty_values:
            return None
        try:
            return parse_datetime_input(str(value), tz=timezone.get_current_timezone())
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
