"""Query parameters of `GET /media`."""

from __future__ import annotations

import django_filters

from media_library.models import MediaKind


class MediaFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Text the name contains (case-insensitive)."
    )
    kind = django_filters.ChoiceFilter(choices=MediaKind.choices)
