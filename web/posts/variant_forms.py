"""The composer's tabs: one small form per account, to customise its delivery of a post group.

Every field is optional and empty means "as the shared fields above" (`posts.groups.delivery_fields`
merges them): a text written here replaces the shared text for that account only, an option set here
replaces that one option of its network.
"""

from __future__ import annotations

import copy
from typing import Any, cast

from django import forms

from accounts.models import SocialAccount
from posts.groups import Variant
from web.posts.forms import OPTION_FIELDS, ComposerForm, split_thread

SAME = ("", "Same as above")


def _option_field(name: str, account: SocialAccount) -> forms.Field:
    """The composer's field for one option, copied as optional with "same as above" as its empty value."""
    if name == "instagram_share_to_feed":
        return forms.ChoiceField(
            label="Instagram: also share a reel to the feed",
            choices=[SAME, ("yes", "Yes"), ("no", "No")],
            required=False,
        )
    field = copy.deepcopy(ComposerForm.base_fields[name])
    field.required = False
    if name == "pinterest_board":
        boards = [b for b in account.pinterest_boards or [] if isinstance(b, dict)]
        field.choices = [SAME, *((str(b.get("id")), str(b.get("name") or b.get("id"))) for b in boards)]  # type: ignore[attr-defined]
    elif isinstance(field, forms.ChoiceField):
        field.choices = [SAME, *cast(list, field.choices)]
    field.help_text = ""
    return field


class VariantForm(forms.Form):
    content = forms.CharField(
        label="Text for this account",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "Empty: the shared text above"}),
    )

    def __init__(self, data: Any = None, *, account: SocialAccount) -> None:
        super().__init__(data, prefix=f"variant-{account.pk}")
        self.account = account
        self.options = {key: name for (network, key), name in OPTION_FIELDS.items() if network == account.platform}
        for name in self.options.values():
            self.fields[name] = _option_field(name, account)

    def option_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.options.values()]

    def variant(self, shared_options: dict[str, Any]) -> Variant:
        """What this tab overrides, in `posts.groups.create_post_group`'s shape ({} when nothing)."""
        data = self.cleaned_data
        variant = Variant()
        if data["content"].strip():
            variant["content"] = data["content"]
        chosen: dict[str, Any] = {}
        for key, name in self.options.items():
            value = data.get(name)
            if name == "instagram_share_to_feed" and value:
                chosen[key] = value == "yes"
            elif key == "thread" and value and split_thread(value):
                chosen[key] = split_thread(value)
            elif value not in ("", None):
                chosen[key] = value
        if chosen:
            variant["network_options"] = {**shared_options, **chosen}
        return variant


def variant_forms(accounts, data=None) -> list[VariantForm]:
    return [VariantForm(data, account=account) for account in accounts]
