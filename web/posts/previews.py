"""The composer's live previews: its form, as it stands, in; the server's previews (JSON with their HTML) out.

The page posts the whole composer form (session and CSRF, as the calendar's fetch calls do); the
options of each ticked account's network, and its tab's own text and options (a post group), become
that account's variant, and `previews_for_accounts`
(the service behind `POST /api/v1/posts/preview`) does the rest. Nothing is stored.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from accounts.models import SocialAccount
from accounts.roles import Capability
from kernel.errors import NotFound, ServiceError
from posts.previews.service import previews_for_accounts
from web.common import error_message, page_workspace, requires
from web.posts.forms import OPTION_FIELDS, ComposerForm
from web.posts.variant_forms import variant_forms

OPTION_DEFAULTS = {"instagram_share_to_feed": False}


class PreviewForm(ComposerForm):
    """The composer's fields, none required: a preview is asked for while the post is being written."""

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, workspace=workspace, **kwargs)
        self.fields["content"].required = False

    def options_for(self, platform: str) -> dict:
        """The options as the composer would save them; a field the form refuses is left out."""
        for name in set(OPTION_FIELDS.values()):
            self.cleaned_data.setdefault(name, OPTION_DEFAULTS.get(name, [] if name == "thread" else ""))
        return self.network_options_for(platform)


def _account_ids(request: HttpRequest) -> list[int]:
    values = [*request.POST.getlist("accounts"), request.POST.get("social_account", "")]
    ids = [int(value) for value in values if value.isdigit()]
    return list(dict.fromkeys(ids))


@login_required
@requires(Capability.VIEW)
@require_POST
def post_preview_view(request: HttpRequest) -> JsonResponse:
    workspace = page_workspace(request)
    form = PreviewForm(request.POST, workspace=workspace)
    form.is_valid()  # a half-written field is left out of the preview, not refused
    account_ids = _account_ids(request)
    accounts = SocialAccount.objects.in_workspace(workspace).filter(pk__in=account_ids)
    variants = {}
    for tab in variant_forms(accounts, request.POST):  # each account's tab (a post group) over the shared fields
        options = form.options_for(tab.account.platform)
        variants[str(tab.account.pk)] = {"network_options": options, **(tab.variant(options) if tab.is_valid() else {})}
    try:
        previews = previews_for_accounts(
            workspace=workspace,
            account_ids=account_ids,
            content=form.cleaned_data.get("content") or "",
            media_urls=form.cleaned_data.get("media_urls") or [],
            media_ids=form.cleaned_data.get("media_ids") or [],
            variants=variants,
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except ServiceError as exc:
        return JsonResponse({"ok": False, "error": error_message(exc)}, status=exc.status_code)
    return JsonResponse({"ok": True, "previews": previews})
