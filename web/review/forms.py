"""Forms of the review-link pages: the manager's form to make a link, and the reviewer's decision.

The rules (campaign or range, lifetime, name and comment) are `posts.review_links`'; these only parse.
"""

from __future__ import annotations

from typing import cast

from django import forms

from campaigns.models import Campaign
from kernel.api.datetimes import DateTimeInputFormField
from posts.review_links import MAX_COMMENT_LENGTH, MAX_NAME_LENGTH
from web.campaigns.forms import DateInput


class ReviewLinkForm(forms.Form):
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="No campaign: a date range",
        help_text="The campaign's posts, or leave it empty and give the days below.",
    )
    start_date = forms.DateField(required=False, widget=DateInput(), label="First day")
    end_date = forms.DateField(required=False, widget=DateInput(), label="Last day")
    expires_at = DateTimeInputFormField(
        label="Expires",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="At most 90 days ahead; in your timezone.",
    )

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["campaign"])
        field.queryset = campaigns if campaigns is not None else Campaign.objects.none()


class ReviewDecisionForm(forms.Form):
    reviewer_name = forms.CharField(label="Your name", max_length=MAX_NAME_LENGTH, required=False)
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when you request changes.",
    )
    decision = forms.CharField(required=False)  # the button pressed: "approve" or "request_changes"
