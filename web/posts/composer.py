"""The composer: write a post for one or several accounts (one post each), or edit one.

Its four buttons are `posts.composing`'s actions; this page parses the form, calls one service and
shows what it did. Whatever a service refuses is shown next to the field it concerns.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Capability
from kernel.errors import DomainError, ServiceError
from kernel.users import request_user
from posts import composing, transitions
from posts.capacity import capacity_warnings
from posts.composing import ComposerAction
from posts.models import Post, PostStatus
from posts.services import PostChanges
from web.common import add_service_errors, error_message, page_workspace, requires
from web.posts import series as series_pages
from web.posts.composer_groups import FIELD_MAP, add_delivery_errors, add_group_errors, compose_group
from web.posts.forms import ACTIONS, OPTION_FIELDS, PostCreateForm, PostEditForm, counter_rules, options_initial
from web.posts.repeat_fields import add_repeat_fields, repeat_rule
from web.posts.variant_forms import VariantForm, variant_forms
from web.posts.views import _get_post_for_user, _needs_approval

CAPACITY_LOOKAHEAD = dt.timedelta(days=14)
# For a member whose posts need approval: scheduling submits them; Buffer and "now" wait for the approval.
APPROVAL_ACTIONS = {
    "draft": ACTIONS["draft"],
    "schedule": "Submit for approval",
    "queue": "Add to queue for approval",
}
EDIT_FIELD_MAP = {**FIELD_MAP, "social_account_id": "social_account", "platform": "social_account"}


def _option_fields(platform: str) -> dict[str, str]:
    """A network's option names → the composer's fields, to show a service's errors in place."""
    return {key: name for (network, key), name in OPTION_FIELDS.items() if network == platform}


def _action(request: HttpRequest) -> ComposerAction:
    chosen = request.POST.get("action", "")
    return ComposerAction(chosen) if chosen in ACTIONS else ComposerAction.DRAFT


def _initial(request: HttpRequest) -> dict:
    """Pre-filled from the calendar (`at`, `date`), a campaign page (`campaign`) or `duplicate`."""
    initial: dict = {}
    if source := request.GET.get("duplicate", "").strip():
        post = (
            Post.objects.in_workspace(page_workspace(request)).filter(pk=int(source) if source.isdigit() else 0).first()
        )
        if post is not None:
            initial.update(
                accounts=[post.social_account_id],
                content=post.content,
                media_urls="\n".join(post.media_urls),
                campaign=post.campaign_id,
            )
    if campaign := request.GET.get("campaign", ""):
        initial["campaign"] = campaign
    try:
        if at := request.GET.get("at"):
            initial["scheduled_time"] = dt.datetime.fromisoformat(at)
        elif day := request.GET.get("date"):
            initial["scheduled_time"] = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9))
    except ValueError:
        pass  # a hand-edited URL: start with an empty time rather than fail
    return initial


def _render(
    request: HttpRequest, form, *, post: Post | None = None, variants: list[VariantForm] | None = None
) -> HttpResponse:
    accounts = form.fields["accounts" if post is None else "social_account"].queryset
    today = timezone.localdate(timezone.now(), request_user(request).tzinfo)
    context = {
        "form": form,
        "post": post,
        "actions": APPROVAL_ACTIONS if _needs_approval(request) else ACTIONS,
        "counter_rules": counter_rules(accounts),
        # Days of the next two weeks near the Buffer key's daily capacity: pick another before being refused.
        "capacity_warning": capacity_warnings(
            workspace=page_workspace(request),
            tz=request_user(request).tzinfo,
            start=today,
            end=today + CAPACITY_LOOKAHEAD,
        ),
        "option_fields": _option_field_groups(form),
        # The tabs of a post group (several accounts ticked), one per account; none when editing one post.
        "variant_forms": variants if variants is not None else ([] if post else variant_forms(accounts)),
        "following": post is not None and "repeat" in form.fields,  # "edit this and following"
    }
    return render(request, "posts/composer.html", context, status=400 if form.errors else 200)


# Which networks each option field is for (the page shows a field when a ticked account's network takes it).
def _option_field_groups(form) -> list[tuple]:
    networks: dict[str, list[str]] = {}
    for (network, _key), name in OPTION_FIELDS.items():
        networks.setdefault(name, []).append(network)
    return [(form[name], " ".join(sorted(set(found)))) for name, found in networks.items()]


@login_required
@requires(Capability.EDIT_POSTS)
def post_create_view(request: HttpRequest) -> HttpResponse:
    workspace = page_workspace(request)
    if request.method != "POST":
        return _render(request, PostCreateForm(initial=_initial(request), workspace=workspace))
    form = PostCreateForm(request.POST, workspace=workspace)
    variants = variant_forms(cast(forms.ModelChoiceField, form.fields["accounts"]).queryset, request.POST)
    if not all([form.is_valid(), *(variant.is_valid() for variant in variants)]):
        return _render(request, form, variants=variants)
    action = _action(request)
    accounts = list(form.cleaned_data["accounts"])
    if rule := repeat_rule(form):  # "Repeat": one series per account (web.posts.series)
        return series_pages.create_series(
            request,
            form,
            rule=rule,
            accounts=accounts,
            action=action,
            needs_approval=_needs_approval(request),
            render=lambda: _render(request, form),
        )
    if len(accounts) > 1:  # several accounts: one post group, each tab its account's variant
        try:
            composed = compose_group(
                workspace=workspace,
                actor=request_user(request),
                form=form,
                variants=variants,
                accounts=accounts,
                action=action,
                needs_approval=_needs_approval(request),
            )
        except DomainError as exc:
            add_group_errors(form, variants, exc, accounts)
            return _render(request, form, variants=variants)
        return _composed_response(request, composed, accounts, action)
    try:
        composed = composing.compose_posts(
            workspace=workspace,
            actor=request_user(request),
            accounts=accounts,
            fields=form.post_fields(),
            network_options={account.pk: form.network_options_for(account.platform) for account in accounts},
            action=action,
            needs_approval=_needs_approval(request),
        )
    except DomainError as exc:
        _add_bulk_errors(form, exc, accounts)
        return _render(request, form, variants=variants)
    return _composed_response(request, composed, accounts, action)


def _composed_response(
    request: HttpRequest, composed: composing.Composed, accounts: list, action: ComposerAction
) -> HttpResponse:
    posts = composed.posts
    names = ", ".join(account.account_name for account in accounts)
    verb = {"draft": "saved as draft", "publish": "queued to publish now", "queue": "added to the queue"}.get(
        action, "scheduled"
    )
    submitted = any(post.status == PostStatus.PENDING_APPROVAL for post in posts)
    if submitted:
        verb = "submitted for approval"
    messages.success(request, f"{len(posts)} post{'s' if len(posts) != 1 else ''} {verb} for {names}.")
    if action == ComposerAction.BUFFER and not submitted:
        _tell_handover(request, composed)
    if len(posts) == 1:
        return redirect("post-detail", pk=posts[0].pk)
    when = posts[0].scheduled_time
    query = f"?date={timezone.localtime(when).date()}" if when else ""
    return redirect(reverse("calendar") + query)


def _add_bulk_errors(form, exc: DomainError, accounts: list) -> None:
    """posts_bulk_create reports problems per item ({"0": {"content": [...]}}); item i is accounts[i]."""
    if not exc.errors or not all(key.isdigit() for key in exc.errors):
        add_service_errors(form, exc, FIELD_MAP)
        return
    for index, item_errors in exc.errors.items():
        add_delivery_errors(form, accounts[int(index)], item_errors, several=len(accounts) > 1)


def _tell_handover(request: HttpRequest, composed: composing.Composed) -> None:
    for post in composed.posts:
        exc = composed.not_handed.get(post.pk)
        if exc is None:
            messages.success(request, f"Post #{post.pk} handed to Buffer.")
        else:
            messages.error(
                request,
                f"Post #{post.pk} is scheduled in SocialHub, but Buffer did not take it: {error_message(exc)} "
                "SocialHub will publish it itself at its time unless you cancel it.",
            )


@login_required
@requires(Capability.EDIT_POSTS)
def post_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post_for_user(request, pk)
    # "Edit this and following" of a recurring post (?scope=following): the series is split here.
    following = post.series_id is not None and request.GET.get("scope") == "following"
    if post.status not in transitions.EDITABLE:
        messages.error(request, f"Post #{post.pk} is {post.get_status_display().lower()}: it can no longer be edited.")
        return redirect("post-detail", pk=post.pk)
    if request.method != "POST":
        initial = {
            "social_account": post.social_account_id,
            "content": post.content,
            "media_urls": "\n".join(post.media_urls),
            "media_ids": ",".join(str(link.media_id) for link in post.media_links.all()),
            "campaign": post.campaign_id,
            "scheduled_time": post.scheduled_time,
            **options_initial(post),
        }
        form = PostEditForm(initial=initial, workspace=page_workspace(request))
        if following:
            add_repeat_fields(form, initial_rule=post.series.rule if post.series else "")
        return _render(request, form, post=post)
    form = PostEditForm(request.POST, workspace=page_workspace(request))
    if following:
        add_repeat_fields(form)
    if not form.is_valid():
        return _render(request, form, post=post)
    action = _action(request)
    platform = form.cleaned_data["social_account"].platform
    fields = form.post_fields()
    changes = PostChanges(
        social_account_id=fields["social_account_id"],
        content=fields["content"],
        media_urls=fields["media_urls"],
        media_ids=fields["media_ids"],
        campaign_id=fields["campaign_id"],
        scheduled_time=fields["scheduled_time"],
        network_options=form.network_options_for(platform),
    )
    if following:
        return series_pages.edit_following(
            request,
            form,
            post=post,
            changes=changes,
            needs_approval=_needs_approval(request),
            render=lambda: _render(request, form, post=post),
        )
    try:
        post = composing.edit_post(post=post, changes=changes, action=action, needs_approval=_needs_approval(request))
    except ServiceError as exc:
        add_service_errors(form, exc, {**EDIT_FIELD_MAP, **_option_fields(platform)})
        return _render(request, form, post=post)
    messages.success(request, f"Post #{post.pk} saved ({post.get_status_display().lower()}).")
    return redirect("post-detail", pk=post.pk)
