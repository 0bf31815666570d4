"""`{{ moment|when }}`, `{{ day|day }}`, `{{ moment|clock }}`: the UI's one date format, in the user's timezone.

`{{ moment|wall_clock }}`: in the moment's own timezone, named (an account's local time).
`{{ moment|when_tag }}` also wraps it in `<time datetime="…">` for machines and screen readers.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html

from web.common import format_date, format_datetime, format_time, format_wall_clock

register = template.Library()


@register.filter
def when(value: dt.datetime | None, precision: str = "") -> str:
    return format_datetime(value, seconds=precision == "seconds")


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    return format_date(value)


@register.filter
def wall_clock(value: dt.datetime | None) -> str:
    return format_wall_clock(value)


@register.filter
def clock(value: dt.datetime | None) -> str:
    return format_time(value)


@register.filter
def when_tag(value: dt.datetime | None, precision: str = "") -> str:
    if value is None:
        return ""
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), when(value, precision))
