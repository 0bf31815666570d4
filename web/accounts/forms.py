"""Forms of the accounts and settings pages. Validation rules stay on the model and in the services."""

from __future__ import annotations

import zoneinfo

from django import forms

from accounts.models import User


class TimezoneForm(forms.ModelForm):
    """The model's validator decides what a timezone is, exactly as for `PATCH /api/v1/me`."""

    class Meta:
        model = User
        fields = ["timezone"]
        help_texts = {"timezone": "The calendar, the composer and every time on these pages use it."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = sorted(zoneinfo.available_timezones())
        self.fields["timezone"].widget = forms.Select(choices=[(zone, zone.replace("_", " ")) for zone in zones])


class BufferConfigForm(forms.Form):
    access_token = forms.CharField(
        label="Buffer API key",
        max_length=2000,
        # Write-only: the stored token is never sent back to the browser, not even masked.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Write-only: it is checked with Buffer, stored encrypted and never shown again.",
    )


class ConnectProfileForm(forms.Form):
    buffer_profile_id = forms.CharField(max_length=64)


class IntegratorAppForm(forms.Form):
    name = forms.CharField(label="App name", max_length=120, help_text="For you: which integration uses it.")
