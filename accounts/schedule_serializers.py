"""The JSON shapes of an account's posting schedule (`accounts.posting_schedule`): types here, rules there."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.posting_schedule import DAYS, MAX_TIMES_PER_DAY, TIME_FORMAT
from kernel.api.strict import StrictSerializer


def _times(required: bool) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=5),
        max_length=MAX_TIMES_PER_DAY,
        required=required,
        help_text=f"Local times of the account's timezone; {TIME_FORMAT}.",
    )


class WeekSerializer(StrictSerializer):
    """Times per weekday; a day left out has none."""

    mon = _times(False)
    tue = _times(False)
    wed = _times(False)
    thu = _times(False)
    fri = _times(False)
    sat = _times(False)
    sun = _times(False)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in DAYS)
            if unknown:
                raise serializers.ValidationError(
                    {key: [f"Unknown day: the days are {', '.join(DAYS)}."] for key in unknown}
                )
        return super().to_internal_value(data)


class ScheduleInputSerializer(StrictSerializer):
    days = WeekSerializer(required=False, help_text='Times per weekday, e.g. {"mon": ["09:00", "17:30"]}.')
    paused_days = serializers.ListField(
        child=serializers.ChoiceField(choices=DAYS),
        required=False,
        max_length=len(DAYS),
        help_text="Days that keep their times but get no posts.",
    )
    follow_buffer = serializers.BooleanField(
        required=False,
        help_text="true: drop SocialHub's edit and use Buffer's schedule (as last synced, and every sync's). "
        "Not with days or paused_days.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("follow_buffer"):
            if "days" in attrs or "paused_days" in attrs:
                raise serializers.ValidationError({"follow_buffer": ["Send either follow_buffer or a schedule."]})
        elif "days" not in attrs:
            raise serializers.ValidationError({"days": ["This field is required (or send follow_buffer: true)."]})
        return attrs


class WeekOutputSerializer(serializers.Serializer):
    days = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    paused_days = serializers.ListField(child=serializers.CharField())


class ScheduleSerializer(serializers.Serializer):
    days = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Every weekday (mon..sun) with its local times, sorted.",
    )
    paused_days = serializers.ListField(child=serializers.CharField())
    timezone = serializers.CharField(
        help_text="The slots' timezone: the account's profile timezone, else the workspace's."
    )
    edited_in_socialhub = serializers.BooleanField(
        help_text="Edited here: syncs from Buffer keep it. false: it follows Buffer's on every sync."
    )
    edited_at = serializers.DateTimeField(allow_null=True)
    buffer_schedule = WeekOutputSerializer(help_text="Buffer's schedule as the last sync brought it.")
