"""Authorization matrix: every route of the URLconf, every method it allows, and owner, other user, anonymous.

The routes are read from `get_resolver()`, so a new route (or a new method on one) without a row in
`MATRIX` fails `test_every_route_and_method_has_a_row`, and a row for a route that is gone fails too.
Each row says what the owner of the objects, another user and an anonymous caller get:

- API: the owner passes authorization (a 2xx, or the 400/409 its empty or state-breaking request
  earns); another user gets 404 for the owner's objects, and on lists only their own rows; anonymous
  gets 401 (the public routes say so).
- Web UI: the owner gets the page or the action's redirect; another user 404; anonymous a redirect to
  the login page.

`admin/` is Django admin (staff only, its own permission system and tests) and is not in the matrix.
HEAD and OPTIONS carry no object data (HEAD is GET without a body, OPTIONS DRF's metadata) and are
left to the conventions tests and the Schemathesis run.

One set of objects per module (`matrix_data`); each call runs in the test's own rolled-back transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.workspaces import workspace_personal_for
from conftest import Sandbox, client_for

MARKER = "matrix-owner-marker"
SKIPPED_PREFIXES = ("admin/",)
IGNORED_METHODS = {"head", "options"}
REDIRECT = 302  # web UI: anonymous callers are sent to the login page


@dataclass(frozen=True)
class Row:
    owner: int
    other: int
    anon: int
    body: str | None = None  # name of a body in BODIES (sent by all three callers)
    lists: bool = False  # the owner's answer shows MARKER, the other user's must not


R = Row
# (route key, method) -> what each caller gets. Route keys are "api:" or "web:" + the URL name.
MATRIX: dict[tuple[str, str], Row] = {
    # --- API: auth and public routes ------------------------------------------------------------
    ("api:token-obtain", "POST"): R(400, 400, 400),
    ("api:token-refresh", "POST"): R(400, 400, 400),
    ("api:token-verify", "POST"): R(400, 400, 400),
    ("api:health", "GET"): R(503, 503, 503),  # no beat ticks in tests: "fail", to anyone alike
    ("api:schema", "GET"): R(200, 200, 200),
    ("api:swagger-ui", "GET"): R(200, 200, 200),
    # Any other path under /api/: a JSON 404 to anyone, before authentication (it names nothing).
    ("api:api-not-found", "GET"): R(404, 404, 404),
    ("api:api-not-found", "POST"): R(404, 404, 404),
    ("api:me", "GET"): R(200, 200, 401),
    ("api:me", "PUT"): R(200, 200, 401, body="empty"),
    ("api:me", "PATCH"): R(200, 200, 401, body="empty"),
    # --- API: Buffer ------------------------------------------------------------------------------
    ("api:buffer-profiles", "GET"): R(200, 200, 401),
    # --- API: the audit log (each caller's own personal workspace: they own it) --------------------
    ("api:audit-list", "GET"): R(200, 200, 401),
    ("api:buffer-config-list", "GET"): R(200, 200, 401, lists=True),
    ("api:buffer-config-list", "POST"): R(400, 400, 401, body="empty"),
    ("api:buffer-config-detail", "GET"): R(200, 404, 401),
    ("api:buffer-config-detail", "PUT"): R(200, 404, 401, body="empty"),
    ("api:buffer-config-detail", "PATCH"): R(200, 404, 401, body="empty"),
    ("api:buffer-config-detail", "DELETE"): R(204, 404, 401),
    # --- API: social accounts ---------------------------------------------------------------------
    ("api:social-account-list", "GET"): R(200, 200, 401, lists=True),
    ("api:social-account-list", "POST"): R(400, 400, 401, body="empty"),
    ("api:social-account-detail", "GET"): R(200, 404, 401),
    ("api:social-account-detail", "PUT"): R(200, 404, 401, body="empty"),
    ("api:social-account-detail", "PATCH"): R(200, 404, 401, body="empty"),
    ("api:social-account-detail", "DELETE"): R(204, 404, 401),
    ("api:social-account-test-connection", "POST"): R(200, 404, 401),
    ("api:social-account-sync-buffer", "POST"): R(200, 404, 401),
    # The queue: the owner's account has no time slots yet (no sync), so its queue lists none and its draft
    # cannot be queued (400 on `schedule`); it is not in a queue, so it cannot move to the top (409).
    ("api:social-account-schedule", "GET"): R(200, 404, 401),
    ("api:social-account-schedule", "PUT"): R(400, 404, 401, body="empty"),
    ("api:social-account-queue", "GET"): R(200, 404, 401),
    ("api:social-account-queue-shuffle", "POST"): R(200, 404, 401),
    ("api:post-queue", "POST"): R(400, 404, 401),
    ("api:post-queue-top", "POST"): R(409, 404, 401),
    # --- API: campaigns ---------------------------------------------------------------------------
    ("api:campaign-list", "GET"): R(200, 200, 401, lists=True),
    ("api:campaign-list", "POST"): R(400, 400, 401, body="empty"),
    ("api:campaign-detail", "GET"): R(200, 404, 401),
    ("api:campaign-detail", "PUT"): R(200, 404, 401, body="empty"),
    ("api:campaign-detail", "PATCH"): R(200, 404, 401, body="empty"),
    ("api:campaign-detail", "DELETE"): R(204, 404, 401),
    ("api:campaign-analytics", "GET"): R(200, 404, 401),
    ("api:campaign-posts", "GET"): R(200, 404, 401),
    # --- API: posts -------------------------------------------------------------------------------
    ("api:post-list", "GET"): R(200, 200, 401, lists=True),
    # Another user naming the owner's account: 400 (not one of yours), nothing created.
    ("api:post-list", "POST"): R(201, 400, 401, body="post"),
    ("api:post-bulk", "POST"): R(201, 400, 401, body="bulk"),
    ("api:post-calendar", "GET"): R(400, 400, 401),  # no range given: 400 for everyone
    ("api:post-detail", "GET"): R(200, 404, 401),
    ("api:post-detail", "PUT"): R(200, 404, 401, body="empty"),
    ("api:post-detail", "PATCH"): R(200, 404, 401, body="empty"),
    ("api:post-detail", "DELETE"): R(204, 404, 401),
    ("api:post-attempts", "GET"): R(200, 404, 401),
    ("api:post-schedule", "POST"): R(200, 404, 401),
    ("api:post-cancel", "POST"): R(200, 404, 401),
    ("api:post-reschedule", "POST"): R(200, 404, 401, body="reschedule"),
    # Another user naming the owner's account: 404 (not in their workspace); nothing is stored either way.
    ("api:post-preview", "POST"): R(200, 404, 401, body="preview"),
    ("api:post-stored-preview", "GET"): R(200, 404, 401),
    # The owner's post is a draft: it is submitted, but not waiting for approval yet (409, past every permission check).
    ("api:post-submit", "POST"): R(200, 404, 401),
    ("api:post-approve", "POST"): R(409, 404, 401),
    ("api:post-reject", "POST"): R(409, 404, 401, body="reject"),
    # --- API: post groups (another user naming the owner's account: 400, nothing created) --------------
    ("api:post-group-list", "GET"): R(200, 200, 401, lists=True),
    ("api:post-group-list", "POST"): R(201, 400, 401, body="post_group"),
    ("api:post-group-detail", "GET"): R(200, 404, 401),
    ("api:post-group-detail", "PATCH"): R(200, 404, 401, body="empty"),
    ("api:post-group-detail", "DELETE"): R(204, 404, 401),
    # --- API: posts import / export (no file: 400 for everyone; the export lists the workspace's posts) --
    ("api:post-import", "POST"): R(400, 400, 401, body="empty"),
    ("api:post-import-detail", "GET"): R(200, 404, 401),
    ("api:post-export", "GET"): R(200, 200, 401, lists=True),
    # Recurring posts: the owner's post is a one-off (an empty list; no series to end: 409).
    ("api:post-occurrences", "GET"): R(200, 404, 401),
    ("api:post-series-end", "POST"): R(409, 404, 401),
    # --- API: the media library (uploads are forms: an empty JSON body is a 400 missing the file) ---------
    ("api:media-list", "GET"): R(200, 200, 401, lists=True),
    ("api:media-list", "POST"): R(400, 400, 401, body="empty"),
    ("api:media-detail", "GET"): R(200, 404, 401),
    ("api:media-detail", "PATCH"): R(200, 404, 401, body="empty"),
    ("api:media-detail", "DELETE"): R(204, 404, 401),
    ("api:media-upload-list", "POST"): R(400, 400, 401, body="empty"),
    ("api:media-upload-detail", "GET"): R(200, 404, 401),
    ("api:media-upload-detail", "PUT"): R(400, 404, 401),  # no Content-Range: 400, past every permission check
    ("api:media-upload-detail", "DELETE"): R(204, 404, 401),
    ("api:media-upload-complete", "POST"): R(409, 404, 401),  # no bytes yet: 409
    # --- API: client review links (managers and owners; the owner of a personal workspace is one) -----
    ("api:review-link-list", "GET"): R(200, 200, 401),
    ("api:review-link-list", "POST"): R(201, 400, 401, body="review_link"),  # another's campaign: 400
    ("api:review-link-detail", "GET"): R(200, 404, 401),
    ("api:review-link-detail", "DELETE"): R(204, 404, 401),
    ("api:post-comments", "GET"): R(200, 404, 401, lists=True),
    ("api:post-comments", "POST"): R(201, 404, 401, body="comment"),
    # --- API: notifications (the caller's own; preferences in the caller's personal workspace) ----------
    ("api:notification-list", "GET"): R(200, 200, 401, lists=True),
    ("api:notification-read", "POST"): R(200, 404, 401),
    ("api:notification-read-all", "POST"): R(200, 200, 401),
    ("api:notification-preferences", "GET"): R(200, 200, 401),
    ("api:notification-preferences", "PUT"): R(400, 400, 401, body="empty"),
    # --- API: analytics ---------------------------------------------------------------------------
    ("api:analytics-list", "GET"): R(200, 200, 401),
    ("api:analytics-list", "POST"): R(201, 400, 401, body="analytics"),  # on the owner's published post
    ("api:analytics-detail", "GET"): R(200, 404, 401),
    ("api:analytics-detail", "PUT"): R(200, 404, 401, body="empty"),
    ("api:analytics-detail", "PATCH"): R(200, 404, 401, body="empty"),
    ("api:analytics-detail", "DELETE"): R(204, 404, 401),
    ("api:analytics-sync-list", "POST"): R(202, 202, 401),
    ("api:analytics-sync-detail", "GET"): R(200, 404, 401),
    # --- API: Publisher ---------------------------------------------------------------------------
    ("api:publisher-configs", "GET"): R(200, 200, 401, lists=True),
    ("api:publisher-configs-channels", "GET"): R(200, 200, 401, lists=True),
    ("api:publisher-configs-posttypes", "GET"): R(200, 200, 401),
    ("api:publisher-configs-networktargets", "GET"): R(200, 200, 401, lists=True),
    ("api:publisher-webhook-secret", "GET"): R(200, 200, 401),
    ("api:publisher-webhook-secret", "POST"): R(201, 201, 401),
    ("api:publisher-post-list", "GET"): R(200, 200, 401, lists=True),
    ("api:publisher-post-list", "POST"): R(201, 400, 401, body="publisher_post"),
    ("api:publisher-post-detail", "GET"): R(200, 404, 401),
    ("api:publisher-post-detail", "DELETE"): R(204, 404, 401),
    ("api:publisher-post-callbacks", "GET"): R(200, 404, 401),
    ("api:publisher-channel-list", "GET"): R(200, 200, 401, lists=True),
    ("api:publisher-channel-list", "POST"): R(201, 400, 401, body="channel"),
    ("api:publisher-channel-detail", "GET"): R(200, 404, 401),
    ("api:publisher-channel-detail", "PUT"): R(200, 404, 401, body="empty"),
    ("api:publisher-channel-detail", "PATCH"): R(200, 404, 401, body="empty"),
    ("api:publisher-channel-detail", "DELETE"): R(204, 404, 401),
    ("api:publisher-posttype-list", "GET"): R(200, 200, 401, lists=True),
    ("api:publisher-posttype-list", "POST"): R(201, 400, 401, body="posttype"),
    ("api:publisher-posttype-detail", "GET"): R(200, 404, 401),
    ("api:publisher-posttype-detail", "PUT"): R(200, 404, 401, body="empty"),
    ("api:publisher-posttype-detail", "PATCH"): R(200, 404, 401, body="empty"),
    ("api:publisher-posttype-detail", "DELETE"): R(204, 404, 401),
    ("api:publisher-app-list", "GET"): R(200, 200, 401, lists=True),
    ("api:publisher-app-list", "POST"): R(400, 400, 401, body="empty"),
    ("api:publisher-app-detail", "GET"): R(200, 404, 401),
    ("api:publisher-app-detail", "DELETE"): R(204, 404, 401),
    ("api:publisher-callback-list", "GET"): R(200, 200, 401, lists=True),
    ("api:publisher-callback-detail", "GET"): R(200, 404, 401),
    ("api:publisher-callback-replay", "POST"): R(200, 404, 401),
    # --- API: workspaces, members, invitations (the owner's team workspace; the other user is no member)
    ("api:workspace-list", "GET"): R(200, 200, 401, lists=True),
    ("api:workspace-list", "POST"): R(400, 400, 401, body="empty"),
    ("api:workspace-detail", "GET"): R(200, 404, 401),
    ("api:workspace-detail", "PUT"): R(200, 404, 401, body="empty"),
    ("api:workspace-detail", "DELETE"): R(204, 404, 401),
    ("api:workspace-member-list", "GET"): R(200, 404, 401),
    ("api:workspace-member-list", "POST"): R(400, 404, 401, body="empty"),
    ("api:workspace-member-detail", "PUT"): R(400, 404, 401, body="empty"),  # a role is required
    ("api:workspace-member-detail", "DELETE"): R(204, 404, 401),
    ("api:workspace-invitation-list", "GET"): R(200, 404, 401),
    ("api:workspace-invitation-detail", "DELETE"): R(204, 404, 401),
    # --- Web UI (an invalid, here empty, form is shown again with its errors and a 400) --------------
    ("web:login", "GET"): R(302, 302, 200),  # signed-in users are sent on to the calendar
    ("web:login", "POST"): R(302, 302, 200),  # an empty form: anonymous gets it back with errors
    ("web:logout", "POST"): R(302, 302, 302),
    ("web:calendar", "GET"): R(200, 200, REDIRECT),
    ("web:post-list", "GET"): R(200, 200, REDIRECT, lists=True),
    ("web:post-create", "GET"): R(200, 200, REDIRECT),
    ("web:post-create", "POST"): R(400, 400, REDIRECT),  # empty form: shown again with its errors
    ("web:post-preview", "POST"): R(200, 200, REDIRECT),  # no account ticked: no previews
    ("web:post-detail", "GET"): R(200, 404, REDIRECT),
    ("web:post-edit", "GET"): R(200, 404, REDIRECT),
    ("web:post-edit", "POST"): R(400, 404, REDIRECT),
    ("web:post-reschedule", "POST"): R(302, 404, REDIRECT),
    ("web:post-cancel", "POST"): R(302, 404, REDIRECT),
    ("web:post-buffer", "POST"): R(302, 404, REDIRECT),
    ("web:post-delete", "POST"): R(302, 404, REDIRECT),
    ("web:post-import", "GET"): R(200, 200, REDIRECT),
    ("web:post-import", "POST"): R(400, 400, REDIRECT),  # no file: the form again, with its error
    ("web:post-import-job", "GET"): R(200, 404, REDIRECT),
    ("web:post-import-run", "POST"): R(302, 404, REDIRECT),  # the dry run's file imported: on to the new job
    ("web:post-export", "GET"): R(200, 200, REDIRECT, lists=True),
    ("web:post-series-end", "POST"): R(302, 404, REDIRECT),  # a one-off post: a message, back to the post
    ("web:recurrence-preview", "GET"): R(400, 400, REDIRECT),  # no rule given: 400 for everyone
    ("web:post-submit", "POST"): R(302, 404, REDIRECT),
    ("web:post-approve", "POST"): R(302, 404, REDIRECT),  # not waiting: a message, back to the queue
    ("web:post-reject", "POST"): R(302, 404, REDIRECT),
    ("web:approvals", "GET"): R(200, 200, REDIRECT),  # each caller's own workspace's queue
    ("web:post-comment-create", "POST"): R(302, 404, REDIRECT),  # an empty comment: back with a message
    ("web:campaign-list", "GET"): R(200, 200, REDIRECT, lists=True),
    ("web:campaign-create", "GET"): R(200, 200, REDIRECT),
    ("web:campaign-create", "POST"): R(400, 400, REDIRECT),
    ("web:campaign-detail", "GET"): R(200, 404, REDIRECT),
    ("web:campaign-edit", "GET"): R(200, 404, REDIRECT),
    ("web:campaign-edit", "POST"): R(400, 404, REDIRECT),
    ("web:campaign-status", "POST"): R(302, 404, REDIRECT),
    ("web:account-list", "GET"): R(200, 200, REDIRECT, lists=True),
    ("web:account-connect", "POST"): R(302, 302, REDIRECT),
    ("web:account-test", "POST"): R(302, 404, REDIRECT),
    ("web:account-sync", "POST"): R(302, 404, REDIRECT),
    ("web:account-schedule", "GET"): R(200, 404, REDIRECT),
    ("web:account-schedule", "POST"): R(302, 404, REDIRECT),  # an empty grid: a schedule without slots
    ("web:account-schedule-buffer", "POST"): R(302, 404, REDIRECT),
    ("web:account-queue-shuffle", "POST"): R(302, 404, REDIRECT),
    ("web:post-queue-top", "POST"): R(302, 404, REDIRECT),  # not in a queue: a message, and back
    ("web:account-buffer-config", "POST"): R(400, 400, REDIRECT),
    ("web:settings", "GET"): R(200, 200, REDIRECT, lists=True),
    ("web:settings-timezone", "POST"): R(400, 400, REDIRECT),
    ("web:settings-app-create", "POST"): R(400, 400, REDIRECT),
    ("web:settings-app-revoke", "POST"): R(302, 404, REDIRECT),
    ("web:settings-webhook-secret", "POST"): R(200, 200, REDIRECT),  # the page showing the new secret once
    ("web:settings-webhook-secret-reveal", "POST"): R(200, 200, REDIRECT),  # each caller's own secret
    ("web:settings-callback-replay", "POST"): R(302, 404, REDIRECT),
    # Workspace pages act in the current workspace: here each user's personal one.
    ("web:workspace", "GET"): R(200, 200, REDIRECT, lists=True),
    ("web:workspace-settings", "POST"): R(400, 400, REDIRECT),
    ("web:workspace-delete", "POST"): R(302, 302, REDIRECT),  # a personal workspace: refused with a message
    ("web:workspace-member-add", "POST"): R(400, 400, REDIRECT),
    ("web:workspace-member-role", "POST"): R(302, 404, REDIRECT),
    ("web:workspace-member-remove", "POST"): R(302, 404, REDIRECT),
    ("web:workspace-invitation-revoke", "POST"): R(302, 404, REDIRECT),
    ("web:workspace-create", "GET"): R(200, 200, REDIRECT),
    ("web:workspace-create", "POST"): R(400, 400, REDIRECT),
    ("web:workspace-switch", "POST"): R(302, 404, REDIRECT, body="switch"),  # to the owner's team workspace
    # The link is the credential: anyone may open it; whoever accepts first uses it up (here the other
    # user, who calls before the owner); anonymous gets the sign-up form back with its errors.
    ("web:invitation-accept", "GET"): R(200, 200, 200),
    ("web:invitation-accept", "POST"): R(404, 302, 400),
    ("web:review-links", "GET"): R(200, 200, REDIRECT),
    ("web:review-links", "POST"): R(400, 400, REDIRECT),
    ("web:review-link-revoke", "POST"): R(302, 404, REDIRECT),
    # The public review page: the token in the URL is the credential, whoever holds it (an empty decision: 400).
    ("web:review-page", "GET"): R(200, 200, 200),
    ("web:review-decision", "POST"): R(400, 400, 400),
    ("web:settings-notifications", "POST"): R(302, 302, REDIRECT),  # nothing ticked: every kind off, saved
    ("web:notifications", "GET"): R(200, 200, REDIRECT, lists=True),
    ("web:notifications-read-all", "POST"): R(302, 302, REDIRECT),
    ("web:notification-open", "POST"): R(302, 404, REDIRECT),
    ("web:notification-mark-read", "POST"): R(302, 404, REDIRECT),
    ("web:settings-audit", "GET"): R(200, 200, REDIRECT),  # each caller's own personal workspace
    # Stored files (MEDIA_SERVE_LOCAL): public, as a bucket's would be (Buffer fetches them); names are random.
    ("web:media-file", "GET"): R(200, 200, 200),
    ("web:media-library", "GET"): R(200, 200, REDIRECT, lists=True),
    ("web:media-edit", "POST"): R(302, 404, REDIRECT),  # an empty alt text: saved
    ("web:media-delete", "POST"): R(302, 404, REDIRECT),
}

# Which of the owner's objects a route's path argument names, by the route's path prefix (longest first).
OBJECT_BY_PREFIX = [
    ("api/v1/workspaces/", "workspace"),
    ("workspace/members/", "personal_membership"),
    ("workspace/invitations/", "personal_invitation"),
    ("invitations/", "invitation_token"),
    ("api/v1/publisher/posts/", "publisher_post"),
    ("api/v1/publisher/channels/", "channel"),
    ("api/v1/publisher/posttypes/", "posttype"),
    ("api/v1/publisher/apps/", "app"),
    ("api/v1/publisher/callbacks/", "callback"),
    ("api/v1/notifications/", "notification"),
    ("api/v1/analytics/sync/", "sync_job"),
    ("api/v1/analytics/", "snapshot"),
    ("api/v1/buffer/config/", "config"),
    ("api/v1/social-accounts/", "account"),
    ("api/v1/campaigns/", "campaign"),
    ("api/v1/post-groups/", "post_group"),
    ("api/v1/posts/imports/", "import_job"),
    ("api/v1/posts/", "post"),
    ("api/v1/media/uploads/", "media_upload"),
    ("api/v1/media/", "media_item"),
    ("media/", "media_file"),
    ("library/", "media_item"),
    ("api/v1/review-links/", "review_link"),
    ("review-links/", "review_link"),
    ("review/", "review_token"),
    ("settings/apps/", "app"),
    ("settings/callbacks/", "callback"),
    ("notifications/", "notification"),
    ("accounts/", "account"),
    ("campaigns/", "campaign"),
    ("posts/imports/", "import_job"),
    ("posts/", "post"),
]


# Routes naming two objects: which object each path argument names.
ARGUMENTS_BY_ROUTE = {
    "workspace-member-detail": {"workspace_id": "workspace", "pk": "membership"},
    "workspace-invitation-detail": {"workspace_id": "workspace", "pk": "invitation"},
}


@dataclass(frozen=True)
class Route:
    key: str
    pattern: str  # the full route, e.g. "api/v1/posts/(?P<pk>[0-9]+)/?$"
    name: str
    methods: tuple[str, ...]  # DRF views: what the view answers; Django views: from MATRIX


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _drf_methods(callback) -> tuple[str, ...] | None:
    cls = getattr(callback, "cls", None)
    if cls is None:
        return None
    actions = getattr(callback, "actions", None)
    if actions:
        methods = actions
    else:
        view = getattr(callback, "view_class", cls)
        methods = [m for m in view.http_method_names if hasattr(view, m)]
    return tuple(sorted(m.upper() for m in methods if m not in IGNORED_METHODS))


def discovered_routes() -> list[Route]:
    routes = []
    for pattern, entry in _walk(get_resolver().url_patterns):
        if pattern.startswith(SKIPPED_PREFIXES):
            continue
        is_api = pattern.lstrip("^").startswith(("api/", "docs"))
        key = f"{'api' if is_api else 'web'}:{entry.name}"
        methods = _drf_methods(entry.callback)
        if methods is None:  # a Django view: the matrix is where its methods are written down
            methods = tuple(sorted(method for (row_key, method) in MATRIX if row_key == key))
        routes.append(Route(key=key, pattern=pattern, name=entry.name, methods=methods))
    return routes


ROUTES = {route.key: route for route in discovered_routes()}
CASES = [(route.key, method) for route in ROUTES.values() for method in route.methods]


def test_every_route_and_method_has_a_row():
    discovered = set(CASES)
    web_without_row = [route.key for route in ROUTES.values() if not route.methods]
    assert not web_without_row, f"web routes without a row in MATRIX: {web_without_row}"
    assert not discovered - MATRIX.keys(), f"routes without a row in MATRIX: {sorted(discovered - MATRIX.keys())}"
    stale = sorted(MATRIX.keys() - discovered)
    assert not stale, f"rows for routes or methods that do not exist: {stale}"
    assert len({route.key for route in ROUTES.values()}) == len(ROUTES), "two routes share a key"


def test_route_discovery_sees_a_new_route(settings):
    """The matrix cannot silently miss a route: one added to the URLconf is discovered."""
    from django.urls import clear_url_caches, path
    from rest_framework.decorators import api_view

    @api_view(["GET", "POST"])
    def unlisted(request):  # pragma: no cover - never called
        raise AssertionError

    module = type("urls", (), {})()
    module.urlpatterns = [path("api/v1/unlisted", unlisted, name="unlisted")]
    settings.ROOT_URLCONF = module
    clear_url_caches()
    try:
        routes = discovered_routes()
    finally:
        clear_url_caches()
    assert [(route.key, route.methods) for route in routes] == [("api:unlisted", ("GET", "POST"))]
    assert ("api:unlisted", "GET") not in MATRIX


def _make_objects(user, *, token: str, marker: str) -> dict:
    from accounts.models import Notification
    from accounts.tests.factories import SocialAccountFactory
    from analytics.models import AnalyticsSyncJob
    from analytics.tests.factories import PostAnalyticsFactory
    from buffer_integration.tests.factories import BufferConfigFactory
    from campaigns.tests.factories import CampaignFactory
    from posts.models import ImportJobStatus, PostComment, PostGroup, PostImportJob, PostStatus, PublishAttempt
    from posts.review_links import review_link_create
    from posts.tests.factories import PostFactory
    from publisher import config_services
    from publisher.defaults import ensure_default_posttypes
    from publisher.models import CallbackDelivery, PostType, PublisherPost

    config = BufferConfigFactory(owner=user, access_token=token, api="v1", buffer_user_id=marker)
    account = SocialAccountFactory(
        owner=user, account_name=f"@{marker}", buffer_profile_id=Sandbox.profile_id(token, "twitter")
    )
    campaign = CampaignFactory.create(owner=user, name=f"{marker} campaign")
    post = PostFactory.create(
        social_account=account, campaign=campaign, content=f"{marker} post", status=PostStatus.DRAFT
    )
    post_group = PostGroup.objects.create(workspace=workspace_personal_for(user), owner=user, content=f"{marker} group")
    PostFactory(social_account=account, group=post_group, content=f"{marker} group", status=PostStatus.DRAFT)
    PublishAttempt.objects.create(post=post, claim_id=uuid.uuid4(), number=1, started_at=timezone.now())
    snapshot = PostAnalyticsFactory(post=post)
    published_post = PostFactory(
        social_account=account, content=f"{marker} sent", status=PostStatus.PUBLISHED, published_at=timezone.now()
    )
    sync_job = AnalyticsSyncJob.objects.create(workspace=workspace_personal_for(user), owner=user)
    ensure_default_posttypes(workspace=workspace_personal_for(user))
    posttype = PostType.objects.in_workspace(workspace_personal_for(user)).filter(is_default=False).first()
    assert posttype is not None
    channel = config_services.channel_create(
        workspace=workspace_personal_for(user), actor=user, name=f"{marker} channel", posttype_ids=[posttype.pk]
    )
    app, _ = config_services.integrator_app_create(
        workspace=workspace_personal_for(user), actor=user, name=f"{marker} app"
    )
    config_services.webhook_secret_rotate(workspace=workspace_personal_for(user), actor=user)
    publisher_post = PublisherPost.objects.create(
        workspace=workspace_personal_for(user), owner=user, public_id=marker, payload={"message": marker}
    )
    review_link, review_token = review_link_create(
        workspace=workspace_personal_for(user),
        actor=user,
        campaign_id=campaign.pk,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    callback = CallbackDelivery.objects.create(
        owner=user,
        workspace_id=publisher_post.workspace_id,
        publisher_post=publisher_post,
        stream="status",
        sequence=1,
        event="status",
        method="PUT",
        url="https://hooks.example.com/status",
        webhook_id=f"msg_{marker}",
        body=json.dumps({"postId": publisher_post.public_id, "postStatus": "QUEUED"}),
    )
    workspace, membership, invitation, invitation_token = _make_workspace_objects(user, marker=marker)
    personal_membership, personal_invitation = _make_personal_workspace_objects(user, marker=marker)
    comment = PostComment.objects.create(post=post, author=user, body=f"{marker} comment")
    import_job = PostImportJob.objects.create(
        workspace=workspace_personal_for(user),
        owner=user,
        filename="posts.csv",
        file_data=f"account,content\n@{marker},{marker} imported\n".encode(),
        dry_run=True,
        status=ImportJobStatus.SUCCEEDED,
        report={"ok": 1},
    )
    media_item, media_upload = _make_media_objects(user, marker=marker)
    media_file = media_item.file.name
    notification = Notification.objects.create(
        recipient=user, workspace=workspace_personal_for(user), kind="mention", text=f"{marker} note", url="/posts/"
    )
    return locals()


def _make_media_objects(user, *, marker: str):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from media_library.models import MediaItem
    from media_library.services import upload_start

    workspace = workspace_personal_for(user)
    item = MediaItem(workspace=workspace, name=f"{marker}.jpg", kind="image", content_type="image/jpeg", size_bytes=3)
    item.file.name = default_storage.save(f"{workspace.pk}/{uuid.uuid4().hex}.jpg", ContentFile(b"\xff\xd8\xff"))
    item.save()
    upload = upload_start(workspace=workspace, actor=user, filename=f"{marker}.mp4", size=100, content_type="video/mp4")
    return item, upload


def _make_workspace_objects(user, *, marker: str):
    from accounts.models import Role
    from accounts.tests.factories import MembershipFactory, UserFactory, WorkspaceFactory
    from accounts.workspaces import member_add

    workspace = WorkspaceFactory(name=f"{marker} workspace")
    owned = MembershipFactory.create(workspace=workspace, user=user, role=Role.OWNER)
    membership = MembershipFactory(workspace=workspace, user=UserFactory(username=f"{marker}-mate"), role=Role.VIEWER)
    added = member_add(membership=owned, user_ref=f"{marker}-invited@example.net", role=Role.VIEWER, link_for=str)
    return workspace, membership, added.invitation, added.url


def _make_personal_workspace_objects(user, *, marker: str):
    from accounts.models import Role
    from accounts.tests.factories import MembershipFactory, UserFactory
    from accounts.workspaces import member_add, membership_for

    personal = workspace_personal_for(user)
    mate = UserFactory(username=f"{marker}-personal-mate")
    personal_membership = MembershipFactory(workspace=personal, user=mate, role=Role.VIEWER)
    owned = membership_for(user=user, workspace_id=personal.pk)
    assert owned is not None
    added = member_add(membership=owned, user_ref=f"{marker}-personal@example.net", role=Role.VIEWER, link_for=str)
    return personal_membership, added.invitation


@pytest.fixture(scope="module")
def matrix_data(django_db_setup, django_db_blocker):
    from accounts.tests.factories import UserFactory

    with django_db_blocker.unblock():
        owner = UserFactory(username="matrix-owner")
        other = UserFactory(username="matrix-other")
        data = {
            "owner": owner,
            "other": other,
            "mine": _make_objects(owner, token="matrix-owner-token", marker=MARKER),
            "theirs": _make_objects(other, token="matrix-other-token", marker="matrix-other"),
        }
        yield data
        owner.delete()
        other.delete()
        # The teammates and team workspaces made for the workspace routes (all named after a marker).
        from accounts.models import User, Workspace

        Workspace.objects.filter(name__startswith="matrix-").delete()
        User.objects.filter(username__startswith="matrix-").delete()


def _url(route: Route, objects: dict) -> str:
    path = route.pattern.replace("^", "").replace("/?$", "").replace("$", "")
    if "(?P<" not in path and "<" not in path:
        return "/" + path
    if route.name in ARGUMENTS_BY_ROUTE:
        for argument, attribute in ARGUMENTS_BY_ROUTE[route.name].items():
            path = re.sub(rf"\(\?P<{argument}>[^)]*\)", str(objects[attribute].pk), path)
        return "/" + path
    attribute = next(name for prefix, name in OBJECT_BY_PREFIX if path.startswith(prefix))
    if attribute == "review_token":  # review/<token>/ and review/<token>/posts/<post id>/
        path = re.sub(r"<(?:\w+:)?token>", objects["review_token"], path)
        return "/" + re.sub(r"<(?:\w+:)?pk>", str(objects["post"].pk), path)
    obj = objects[attribute]
    value = obj if isinstance(obj, str) else obj.public_id if attribute == "publisher_post" else obj.pk
    path = re.sub(r"\(\?P<\w+>[^)]*\)", str(value), path)
    path = re.sub(r"<(?:\w+:)?\w+>", str(value), path)
    return "/" + path


def _body(name: str | None, mine: dict) -> dict | None:
    soon = (timezone.now() + dt.timedelta(days=2)).isoformat()
    post = {"social_account_id": mine["account"].pk, "content": "Matrix post", "scheduled_time": soon}
    bodies = {
        None: None,
        "empty": {},
        "post": post,
        "bulk": {"posts": [post]},
        "preview": {"social_account_id": mine["account"].pk, "content": "Matrix preview"},
        "post_group": {"social_account_ids": [mine["account"].pk], "content": "Matrix group", "scheduled_time": soon},
        "reschedule": {"scheduled_time": soon},
        "reject": {"comment": "Not yet"},
        "comment": {"body": "Looks good @matrix-other"},
        "analytics": {"post_id": mine["published_post"].pk, "views": 10, "likes": 1, "shares": 0, "comments": 0},
        "publisher_post": {"networktargets": [f"nt_{mine['account'].pk}"], "payload": {"message": "Hi"}},
        "channel": {"name": "Matrix channel", "posttype_ids": [mine["posttype"].pk]},
        "posttype": {"social_account_id": mine["account"].pk, "kind": "LINK", "name": "Matrix links"},
        "switch": {"workspace": mine["workspace"].pk},
        "review_link": {"campaign_id": mine["campaign"].pk, "expires_at": soon},
    }
    return bodies[name]


def _call(client, method: str, url: str, body: dict | None, *, api: bool):
    if api:
        return getattr(client, method.lower())(url, body, format="json")
    return getattr(client, method.lower())(url, body or {})


@pytest.mark.parametrize(("key", "method"), CASES, ids=[f"{key} {method}" for key, method in CASES])
def test_matrix(key, method, matrix_data, db, sandbox, client):
    from rest_framework.test import APIClient

    route, row = ROUTES[key], MATRIX[(key, method)]
    api = key.startswith("api:")
    url = _url(route, matrix_data["mine"])
    body = _body(row.body, matrix_data["mine"])

    if api:
        callers = {
            "owner": client_for(matrix_data["owner"]),
            "other": client_for(matrix_data["other"]),
            "anon": APIClient(),
        }
    else:
        from django.test import Client

        callers = {"owner": Client(), "other": Client(), "anon": Client()}
        callers["owner"].force_login(matrix_data["owner"])
        callers["other"].force_login(matrix_data["other"])

    got = {}
    bodies = {}
    # Anonymous and the other user first: the owner's call may change or delete the object.
    for who in ("anon", "other", "owner"):
        response = _call(callers[who], method, url, body, api=api)
        got[who] = response.status_code
        content = b"".join(response.streaming_content) if response.streaming else response.content  # files stream
        bodies[who] = content.decode(errors="replace")
        if who == "anon" and not api and response.status_code == REDIRECT and row.anon == REDIRECT:
            assert response["Location"].startswith("/login/"), response["Location"]
    assert got == {"owner": row.owner, "other": row.other, "anon": row.anon}, f"{method} {url}: {got}"
    if row.lists:
        assert MARKER in bodies["owner"], "the owner's own rows are listed"
        assert MARKER not in bodies["other"], "another user's list shows the owner's rows"
    if api and row.other == 404:
        assert bodies["other"] == '{"detail":"Not found."}'
