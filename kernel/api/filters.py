"""Query-parameter filters every list shares: ids within bigint, date-times read like body input."""

from __future__ import annotations

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from kernel.api.datetimes import DateTimeInputFormField

MAX_ID = 2**63 - 1  # bigint: no larger id exists, and databases fail on larger parameters


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number from 1 to 2^63-1, else 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class DateTimeInputFilter(django_filters.Filter):
    """A date-time read by `kernel.api.datetimes.parse_datetime_input` in the caller's timezone."""

    field_class = DateTimeInputFormField


class StrictFilterBackend(DjangoFilterBackend):
    """The API's query filters say what they mean: an empty value, or a boolean other than
    `true`/`false`, is a 400 rather than silently no filter (the schema documents them as such)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        problems = {}
        for name, declared in filterset.filters.items():
            values = request.query_params.getlist(name)
            if any(value == "" for value in values):
                problems[name] = ["An empty value: give a value or leave the parameter out."]
            elif isinstance(declared, django_filters.BooleanFilter) and set(values) - {"true", "false"}:
                problems[name] = ["Must be true or false."]
        if problems:
            raise serializers.ValidationError(problems)
        return filterset
