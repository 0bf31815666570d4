"""Forms of the web UI's post pages. They parse and label; every rule lives in the services they feed."""

from __future__ import annotations

from typing import cast

from django import forms

from accounts.models import SocialAccount
from buffer_integration.counting import client_rules, counting_for
from buffer_integration.platforms import network_configuration
from campaigns.models import Campaign
from posts import network_options as options
from web.posts.repeat_fields import add_repeat_fields

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# The counter turns amber when this share of a network's limit is used, before it turns red.
COUNTER_WARNING_RATIO = 0.9
# A line with only this between two thread parts.
THREAD_SEPARATOR = "---"

ACTIONS = {
    "draft": "Save draft",
    "schedule": "Schedule",
    "queue": "Add to queue",  # the account's next free time slot (posts.queueing); the time field is not used
    "buffer": "Schedule via Buffer",
    "publish": "Publish now",
}


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-time picker; values are wall-clock times of the user's timezone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


class AccountChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SocialAccount) -> str:
        return f"{obj.account_name} ({obj.get_platform_display()})"


class SingleAccountChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: SocialAccount) -> str:
        return f"{obj.account_name} ({obj.get_platform_display()})"


class CampaignChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Campaign) -> str:
        return obj.name if obj.status == "active" else f"{obj.name} ({obj.get_status_display().lower()})"


def split_thread(raw: str) -> list[str]:
    """The thread field's text: its parts, between lines holding only THREAD_SEPARATOR."""
    parts = [part.strip() for part in raw.replace("\r\n", "\n").split(f"\n{THREAD_SEPARATOR}\n")]
    return [part for part in parts if part]


class ComposerForm(forms.Form):
    content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 7}),
        strip=False,
        help_text="Counted per network the way it counts: links are shortened on X, Bluesky counts graphemes.",
    )
    media_urls = forms.CharField(
        label="Media URLs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "placeholder": "https://…/photo.jpg"}),
        help_text="One http(s) link per line: images or a video.",
    )
    # Library items, in order, as comma-separated ids (the media picker, templates/posts/_composer_media.html).
    media_ids = forms.CharField(label="Media", required=False, widget=forms.HiddenInput)
    campaign = CampaignChoice(queryset=Campaign.objects.none(), required=False, empty_label="No campaign")
    scheduled_time = forms.DateTimeField(
        label="Date and time",
        required=False,
        widget=LocalDateTimeInput(),
        help_text="In your timezone. Needed to schedule; “Publish now” ignores it.",
    )

    # Per-network options (posts.network_options checks them, as for the API); the page shows the
    # ones the ticked accounts' networks take (data-networks in the template).
    instagram_type = forms.ChoiceField(
        label="Instagram: type", choices=[(value, value.title()) for value in options.INSTAGRAM_TYPES], required=False
    )
    instagram_share_to_feed = forms.BooleanField(label="Instagram: also share a reel to the feed", required=False)
    first_comment = forms.CharField(
        label="First comment",
        required=False,
        max_length=options.FIRST_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Instagram, Facebook and LinkedIn post it as the first comment.",
    )
    pinterest_board = forms.ChoiceField(
        label="Pinterest: board", required=False, help_text="Empty: the account's default board."
    )
    pinterest_title = forms.CharField(label="Pinterest: title", required=False, max_length=options.PINTEREST_TITLE_MAX)
    youtube_title = forms.CharField(
        label="YouTube: title", required=False, help_text=f"Required, at most {options.YOUTUBE_TITLE_MAX} characters."
    )
    youtube_privacy = forms.ChoiceField(
        label="YouTube: privacy", choices=[(value, value.title()) for value in options.YOUTUBE_PRIVACY], required=False
    )
    googlebusiness_type = forms.ChoiceField(
        label="Google Business: type",
        choices=[(value, value.replace("_", " ").capitalize()) for value in options.GOOGLE_TYPES],
        required=False,
    )
    thread = forms.CharField(
        label="Thread parts",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"X, Threads and Bluesky: follow-up posts, separated by a line with {THREAD_SEPARATOR} only.",
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        cast(forms.ModelChoiceField, self.fields["campaign"]).queryset = Campaign.objects.in_workspace(
            workspace
        ).order_by("name")
        boards = [("", "Account's default board")]
        for account in SocialAccount.objects.in_workspace(workspace).filter(platform="pinterest"):
            boards += [
                (str(board.get("id")), f"{board.get('name') or board.get('id')} ({account.account_name})")
                for board in account.pinterest_boards or []
                if isinstance(board, dict)
            ]
        cast(forms.ChoiceField, self.fields["pinterest_board"]).choices = boards
        if not self.is_bound:
            self.fields["instagram_share_to_feed"].initial = True

    def clean_media_urls(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["media_urls"].splitlines() if line.strip()]

    def clean_media_ids(self) -> list[int]:
        parts = [part.strip() for part in self.cleaned_data["media_ids"].split(",") if part.strip()]
        if not all(part.isdigit() and len(part) < 19 for part in parts):
            raise forms.ValidationError("Choose media from the library.")
        return [int(part) for part in parts]

    def clean_thread(self) -> list[str]:
        return split_thread(self.cleaned_data["thread"])

    def network_options_for(self, platform: str) -> dict:
        """The form's options for one network, in the API's shape (empty values left out)."""
        data = self.cleaned_data
        wanted = {
            "instagram": {
                "type": data["instagram_type"],
                "share_to_feed": data["instagram_share_to_feed"],
                "first_comment": data["first_comment"],
            },
            "pinterest": {"board_id": data["pinterest_board"], "title": data["pinterest_title"]},
            "youtube": {"title": data["youtube_title"], "privacy": data["youtube_privacy"]},
            "googlebusiness": {"type": data["googlebusiness_type"]},
            "facebook": {"first_comment": data["first_comment"]},
            "linkedin": {"first_comment": data["first_comment"]},
            "twitter": {"thread": data["thread"]},
            "threads": {"thread": data["thread"]},
            "bluesky": {"thread": data["thread"]},
        }.get(platform, {})
        return {key: value for key, value in wanted.items() if value not in ("", [], None)}

    def post_fields(self) -> dict:
        """The cleaned values under the services' keyword names."""
        campaign = self.cleaned_data["campaign"]
        return {
            "content": self.cleaned_data["content"],
            "media_urls": self.cleaned_data["media_urls"],
            "media_ids": self.cleaned_data["media_ids"],
            "campaign_id": campaign.pk if campaign else None,
            "scheduled_time": self.cleaned_data["scheduled_time"],
        }


# The composer's field for each option, per network (service errors are shown next to them).
OPTION_FIELDS = {
    ("instagram", "type"): "instagram_type",
    ("instagram", "share_to_feed"): "instagram_share_to_feed",
    ("pinterest", "board_id"): "pinterest_board",
    ("pinterest", "title"): "pinterest_title",
    ("youtube", "title"): "youtube_title",
    ("youtube", "privacy"): "youtube_privacy",
    ("googlebusiness", "type"): "googlebusiness_type",
}
for _network in ("instagram", "facebook", "linkedin"):
    OPTION_FIELDS[(_network, "first_comment")] = "first_comment"
for _network in ("twitter", "threads", "bluesky"):
    OPTION_FIELDS[(_network, "thread")] = "thread"


def options_initial(post) -> dict:
    """The edit form's option fields from a post's stored network_options."""
    stored = post.network_options or {}
    initial = {"instagram_share_to_feed": stored.get("share_to_feed", True)}
    for (network, key), name in OPTION_FIELDS.items():
        if network == post.platform and key in stored and name != "instagram_share_to_feed":
            value = stored[key]
            initial[name] = f"\n{THREAD_SEPARATOR}\n".join(value) if key == "thread" else value
    return initial


class PostCreateForm(ComposerForm):
    accounts = AccountChoice(
        queryset=SocialAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="One post is created for each account you tick.",
        error_messages={"required": "Choose at least one account."},
    )
    field_order = ["accounts", "content", "media_urls", "campaign", "scheduled_time"]

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, workspace=workspace, **kwargs)
        accounts = cast(forms.ModelMultipleChoiceField, self.fields["accounts"])
        accounts.queryset = SocialAccount.objects.in_workspace(workspace).filter(is_active=True)
        add_repeat_fields(self)  # recurring posts: web.posts.series


class PostEditForm(ComposerForm):
    social_account = SingleAccountChoice(queryset=SocialAccount.objects.none(), label="Account", empty_label=None)
    field_order = ["social_account", "content", "media_urls", "campaign", "scheduled_time"]

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, workspace=workspace, **kwargs)
        account = cast(forms.ModelChoiceField, self.fields["social_account"])
        account.queryset = SocialAccount.objects.in_workspace(workspace)

    def post_fields(self) -> dict:
        return {**super().post_fields(), "social_account_id": self.cleaned_data["social_account"].pk}


class RescheduleForm(forms.Form):
    scheduled_time = forms.DateTimeField(label="New date and time", widget=LocalDateTimeInput())


def counter_rules(accounts) -> dict:
    """What the composer's JavaScript counter needs to count exactly as `buffer_integration.counting` does.

    The patterns, weights and per-network limits are served from the Python side (and the limits
    table in configuration.json), so the browser holds no second copy of any number.
    """
    rules = {}
    for account in accounts:
        counting = counting_for(account.platform, account.service_type or "profile")
        rules[str(account.pk)] = {
            "name": account.account_name,
            "network": counting.name,
            "platform": account.platform,
            "limit": counting.limit,
            "counting": counting.way,
            "url_length": counting.url_length,
        }
    return {
        **client_rules(),
        "warning_ratio": COUNTER_WARNING_RATIO,
        # The thumbnails under the media field tell images from videos as `posts.text.media_kind` does.
        "picture_filetypes": network_configuration()["media"]["picture_filetypes"],
        "video_filetypes": network_configuration()["media"]["video_filetypes"],
        "accounts": rules,
    }
