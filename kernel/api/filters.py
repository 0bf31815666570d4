"""Query-parameter filters every list shares: ids within bigint, date-times read like body input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
import django_filters.rest_framework
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from kernel.api.datetimes import DateTimeInputFormField

if TYPE_CHECKING:  # rest_framework.views loads this module (DEFAULT_FILTER_BACKENDS): types only
    from rest_framework.views import APIView

MAX_ID = 2**63 - 1  # bigint: no larger id exists, and databases fail on larger parameters


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number from 1 to 2^63-1, else 400."""

    # An IntegerField where NumberFilter has a DecimalField: the stubs type the attribute as that class.
    field_class = forms.IntegerField  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class DateTimeInputFilter(django_filters.Filter):
    """A date-time read by `kernel.api.datetimes.parse_datetime_input` in the caller's timezone."""

    field_class = DateTimeInputFormField


class StrictFilterBackend(DjangoFilterBackend):
    """The API's query filters say what they mean: an empty value, or a boolean other than
    `true`/`false`, is a 400 rather than silently no filter (the schema documents them as such)."""

    def get_filterset(
        self, request: HttpRequest, queryset: QuerySet[Any], view: APIView
    ) -> django_filters.rest_framework.FilterSet | None:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        problems: dict[str, list[str]] = {}
        for name, declared in filterset.filters.items():
            values = request.GET.getlist(name)
            if any(value == "" for value in values):
                problems[name] = ["An empty value: give a value or leave the parameter out."]
            elif isinstance(declared, django_filters.BooleanFilter) and set(values) - {"true", "false"}:
                problems[name] = ["Must be true or false."]
        if problems:
            raise serializers.ValidationError(problems)
        return filterset
