"""The JSON shapes of recurring posts (`posts.recurrence`): the post's `recurrence`, its occurrences, ending."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers

from posts.recurrence import MAX_PREVIEW
from posts.rrules import MAX_OCCURRENCES, MAX_RULE_LENGTH

SCOPES = ("this", "following")
RECURRENCE_HELP = (
    "An RFC 5545 RRULE (e.g. `FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;COUNT=10`) read in the account's timezone "
    "(its Buffer profile's, else the workspace's), from `scheduled_time` on as a local wall-clock time: "
    "every occurrence keeps that local time across DST (a time a DST day skips moves to the next valid "
    "minute, a repeated one is taken once). On create, the series' first post is returned and the next "
    "RECURRENCE_WINDOW_DAYS (default 30) of occurrences are made as ordinary posts; on edit, only with "
    f"`scope=following`. Refused: unreadable rules, more than {MAX_OCCURRENCES} occurrences, and rules "
    "without COUNT or UNTIL that repeat more often than hourly. Output: the post's series' rule, or null."
)
SCOPE_HELP = (
    "Edits of an occurrence of a recurring post: `this` (default) edits this post alone, which then no "
    "longer follows the series; `following` ends the series before this occurrence and starts a new one "
    "from it with the edited values (and `recurrence`), replacing its unpublished posts from here on: "
    "the response is the new series' first post."
)


class RecurrenceField(serializers.CharField):
    """Input: the rule text; output: the rule of the post's series (None for a one-off post)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            required=False, allow_null=True, max_length=MAX_RULE_LENGTH, help_text=RECURRENCE_HELP, **kwargs
        )

    def get_attribute(self, instance: Any) -> str | None:
        return instance.series.rule if instance.series_id else None


class OccurrencesQuerySerializer(serializers.Serializer):
    count = serializers.IntegerField(
        min_value=1, max_value=MAX_PREVIEW, default=10, help_text=f"How many (1 to {MAX_PREVIEW}, default 10)."
    )


class OccurrenceSerializer(serializers.Serializer):
    scheduled_time = serializers.DateTimeField(default_timezone=dt.UTC, help_text="The occurrence in UTC.")
    local_time = serializers.CharField(help_text="The same instant in the series' timezone (ISO 8601 with offset).")
    note = serializers.CharField(help_text='What a DST change did to it ("" when nothing).')
    state = serializers.ChoiceField(
        choices=["materialised", "removed", "planned"],
        help_text="materialised: a post exists (post_id); removed: its post was deleted; planned: made later.",
    )
    post_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(allow_null=True, help_text="The post's status, where materialised.")


class OccurrencesSerializer(serializers.Serializer):
    series_id = serializers.IntegerField(allow_null=True, help_text="Null: the post does not recur.")
    recurrence = serializers.CharField(allow_null=True)
    timezone = serializers.CharField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    occurrences = OccurrenceSerializer(many=True, help_text="The next occurrences after now, materialised or not.")


class SeriesEndedSerializer(serializers.Serializer):
    series_id = serializers.IntegerField()
    ended_at = serializers.DateTimeField()
    deleted = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the future, unpublished posts deleted."
    )
