"""Query-parameter filters every list shares: ids within bigint, date-times read like body input."""

from __future__ import annotations

import django_filters
from django import forms

from socialhub.api.datetimes import DateTimeInputFormField

MAX_ID = 2**63 - 1  # bigint: no larger id exists, and databases fail on larger parameters


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number from 1 to 2^63-1, else 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class DateTimeInputFilter(django_filters.Filter):
    """A date-time read by `socialhub.api.datetimes.parse_datetime_input` in the caller's timezone."""

    field_class = DateTimeInputFormField
