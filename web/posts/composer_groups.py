"""The composer with several accounts ticked: a post group (`posts.groups`), customised in its tabs."""

from __future__ import annotations

from collections.abc import Sequence

from accounts.models import SocialAccount, User, Workspace
from kernel.errors import DomainError, first_error_detail
from posts import groups
from posts.composing import Composed, ComposerAction
from web.posts.forms import OPTION_FIELDS, PostCreateForm
from web.posts.variant_forms import VariantForm

# The services' field names → the composer's.
FIELD_MAP = {"social_account_id": "accounts", "campaign_id": "campaign", "platform": "accounts"}


def compose_group(
    *,
    workspace: Workspace,
    actor: User,
    form: PostCreateForm,
    variants: Sequence[VariantForm],
    accounts: Sequence[SocialAccount],
    action: ComposerAction,
    needs_approval: bool,
) -> Composed:
    """The shared fields once, each ticked account's tab as its variant (an untouched tab overrides nothing)."""
    shared_options = {platform: form.network_options_for(platform) for platform in {a.platform for a in accounts}}
    ticked = {account.pk for account in accounts}
    overrides = {
        v.account.pk: v.variant(shared_options[v.account.platform]) for v in variants if v.account.pk in ticked
    }
    _group, composed = groups.compose_post_group(
        workspace=workspace,
        actor=actor,
        accounts=accounts,
        fields=form.post_fields(),
        network_options={platform: options for platform, options in shared_options.items() if options},
        variants={pk: variant for pk, variant in overrides.items() if variant},
        action=action,
        needs_approval=needs_approval,
    )
    return composed


def add_group_errors(
    form: PostCreateForm,
    variants: Sequence[VariantForm],
    exc: DomainError,
    accounts: Sequence[SocialAccount],
) -> None:
    """`deliveries.<id>` errors go next to the shared fields, `variants.<id>` ones into that account's tab
    (and, named, on top of the form, since the tab may be behind another); anything else on top."""
    errors = exc.errors or {}
    by_id = {account.pk: account for account in accounts}
    tabs = {variant.account.pk: variant for variant in variants}
    for account_id, item_errors in (errors.get("deliveries") or {}).items():
        add_delivery_errors(form, by_id[int(account_id)], item_errors, several=True)
    for account_id, item_errors in (errors.get("variants") or {}).items():
        tab = tabs[int(account_id)]
        for key, messages in flat_item_errors(item_errors):
            name = "content" if key == "content" else tab.options.get(key)
            for message in messages:
                if name in tab.fields:
                    tab.add_error(name, message)
                form.add_error(None, f"{tab.account.account_name} (its tab): {message}")
    for key, value in errors.items():
        if key not in ("deliveries", "variants"):
            form.add_error(None, first_error_detail({key: value}))
    if not errors:
        form.add_error(None, exc.detail)


def add_delivery_errors(form, account: SocialAccount, item_errors, *, several: bool) -> None:
    """One delivery's errors next to the composer's fields; with several accounts, saying which one."""
    field_map = {
        **FIELD_MAP,
        **{key: name for (network, key), name in OPTION_FIELDS.items() if network == account.platform},
    }
    for key, item_messages in flat_item_errors(item_errors):
        name = field_map.get(key, key)
        for message in item_messages:
            text = f"{account.account_name}: {message}" if several else message
            form.add_error(name if name in form.fields else None, text)


def flat_item_errors(item_errors) -> list[tuple[str, list[str]]]:
    """network_options errors nest per option ({"network_options": {"board_id": [...]}}): one level up."""
    if not isinstance(item_errors, dict):
        return [("", list(item_errors))]
    pairs: list[tuple[str, list[str]]] = []
    for key, value in item_errors.items():
        pairs.extend(value.items() if isinstance(value, dict) else [(key, value)])
    return pairs
