"""Forms of the workspace pages. What is allowed (roles, owners, timezones) is decided by `accounts.workspaces`."""

from __future__ import annotations

import zoneinfo

from django import forms

from accounts.models import Role

_ROLE_HELP = (
    "Owner: everything, members and deleting the workspace. Manager: everything else, and approves. "
    "Editor: posts and campaigns. Contributor: posts, always approved first. Viewer: reads only."
)


def _timezone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(zoneinfo.available_timezones())]


class WorkspaceForm(forms.Form):
    name = forms.CharField(max_length=100)
    timezone = forms.ChoiceField(help_text="The default for the members' calendars.")
    approval_required = forms.BooleanField(
        required=False, label="Approval required", help_text="Every post needs a manager's approval before it goes out."
    )

    def __init__(self, *args, read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        timezone_field = self.fields["timezone"]
        assert isinstance(timezone_field, forms.ChoiceField)
        timezone_field.choices = _timezone_choices()
        if read_only:
            for field in self.fields.values():
                field.disabled = True


class InviteForm(forms.Form):
    user = forms.CharField(
        label="Username or email",
        max_length=254,
        help_text="Someone with an account joins at once; an email without one gets an invitation link.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR, help_text=_ROLE_HELP)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class InvitationSignupForm(forms.Form):
    """The account of someone invited by email: the address is the invitation's, the password checked by the service."""

    username = forms.CharField(max_length=150)
    password1 = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "The two passwords differ.")
        return cleaned
