"""The first screens of a new install: connect Buffer → pick profiles → write a first post.

The calendar, the accounts pages and the composer show where the user is on that path until
every step is done; each step links to the page that does it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

# Where a Buffer API key comes from (README: "Connecting real Buffer").
BUFFER_KEY_URL = "https://publish.buffer.com"
BUFFER_KEY_PATH = "Settings → API"


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    hint: str
    url: str
    action: str
    done: bool
    current: bool


def first_run_steps(*, has_token: bool, has_accounts: bool, has_posts: bool) -> list[Step] | None:
    """The three steps with what is done and what comes next; None once all three are done.

    Accounts mean Buffer is connected one way or another; a first post means the user is set up.
    """
    if has_posts:
        return None
    done = [has_token or has_accounts, has_accounts, False]
    current = done.index(False)
    steps = [
        ("Connect Buffer", "SocialHub publishes through Buffer: paste your API key.", "account-connect", "Connect"),
        ("Pick your profiles", "Choose the Buffer profiles to publish to.", "account-connect", "Pick profiles"),
        ("Write your first post", "Write it once for every account you tick.", "post-create", "Write a post"),
    ]
    return [
        Step(i + 1, title, hint, reverse(name), action, done=done[i], current=i == current)
        for i, (title, hint, name, action) in enumerate(steps)
    ]


def first_run_for_workspace(workspace, *, has_accounts: bool | None = None) -> list[Step] | None:
    """One EXISTS query for a workspace that has posts (everyone after day one); at most three before."""
    from accounts.models import SocialAccount
    from buffer_integration.services import active_buffer_config
    from posts.models import Post

    if Post.objects.in_workspace(workspace).exists():
        return None
    if has_accounts is None:
        has_accounts = SocialAccount.objects.in_workspace(workspace).exists()
    config = None if has_accounts else active_buffer_config(workspace=workspace)
    return first_run_steps(
        has_token=config is not None and config.has_access_token, has_accounts=has_accounts, has_posts=False
    )
