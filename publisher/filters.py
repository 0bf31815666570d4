"""List filters of the management endpoints.

`network_target` filters within the caller's own post types: an unknown id, another user's id and
a malformed one all answer an empty list, so the filter cannot tell whether an account exists.
"""

from __future__ import annotations

import django_filters

from publisher.models import NETWORKTARGET_PREFIX, PostKind, PostType, parse_config_id


def _target_pk(value: str) -> int | None:
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return parse_config_id(value, NETWORKTARGET_PREFIX)


class PostTypeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PostKind.choices)
    is_default = django_filters.BooleanFilter()
    network_target = django_filters.CharFilter(
        method="filter_network_target", help_text="A social account id (`3`) or network target id (`nt_3`)."
    )

    class Meta:
        model = PostType
        fields = ["kind", "is_default", "network_target"]

    def filter_network_target(self, queryset, name, value):
        pk = _target_pk(value)
        return queryset.none() if pk is None else queryset.filter(network_target_id=pk)
