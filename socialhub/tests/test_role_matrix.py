"""Role matrix: every route of the URLconf and every method it allows, called by each role of a workspace.

The routes come from `get_resolver()` (the same discovery as `test_authz_matrix`), so a new route or
method without a row in `NEEDS` fails `test_every_route_and_method_says_what_it_needs`. A row names
the weakest role that may use the route (`accounts.roles`), or:

- `PUBLIC` for a route that does not act in a workspace (sign-in, the schema, /me, a user's own timezone,
  the list of their workspaces and making one, switching, an invitation or review link, whose token in the
  URL is the credential): every signed-in caller gets what MATRIX's owner gets, the non-member what its
  other user gets;
- `OWN` for a route about the caller's own things in every workspace (their notifications): the owner gets
  what MATRIX's owner gets, every other caller what its other user gets (the owner's notification is not
  theirs: a 404, and never in their lists).

One workspace (the owner's) holds one set of objects; a manager, an editor, a contributor and a viewer
are members of it, and a non-member is not. API callers name the workspace in `X-Workspace`, the pages'
callers have it chosen in their session (as the switcher does). What each caller gets:

- a role that may: what the owner gets in `test_authz_matrix.MATRIX` (the same call, the same answer);
- a member whose role may not: 403, with a `detail` naming the role needed (API);
- the non-member: 404 on every API route that acts in a workspace (their `X-Workspace` names one they
  are not in, lists included); on the pages their session's stale choice falls back to their own
  workspace, so they are "another user" of `MATRIX` (the owner's objects are 404, lists show none).

Routes in `IN_PATH` name their workspace in the path (`/api/v1/workspaces/{id}...`: MATRIX's team workspace
of the owner, whose members here are the same team with the same roles); `X-Workspace` does not apply to
them, and to the non-member that workspace is an object not theirs: 404 "Not found.", not "Workspace N not
found.". `ANSWERS` lists the few callers whose answer is not the one derived from MATRIX, each with why.

The schema test reads NEEDS too: the operations acting in the header's workspace, and only they, declare
`X-Workspace`; every workspace route documents its 404 and, where a role may be refused, its 403.

Each case runs in its own rolled-back transaction, so a delete by one role does not hide the object
from the next.
"""

from __future__ import annotations

import re

import pytest

from accounts.models import Role
from accounts.scoping import SESSION_KEY
from conftest import client_for
from socialhub.tests.test_authz_matrix import CASES, MARKER, MATRIX, REDIRECT, ROUTES, _body, _call, _make_objects, _url

PUBLIC = "public"
OWN = "own"
V, C, E, M, OWNER = Role.VIEWER, Role.CONTRIBUTOR, Role.EDITOR, Role.MANAGER, Role.OWNER

# (route key, method) -> the weakest role that may, or PUBLIC or OWN.
NEEDS: dict[tuple[str, str], str] = {
    # --- API: no workspace --------------------------------------------------------------------------
    ("api:token-obtain", "POST"): PUBLIC,
    ("api:token-refresh", "POST"): PUBLIC,
    ("api:token-verify", "POST"): PUBLIC,
    ("api:health", "GET"): PUBLIC,
    ("api:schema", "GET"): PUBLIC,
    ("api:swagger-ui", "GET"): PUBLIC,
    ("api:api-not-found", "GET"): PUBLIC,
    ("api:api-not-found", "POST"): PUBLIC,
    ("api:me", "GET"): PUBLIC,
    ("api:me", "PUT"): PUBLIC,
    ("api:me", "PATCH"): PUBLIC,
    # --- API: Buffer configs and social accounts are workspace setup (MANAGE) -------------------------
    ("api:buffer-profiles", "GET"): V,
    ("api:buffer-config-list", "GET"): V,
    ("api:buffer-config-list", "POST"): M,
    ("api:buffer-config-detail", "GET"): V,
    ("api:buffer-config-detail", "PUT"): M,
    ("api:buffer-config-detail", "PATCH"): M,
    ("api:buffer-config-detail", "DELETE"): M,
    ("api:social-account-list", "GET"): V,
    ("api:social-account-list", "POST"): M,
    ("api:social-account-detail", "GET"): V,
    ("api:social-account-detail", "PUT"): M,
    ("api:social-account-detail", "PATCH"): M,
    ("api:social-account-detail", "DELETE"): M,
    ("api:social-account-test-connection", "POST"): M,
    ("api:social-account-sync-buffer", "POST"): M,
    # The posting schedule is account setup (MANAGE); the queue's actions are posts' (EDIT_POSTS)
    ("api:social-account-schedule", "GET"): V,
    ("api:social-account-schedule", "PUT"): M,
    ("api:social-account-queue", "GET"): V,
    ("api:social-account-queue-shuffle", "POST"): C,
    ("api:post-queue", "POST"): C,
    ("api:post-queue-top", "POST"): C,
    # --- API: campaigns (EDIT_CAMPAIGNS) ----------------------------------------------------------------
    ("api:campaign-list", "GET"): V,
    ("api:campaign-list", "POST"): E,
    ("api:campaign-detail", "GET"): V,
    ("api:campaign-detail", "PUT"): E,
    ("api:campaign-detail", "PATCH"): E,
    ("api:campaign-detail", "DELETE"): E,
    ("api:campaign-analytics", "GET"): V,
    ("api:campaign-posts", "GET"): V,
    # --- API: posts (EDIT_POSTS) --------------------------------------------------------------------
    ("api:post-list", "GET"): V,
    ("api:post-list", "POST"): C,
    ("api:post-bulk", "POST"): C,
    ("api:post-calendar", "GET"): V,
    ("api:post-detail", "GET"): V,
    ("api:post-detail", "PUT"): C,
    ("api:post-detail", "PATCH"): C,
    ("api:post-detail", "DELETE"): C,
    ("api:post-attempts", "GET"): V,
    ("api:post-schedule", "POST"): C,
    ("api:post-cancel", "POST"): C,
    ("api:post-reschedule", "POST"): C,
    # Previews write nothing: every member may preview a draft body or a stored post (posts.previews_api).
    ("api:post-preview", "POST"): V,
    ("api:post-stored-preview", "GET"): V,
    ("api:post-group-list", "GET"): V,
    ("api:post-group-list", "POST"): C,
    ("api:post-group-detail", "GET"): V,
    ("api:post-group-detail", "PATCH"): C,
    ("api:post-group-detail", "DELETE"): C,
    ("api:post-import", "POST"): C,
    ("api:post-import-detail", "GET"): V,
    ("api:post-export", "GET"): V,
    ("api:post-occurrences", "GET"): V,
    ("api:post-series-end", "POST"): C,
    # --- API: the media library (uploading and editing: EDIT_POSTS) ------------------------------------
    ("api:media-list", "GET"): V,
    ("api:media-list", "POST"): C,
    ("api:media-detail", "GET"): V,
    ("api:media-detail", "PATCH"): C,
    ("api:media-detail", "DELETE"): C,
    ("api:media-upload-list", "POST"): C,
    ("api:media-upload-detail", "GET"): V,
    ("api:media-upload-detail", "PUT"): C,
    ("api:media-upload-detail", "DELETE"): C,
    ("api:media-upload-complete", "POST"): C,
    # --- API: analytics (a post's numbers: EDIT_POSTS) ----------------------------------------------------
    ("api:analytics-list", "GET"): V,
    ("api:analytics-list", "POST"): C,
    ("api:analytics-detail", "GET"): V,
    ("api:analytics-detail", "PUT"): C,
    ("api:analytics-detail", "PATCH"): C,
    ("api:analytics-detail", "DELETE"): C,
    ("api:analytics-sync-list", "POST"): C,
    ("api:analytics-sync-detail", "GET"): V,
    # --- API: Publisher: posts like posts; its setup is MANAGE; the webhook secret is a credential -------
    ("api:publisher-configs", "GET"): V,
    ("api:publisher-configs-channels", "GET"): V,
    ("api:publisher-configs-posttypes", "GET"): V,
    ("api:publisher-configs-networktargets", "GET"): V,
    ("api:publisher-webhook-secret", "GET"): M,
    ("api:publisher-webhook-secret", "POST"): M,
    ("api:publisher-post-list", "GET"): V,
    ("api:publisher-post-list", "POST"): C,
    ("api:publisher-post-detail", "GET"): V,
    ("api:publisher-post-detail", "DELETE"): C,
    ("api:publisher-post-callbacks", "GET"): V,
    ("api:publisher-channel-list", "GET"): V,
    ("api:publisher-channel-list", "POST"): M,
    ("api:publisher-channel-detail", "GET"): V,
    ("api:publisher-channel-detail", "PUT"): M,
    ("api:publisher-channel-detail", "PATCH"): M,
    ("api:publisher-channel-detail", "DELETE"): M,
    ("api:publisher-posttype-list", "GET"): V,
    ("api:publisher-posttype-list", "POST"): M,
    ("api:publisher-posttype-detail", "GET"): V,
    ("api:publisher-posttype-detail", "PUT"): M,
    ("api:publisher-posttype-detail", "PATCH"): M,
    ("api:publisher-posttype-detail", "DELETE"): M,
    ("api:publisher-app-list", "GET"): V,
    ("api:publisher-app-list", "POST"): M,
    ("api:publisher-app-detail", "GET"): V,
    ("api:publisher-app-detail", "DELETE"): M,
    ("api:publisher-callback-list", "GET"): V,
    ("api:publisher-callback-detail", "GET"): V,
    ("api:publisher-callback-replay", "POST"): M,
    # --- Web UI: every page is for every member; its forms need the role of the API route they mirror ---
    ("web:login", "GET"): PUBLIC,
    ("web:login", "POST"): PUBLIC,
    ("web:logout", "POST"): PUBLIC,
    ("web:calendar", "GET"): V,
    ("web:post-list", "GET"): V,
    ("web:post-create", "GET"): V,
    ("web:post-create", "POST"): C,
    ("web:post-preview", "POST"): V,  # the composer's live previews: nothing is written
    ("web:post-detail", "GET"): V,
    ("web:post-edit", "GET"): V,
    ("web:post-edit", "POST"): C,
    ("web:post-reschedule", "POST"): C,
    ("web:post-cancel", "POST"): C,
    ("web:post-buffer", "POST"): C,
    ("web:post-delete", "POST"): C,
    ("web:post-import", "GET"): V,
    ("web:post-import", "POST"): C,
    ("web:post-import-job", "GET"): V,
    ("web:post-import-run", "POST"): C,
    ("web:post-export", "GET"): V,
    ("web:post-series-end", "POST"): C,
    ("web:recurrence-preview", "GET"): V,
    ("web:campaign-list", "GET"): V,
    ("web:campaign-create", "GET"): V,
    ("web:campaign-create", "POST"): E,
    ("web:campaign-detail", "GET"): V,
    ("web:campaign-edit", "GET"): V,
    ("web:campaign-edit", "POST"): E,
    ("web:campaign-status", "POST"): E,
    ("web:account-list", "GET"): V,
    ("web:account-connect", "POST"): M,
    ("web:account-test", "POST"): M,
    ("web:account-sync", "POST"): M,
    ("web:account-schedule", "GET"): V,
    ("web:account-schedule", "POST"): M,
    ("web:account-schedule-buffer", "POST"): M,
    ("web:account-queue-shuffle", "POST"): C,
    ("web:post-queue-top", "POST"): C,
    ("web:account-buffer-config", "POST"): M,
    ("web:settings", "GET"): V,
    ("web:settings-timezone", "POST"): PUBLIC,  # the caller's own timezone, not the workspace's
    ("web:settings-app-create", "POST"): M,
    ("web:settings-app-revoke", "POST"): M,
    ("web:settings-webhook-secret", "POST"): M,
    ("web:settings-webhook-secret-reveal", "POST"): M,
    ("web:settings-callback-replay", "POST"): M,
    # --- API: workspaces, members, invitations. The list and a new workspace are the caller's own; the
    # rest names its workspace in the path (IN_PATH): members read it and its members, managers change
    # them (the pending invitations, links to join, are a manager's too), only an owner deletes it.
    ("api:workspace-list", "GET"): PUBLIC,
    ("api:workspace-list", "POST"): PUBLIC,
    ("api:workspace-detail", "GET"): V,
    ("api:workspace-detail", "PUT"): M,
    ("api:workspace-detail", "DELETE"): OWNER,
    ("api:workspace-member-list", "GET"): V,
    ("api:workspace-member-list", "POST"): M,
    ("api:workspace-member-detail", "PUT"): M,
    ("api:workspace-member-detail", "DELETE"): M,  # another member (the path's); leaving oneself is anyone's
    ("api:workspace-invitation-list", "GET"): M,
    ("api:workspace-invitation-detail", "DELETE"): M,
    # --- API: approvals (submitting is a post's edit; deciding is APPROVE) and internal comments ------------
    ("api:post-submit", "POST"): C,
    ("api:post-approve", "POST"): M,
    ("api:post-reject", "POST"): M,
    ("api:post-comments", "GET"): V,
    ("api:post-comments", "POST"): C,  # viewers read only, comments included
    # --- API: client review links (APPROVE: whoever has one may approve, so they are a manager's, reads too)
    ("api:review-link-list", "GET"): M,
    ("api:review-link-list", "POST"): M,
    ("api:review-link-detail", "GET"): M,
    ("api:review-link-detail", "DELETE"): M,
    # --- API: notifications are the caller's own (OWN), their choices are per workspace (any member's) ----
    ("api:notification-list", "GET"): OWN,
    ("api:notification-read", "POST"): OWN,
    ("api:notification-read-all", "POST"): OWN,
    ("api:notification-preferences", "GET"): V,
    ("api:notification-preferences", "PUT"): V,
    # --- API: the audit log (MANAGE, a read) --------------------------------------------------------------
    ("api:audit-list", "GET"): M,
    # --- Web UI: approvals, comments -------------------------------------------------------------------
    ("web:approvals", "GET"): V,  # every member sees the queue; the buttons are a manager's
    ("web:post-submit", "POST"): C,
    ("web:post-approve", "POST"): M,
    ("web:post-reject", "POST"): M,
    ("web:post-comment-create", "POST"): C,
    # --- Web UI: the current workspace's page and its forms; a new workspace, switching, an invitation link
    # are the caller's own (switching to one they are not in is a 404: MATRIX's other user) -----------------
    ("web:workspace", "GET"): V,
    ("web:workspace-settings", "POST"): M,
    ("web:workspace-delete", "POST"): OWNER,
    ("web:workspace-member-add", "POST"): M,
    ("web:workspace-member-role", "POST"): M,
    ("web:workspace-member-remove", "POST"): M,  # another member; leaving oneself is anyone's
    ("web:workspace-invitation-revoke", "POST"): M,
    ("web:workspace-create", "GET"): PUBLIC,
    ("web:workspace-create", "POST"): PUBLIC,
    ("web:workspace-switch", "POST"): PUBLIC,
    ("web:invitation-accept", "GET"): PUBLIC,  # the link is the credential
    ("web:invitation-accept", "POST"): PUBLIC,
    # --- Web UI: review links (the managers' page, reading included) and the public review page (the token
    # in its URL is the credential, no account) --------------------------------------------------------------
    ("web:review-links", "GET"): M,
    ("web:review-links", "POST"): M,
    ("web:review-link-revoke", "POST"): M,
    ("web:review-page", "GET"): PUBLIC,
    ("web:review-decision", "POST"): PUBLIC,
    # --- Web UI: notifications (the caller's own), their choices in the current workspace, the audit log ----
    ("web:notifications", "GET"): OWN,
    ("web:notifications-read-all", "POST"): OWN,
    ("web:notification-open", "POST"): OWN,
    ("web:notification-mark-read", "POST"): OWN,
    ("web:settings-notifications", "POST"): V,
    ("web:settings-audit", "GET"): M,
    ("web:media-file", "GET"): PUBLIC,  # stored files: public, as a bucket's (Buffer fetches them)
    ("web:media-library", "GET"): V,
    ("web:media-edit", "POST"): C,
    ("web:media-delete", "POST"): C,
}

# Routes whose path names the workspace (the owner's team workspace of MATRIX, whose members here are the
# team's, with the same roles): the `X-Workspace` header does not apply, and for the non-member that
# workspace is an object that is not theirs (404 "Not found.", as any other user's object).
IN_PATH = {
    "api:workspace-detail",
    "api:workspace-member-list",
    "api:workspace-member-detail",
    "api:workspace-invitation-list",
    "api:workspace-invitation-detail",
}

# Where a caller's answer is not the one `_expected` derives from MATRIX, each with its reason.
ANSWERS: dict[tuple[str, str, str], int] = {
    # A contributor's posts always need approval: handing the owner's draft (never approved) to Buffer is
    # refused by the post's state, past the role check (a 409 saying to submit it: the API asks by /submit;
    # an approved post the contributor may hand over).
    ("api:post-schedule", "POST", "contributor"): 409,
    # Each case here is the link's first use: whoever is signed in accepts it (a member keeps their role)
    # and is sent on to the workspace. In MATRIX the owner calls second, after the other user used it up.
    **{("web:invitation-accept", "POST", who): REDIRECT for who in ("owner", *(role.value for role in (M, E, C, V)))},
}

ROLES = ["owner", "manager", "editor", "contributor", "viewer", "non-member"]
_RANK = {Role.OWNER: 5, Role.MANAGER: 4, Role.EDITOR: 3, Role.CONTRIBUTOR: 2, Role.VIEWER: 1}


def test_every_route_and_method_says_what_it_needs():
    discovered = set(CASES)
    assert not discovered - NEEDS.keys(), f"routes without a row in NEEDS: {sorted(discovered - NEEDS.keys())}"
    assert not NEEDS.keys() - discovered, f"rows for routes that do not exist: {sorted(NEEDS.keys() - discovered)}"


@pytest.fixture(scope="module")
def team(django_db_setup, django_db_blocker):
    from accounts.tests.factories import MembershipFactory, UserFactory
    from accounts.workspaces import workspace_personal_for

    with django_db_blocker.unblock():
        owner = UserFactory(username="role-owner")
        workspace = workspace_personal_for(owner)
        users = {"owner": owner}
        for role in (Role.MANAGER, Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER):
            users[role.value] = MembershipFactory(
                workspace=workspace, role=role, user=UserFactory(username=f"role-{role.value}")
            ).user
        users["non-member"] = UserFactory(username="role-outsider")
        objects = _make_objects(owner, token="role-owner-token", marker=MARKER)
        # The routes naming a workspace in their path name MATRIX's team workspace of the owner: the same
        # team is its members, with the same roles.
        for role in (Role.MANAGER, Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER):
            MembershipFactory(workspace=objects["workspace"], role=role, user=users[role.value])
        yield {"workspace": workspace, "users": users, "objects": objects}
        for user in users.values():
            user.delete()
        # What _make_objects made besides: the team workspace and the teammates (named after the marker).
        from accounts.models import User, Workspace

        Workspace.objects.filter(name__startswith="matrix-").delete()
        User.objects.filter(username__startswith="matrix-").delete()


def _expected(key: str, method: str, who: str) -> int:
    if (key, method, who) in ANSWERS:
        return ANSWERS[(key, method, who)]
    row, needs = MATRIX[(key, method)], NEEDS[(key, method)]
    if needs == PUBLIC:
        return row.owner if who != "non-member" else row.other
    if needs == OWN:
        return row.owner if who == "owner" else row.other
    if who == "non-member":
        return 404 if key.startswith("api:") else row.other
    role = Role.OWNER if who == "owner" else Role(who)
    return row.owner if _RANK[role] >= _RANK[Role(needs)] else 403


def _sees_the_owners_rows(key: str, method: str, who: str) -> bool:
    """Whether the caller's list shows the owner's rows (MARKER): every member's does, but of the
    caller's own things (OWN) only the owner's; the non-member's never does."""
    if who == "non-member":
        return False
    return NEEDS[(key, method)] != OWN or who == "owner"


ROLE_CASES = [(key, method, who) for key, method in CASES for who in ROLES]


@pytest.mark.parametrize(
    ("key", "method", "who"), ROLE_CASES, ids=[f"{key} {method} {who}" for key, method, who in ROLE_CASES]
)
def test_role_matrix(key, method, who, team, db, sandbox):
    from django.test import Client

    route, user = ROUTES[key], team["users"][who]
    api = key.startswith("api:")
    url = _url(route, team["objects"])
    body = _body(MATRIX[(key, method)].body, team["objects"])
    if api:
        client = client_for(user)
        client.credentials(
            HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_X_WORKSPACE=str(team["workspace"].pk)
        )
    else:
        client = Client()
        client.force_login(user)
        session = client.session
        session[SESSION_KEY] = team["workspace"].pk
        session.save()
    response = _call(client, method, url, body, api=api)
    expected = _expected(key, method, who)
    assert response.status_code == expected, f"{who} {method} {url}: {response.status_code} {response.content[:300]!r}"
    if expected == 403 and api:
        needs = Role(NEEDS[(key, method)]).label.lower()
        assert f"needs the {needs} role" in response.json()["detail"], response.json()
    if api and who == "non-member" and expected == 404 and NEEDS[(key, method)] not in (PUBLIC, OWN):
        # Named by the header: that workspace is not found; named by the path: it is another user's object.
        detail = "Not found." if key in IN_PATH else f"Workspace {team['workspace'].pk} not found."
        assert response.json()["detail"] == detail
    if MATRIX[(key, method)].lists and expected == 200:
        if _sees_the_owners_rows(key, method, who):
            assert MARKER in response.content.decode(), "every member sees the workspace's rows"
        elif NEEDS[(key, method)] == OWN:  # (a page's switcher names the team workspace, MARKER in its name)
            assert f"{MARKER} note" not in response.content.decode(), "the owner's notification is theirs only"
    if not api and expected == REDIRECT and NEEDS[(key, method)] != PUBLIC:
        assert not response["Location"].startswith("/login/"), "a signed-in member is never sent to sign in"


def _member(role: Role):
    from accounts.tests.factories import MembershipFactory, SocialAccountFactory
    from posts.tests.factories import PostFactory

    membership = MembershipFactory(role=role)
    creator = MembershipFactory(workspace=membership.workspace, role=Role.OWNER).user
    post = PostFactory(social_account=SocialAccountFactory(owner=creator, workspace=membership.workspace))
    return membership, post


def _page_client(membership):
    from django.test import Client

    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.workspace_id
    session.save()
    return client


@pytest.mark.django_db
def test_a_page_refusal_names_the_role_needed_and_changes_nothing():
    membership, post = _member(Role.VIEWER)
    client = _page_client(membership)
    response = client.post(f"/posts/{post.pk}/delete/")
    assert response.status_code == 403
    assert "needs the contributor role or higher in this workspace; you are a viewer" in response.content.decode()
    assert type(post).objects.filter(pk=post.pk).exists()
    # The calendar's drag and drop asks for JSON: it gets the same refusal as JSON.
    response = client.post(f"/posts/{post.pk}/reschedule/", {}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403 and "contributor role" in response.json()["error"]


@pytest.mark.django_db
def test_pages_show_the_chosen_workspace_and_honour_the_header():
    from accounts.tests.factories import UserFactory

    membership, post = _member(Role.VIEWER)
    client = _page_client(membership)
    assert post.content in client.get("/posts/").content.decode()  # the switcher's workspace, not the personal one
    assert client.get(f"/posts/{post.pk}/").status_code == 200
    outsider = UserFactory()
    from django.test import Client

    stranger = Client()
    stranger.force_login(outsider)
    response = stranger.get("/posts/", HTTP_X_WORKSPACE=str(membership.workspace_id))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_bad_workspace_header_is_400_and_a_method_the_route_lacks_is_405():
    membership, _post = _member(Role.EDITOR)
    api = client_for(membership.user)
    assert api.get("/api/v1/posts", HTTP_X_WORKSPACE="").status_code == 400
    assert api.get("/api/v1/posts", HTTP_X_WORKSPACE="acme").status_code == 400
    assert api.get("/api/v1/posts", HTTP_X_WORKSPACE=str(membership.workspace_id)).status_code == 200
    assert api.generic("TRACE", "/api/v1/posts", HTTP_X_WORKSPACE="0").status_code == 405


def test_the_schema_documents_the_header_and_the_answers_on_every_workspace_route():
    """Each operation of the schema is found in NEEDS by its route: one that acts in the header's workspace
    declares `X-Workspace` with its 400 and 404 (and no other does); every workspace route documents the 404 of
    a workspace or object not the caller's, and the 403 wherever a role may be refused (writes, and the reads
    that need more than a viewer)."""
    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    checked = set()
    for path, operations in schema["paths"].items():
        key = f"api:{resolve(re.sub(r'{[^}]+}', '1', path)).url_name}"
        for method, operation in operations.items():
            needs = NEEDS[(key, method.upper())]
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            answers = set(operation["responses"])
            in_workspace = needs not in (PUBLIC, OWN)
            by_header = in_workspace and key not in IN_PATH
            assert ("X-Workspace" in names) is by_header, (method, path)
            if by_header:
                assert {"400", "404"} <= answers, (method, path)
            if in_workspace:
                assert "404" in answers, (method, path)
                if method != "get" or _RANK[Role(needs)] > _RANK[V]:
                    assert "403" in answers, (method, path)
            checked.add((key, method.upper()))
    api_cases = {case for case in CASES if case[0].startswith("api:")}
    # The schema and its UI are not in the schema, nor the JSON 404 of any other path.
    undocumented = {
        ("api:schema", "GET"),
        ("api:swagger-ui", "GET"),
        *(("api:api-not-found", m) for m in ("GET", "POST")),
    }
    assert checked == api_cases - undocumented


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "shows_post"), [(Role.CONTRIBUTOR, True), (Role.VIEWER, False)])
def test_options_shows_the_writes_the_callers_role_allows(role, shows_post):
    membership, _post = _member(role)
    api = client_for(membership.user)
    response = api.options("/api/v1/posts", HTTP_X_WORKSPACE=str(membership.workspace_id))
    assert response.status_code == 200
    assert ("POST" in response.json().get("actions", {})) is shows_post
