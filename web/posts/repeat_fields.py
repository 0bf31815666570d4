"""Recurring posts' parts of the post pages: the composer's "Repeat" fields (a preset or a custom RFC 5545
rule, checked by `posts.recurrence`) and the post page's series box. Apart from web.posts.series (the views)
so the forms and the post page can use them without an import cycle.
"""

from __future__ import annotations

from typing import Any

from django import forms

from posts import recurrence
from posts.models import Post

PRESETS = {
    "": "Does not repeat",
    "FREQ=DAILY": "Daily",
    "FREQ=WEEKLY": "Weekly on this day",
    "FREQ=MONTHLY": "Monthly on this date",
    "custom": "Custom rule (RFC 5545)",
}


def add_repeat_fields(form: forms.Form, *, initial_rule: str = "") -> None:
    """The composer's "Repeat" choice and its custom rule field (checked by the service, not here)."""
    form.fields["repeat"] = forms.ChoiceField(
        choices=list(PRESETS.items()),
        required=False,
        label="Repeat",
        initial="custom" if initial_rule else "",
        help_text="At the same local time of the account's timezone, across daylight saving changes.",
    )
    form.fields["recurrence"] = forms.CharField(
        required=False,
        max_length=500,
        label="Custom rule",
        initial=initial_rule,
        help_text="e.g. FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10 (a rule without COUNT or UNTIL repeats at most hourly).",
    )


def repeat_rule(form: forms.Form) -> str:
    """The rule the form asks for ("" when it does not repeat)."""
    chosen = form.cleaned_data.get("repeat") or ""
    return (form.cleaned_data.get("recurrence") or "").strip() if chosen == "custom" else chosen


PREVIEW_COUNT = 5


def series_context(post: Post) -> dict[str, Any]:
    """The post page's series box: the rule, the next occurrences with DST notes and their posts."""
    series = post.series if post.series_id else None
    if series is None:
        return {"series": None}
    return {"series": series, "series_rows": recurrence.occurrence_rows(series, count=PREVIEW_COUNT)}
