"""Previews for accounts of a workspace: the one path the API, the composer's page endpoint and the post page use.

Nothing is stored. The warnings are `posts.rules.post_errors`, the validator the posts API refuses with,
so a preview says "too long" exactly when saving would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from accounts.models import SocialAccount, Workspace
from buffer_integration.platforms import NOT_PUBLISHABLE_MESSAGE, can_publish
from kernel.errors import InvalidInput, NotFound
from media_library.models import MediaItem
from media_library.storage import public_url
from posts.groups import delivery_fields
from posts.media import media_ids_errors, post_media_items, workspace_media
from posts.models import Post, PostStatus
from posts.previews.build import build_preview, media_from_urls, profile
from posts.rules import post_errors

MAX_PREVIEW_ACCOUNTS = 50


def resolve_variant(*, base: Mapping[str, Any], variants: Mapping[str, Any] | None, account_id: int) -> dict[str, Any]:
    """What one account's post is: the shared fields, with that account's variant (keyed by its id) over them.

    Post groups' own rule (`posts.groups.delivery_fields`), so a preview shows what the group will send.
    """
    return delivery_fields(base, (variants or {}).get(str(account_id)) or {})


# How a warning names what it is about (the API's field names are not for the person writing).
WARNING_PREFIXES = {"content": "", "media_urls": "Media: ", "social_account_id": ""}


def _flat_messages(errors: Mapping[str, Any]) -> list[str]:
    """`post_errors`' per-field messages as sentences; an option's name leads its own ("First comment: ...")."""
    messages: list[str] = []
    for key, value in errors.items():
        if isinstance(value, Mapping):
            for name, texts in value.items():
                label = "Options" if name == "_" else name.replace("_", " ").capitalize()
                messages.extend(f"{label}: {text}" for text in texts)
        else:
            prefix = WARNING_PREFIXES.get(key, f"{key.replace('_', ' ').capitalize()}: ")
            messages.extend(f"{prefix}{text}" for text in value)
    return messages


def render_preview(preview: Mapping[str, Any]) -> str:
    """The server's HTML of a preview: templates/posts/previews/<family>.html."""
    html = render_to_string(f"posts/previews/{preview['family']}.html", {"preview": preview})
    return mark_safe(html.strip())  # noqa: S308  (the templates escape every value)


def account_preview(
    *,
    account: SocialAccount,
    content: str,
    media: Sequence[Mapping[str, Any]],
    media_urls: Sequence[str],
    network_options: Mapping[str, Any] | None,
    media_warnings: Sequence[str] = (),
) -> dict[str, Any]:
    """One account's preview with its warnings and its HTML. `media` is the list shown (library items,
    then URLs); `media_urls` what the validator checks, as for a post, and `media_warnings` what the
    library items' own rule says (`posts.media.media_ids_errors`)."""
    errors = post_errors(
        owner=None,  # read only for a campaign's dates; a preview has no campaign
        account=account,
        campaign=None,
        platform=None,
        content=content,
        media_urls=list(media_urls),
        scheduled_time=None,
        status=PostStatus.DRAFT,
        network_options=dict(network_options or {}),
    )
    preview = build_preview(
        platform=account.platform,
        account=profile(
            account_id=account.pk,
            name=account.account_name,
            username=account.service_username,
            avatar_url=account.avatar_url,
        ),
        content=content,
        media=media,
        network_options=network_options if isinstance(network_options, Mapping) else {},
        service_type=account.service_type or "profile",
        warnings=[*_flat_messages(errors), *(f"Media: {message}" for message in media_warnings)],
    )
    return {**preview, "html": render_preview(preview)}


def previews_for_accounts(
    *,
    workspace: Workspace,
    account_ids: Sequence[int],
    content: str,
    media_urls: Sequence[str] = (),
    media_ids: Sequence[int] = (),
    network_options: Mapping[str, Any] | None = None,
    variants: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """A preview per account, in the order given. An id that is not one of the workspace's accounts is a
    404 (another workspace's included); a network Buffer cannot publish to is a 400."""
    if len(account_ids) > MAX_PREVIEW_ACCOUNTS:
        raise InvalidInput.from_errors({"social_account_ids": [f"At most {MAX_PREVIEW_ACCOUNTS} accounts."]})
    accounts = SocialAccount.objects.in_workspace(workspace).in_bulk(list(account_ids))
    every_id = [*media_ids, *(pk for v in (variants or {}).values() for pk in (v or {}).get("media_ids") or [])]
    items = workspace_media(workspace=workspace, ids=every_id)  # one query for every account's items
    if any(account_id not in accounts for account_id in account_ids):
        raise NotFound("Not found.")
    previews = []
    for account_id in dict.fromkeys(account_ids):
        account = accounts[account_id]
        if not can_publish(account.platform):
            message = NOT_PUBLISHABLE_MESSAGE.format(label=account.get_platform_display())
            raise InvalidInput.from_errors({"social_account_ids": [message]})
        fields = resolve_variant(
            base={
                "content": content,
                "media_urls": list(media_urls),
                "media_ids": list(media_ids),
                "network_options": network_options or {},
            },
            variants=variants,
            account_id=account_id,
        )
        previews.append(
            account_preview(
                account=account,
                content=fields["content"],
                media=[
                    *media_from_items([items[pk] for pk in fields["media_ids"] if pk in items]),
                    *media_from_urls(fields["media_urls"]),
                ],
                media_urls=fields["media_urls"],
                network_options=fields["network_options"],
                media_warnings=media_ids_errors(media_ids=fields["media_ids"], items=items, platform=account.platform),
            )
        )
    return previews


def media_from_items(items: Sequence[MediaItem]) -> list[dict[str, Any]]:
    """Library items as a preview shows them, at their public URLs."""
    return [
        {
            "url": public_url(item.file.name),
            "kind": item.kind,
            "alt_text": item.alt_text,
            "width": item.width,
            "height": item.height,
        }
        for item in items
    ]


def post_preview(*, post: Post) -> dict[str, Any] | None:
    """A stored post's preview (its account loaded with it: no query beyond the post's own); None for a
    network Buffer cannot publish to (nothing to preview)."""
    if not can_publish(post.platform):
        return None
    return account_preview(
        account=post.social_account,
        content=post.content,
        media=[*media_from_items(post_media_items(post)), *media_from_urls(post.media_urls)],
        media_urls=post.media_urls,
        network_options=post.network_options,
    )
