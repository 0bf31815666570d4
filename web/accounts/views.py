"""Web pages of social accounts: connection checks, syncing, connecting Buffer profiles, the Buffer token.

Thin: parse, call `accounts.services` / `buffer_integration.services`, respond with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts import services
from accounts.models import SocialAccount
from accounts.posting_schedule import account_schedule, schedule_summary
from accounts.roles import Capability
from buffer_integration import services as buffer_services
from buffer_integration.backends import buffer_is_local_sandbox
from buffer_integration.budget import config_report
from buffer_integration.platforms import platform_for_service
from kernel.errors import ServiceError
from kernel.users import request_user
from web.accounts.forms import BufferConfigForm, ConnectProfileForm
from web.common import add_service_errors, error_message, next_url, page_workspace, requires, run_action
from web.first_run import first_run_for_workspace


def _get_account_for_user(request: HttpRequest, pk: int) -> SocialAccount:
    return get_object_or_404(SocialAccount.objects.in_workspace(page_workspace(request)), pk=pk)


def _render_accounts(request: HttpRequest, config_form: BufferConfigForm | None = None) -> HttpResponse:
    workspace = page_workspace(request)
    config = buffer_services.active_buffer_config(workspace=workspace)
    accounts = list(SocialAccount.objects.in_workspace(workspace).order_by("platform", "account_name"))
    for account in accounts:  # for the list's "Queue slots" column
        account.schedule_summary = schedule_summary(account_schedule(account))
    context = {
        "accounts": accounts,
        "config": config,
        "budget": config_report(config) if config is not None else None,
        "config_notice": buffer_services.buffer_api_notice(api=config.api) if config is not None else "",
        "config_form": config_form or BufferConfigForm(),
        "sandbox": config is None and buffer_is_local_sandbox(),
    }
    status = 400 if config_form is not None and config_form.errors else 200
    return render(request, "accounts/account_list.html", context, status=status)


@login_required
@require_GET
def account_list_view(request: HttpRequest) -> HttpResponse:
    return _render_accounts(request)


@login_required
@require_POST
@requires(Capability.MANAGE)
def account_test_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = _get_account_for_user(request, pk)
    try:
        check = services.social_account_test_connection(account=account)
    except ServiceError as exc:
        messages.error(request, f"{account.account_name}: {error_message(exc)}")
    else:
        (messages.success if check.ok else messages.error)(request, f"{account.account_name}: {check.message}")
    return redirect("account-list")


@login_required
@require_POST
@requires(Capability.MANAGE)
def account_sync_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = _get_account_for_user(request, pk)
    return run_action(
        request,
        lambda: services.social_account_sync_from_buffer(account=account),
        success=f"{account.account_name} synced from its Buffer profile.",
        default_next=reverse("account-list"),
    )


def _profiles(request: HttpRequest) -> list | None:
    """The workspace's Buffer profiles with the connected account's id, or None (and a message) when Buffer
    cannot say."""
    try:
        return services.buffer_profiles_for_workspace(workspace=page_workspace(request))
    except ServiceError as exc:
        messages.error(request, error_message(exc))
        return None


def _has_token(request: HttpRequest) -> bool:
    config = buffer_services.active_buffer_config(workspace=page_workspace(request))
    return config is not None and config.has_access_token


def _render_connect(request: HttpRequest, config_form: BufferConfigForm | None = None) -> HttpResponse:
    """Step 1 of the first run without a Buffer key (the key form), step 2 with one (the profiles)."""
    if not _has_token(request):
        # Asked first, so a marketer sees what to do rather than the service's "no config" error.
        context = {
            "needs_token": True,
            "config_form": config_form or BufferConfigForm(),
            "sandbox": buffer_is_local_sandbox(),
            "first_run": first_run_for_workspace(page_workspace(request)),
        }
        status = 400 if config_form is not None and config_form.errors else 200
        return render(request, "accounts/account_connect.html", context, status=status)
    profiles = _profiles(request)
    unconnected = [
        {"profile": profile, "platform": platform_for_service(profile.service)}
        for profile, account_id in profiles or []
        if account_id is None
    ]
    context = {
        "profiles": unconnected,
        "buffer_failed": profiles is None,
        "connected": len(profiles or []) - len(unconnected),
        "first_run": first_run_for_workspace(page_workspace(request)),
    }
    return render(request, "accounts/account_connect.html", context)


@login_required
@requires(Capability.MANAGE)
def account_connect_view(request: HttpRequest) -> HttpResponse:
    """GET lists the Buffer profiles not yet connected (or asks for the Buffer key first); POST connects one."""
    if request.method == "POST":
        return _connect(request)
    return _render_connect(request)


def _connect(request: HttpRequest) -> HttpResponse:
    if not _has_token(request):
        return redirect("account-connect")  # which asks for the Buffer key first
    form = ConnectProfileForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a Buffer profile to connect.")
        return redirect("account-connect")
    try:
        account = services.social_account_connect_from_buffer(
            workspace=page_workspace(request),
            actor=request_user(request),
            buffer_profile_id=form.cleaned_data["buffer_profile_id"],
        )
    except ServiceError as exc:
        messages.error(request, error_message(exc))
        return redirect("account-connect")
    messages.success(request, f"Connected {account.account_name} ({account.get_platform_display()}).")
    return redirect(next_url(request, reverse("account-list")))


@login_required
@require_POST
@requires(Capability.MANAGE)
def buffer_config_view(request: HttpRequest) -> HttpResponse:
    form = BufferConfigForm(request.POST)
    if form.is_valid():
        workspace = page_workspace(request)
        config = buffer_services.active_buffer_config(workspace=workspace)
        token = form.cleaned_data["access_token"]
        try:
            if config is None:
                buffer_services.buffer_config_create(
                    workspace=workspace, actor=request_user(request), access_token=token
                )
            else:
                buffer_services.buffer_config_update(config=config, access_token=token)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Buffer API key saved and checked with Buffer.")
            return redirect(next_url(request, reverse("account-list")))
    # The first run's key form sits on the connect page: show its errors there.
    if next_url(request, "") == reverse("account-connect"):
        return _render_connect(request, config_form=form)
    return _render_accounts(request, config_form=form)
