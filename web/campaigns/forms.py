"""Forms of the campaign pages. The date rule (end not before start) is the service's, not repeated here."""

from __future__ import annotations

from django import forms

from campaigns.models import Campaign, CampaignStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "description", "start_date", "end_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {"start_date": "Optional.", "end_date": "Optional; posts must fall between the dates."}

    def _post_clean(self):
        # The services validate and save; skip ModelForm's instance validation (a second copy of the rules).
        pass


class CampaignStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CampaignStatus.choices)
