"""`/api/v1/review-links`: managers and owners only, one workspace's links, the URL shown once, revoking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role
from conftest import client_for
from posts.models import ReviewAction, ReviewLink
from posts.review_links import review_link_record_use, review_link_revoke, token_fingerprint

pytestmark = pytest.mark.django_db
URL = "/api/v1/review-links"


def _as(review_team, role):
    client = client_for(review_team.members[role])
    client.credentials(
        HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_X_WORKSPACE=str(review_team.workspace.pk)
    )
    return client


def _expiry(days=7):
    return (timezone.now() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def manager(review_team):
    return _as(review_team, Role.MANAGER)


class TestCreate:
    def test_a_manager_makes_a_campaign_link_and_gets_its_url_once(self, review_team, manager):
        response = manager.post(URL, {"campaign_id": review_team.campaign.pk, "expires_at": _expiry()}, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["campaign_id"] == review_team.campaign.pk and body["state"] == "active"
        assert body["created_by"] == review_team.members[Role.MANAGER].username
        assert body["url"].startswith("http://testserver/review/")
        token = body["url"].rstrip("/").rsplit("/", 1)[-1]
        assert ReviewLink.objects.get(pk=body["id"]).token_hash == token_fingerprint(token)
        # Never again: neither the list nor the link's own page has it.
        assert token not in manager.get(URL).content.decode()
        detail = manager.get(f"{URL}/{body['id']}")
        assert "url" not in detail.json() and token not in detail.content.decode()

    def test_a_range_link(self, review_team, manager):
        given = {"start_date": "2031-05-01", "end_date": "2031-05-31", "expires_at": _expiry()}
        body = manager.post(URL, given, format="json").json()
        assert (body["campaign_id"], body["start_date"], body["end_date"]) == (None, "2031-05-01", "2031-05-31")

    @pytest.mark.parametrize(
        ("given", "field"),
        [
            ({"expires_at": "later"}, "expires_at"),
            ({"start_date": "2031-05-01", "end_date": "2031-05-31", "expires_at": "MISSING"}, "expires_at"),
            ({"campaign_id": None}, "campaign_id"),
            ({}, "campaign_id"),
            ({"campaign_id": "1"}, "campaign_id"),
            ({"campaign_id": 0}, "campaign_id"),
            ({"start_date": "2031-05-01"}, "end_date"),
            ({"start_date": "2031-05-02", "end_date": "2031-05-01"}, "end_date"),
            ({"start_date": "2031-05-01T00:00", "end_date": "2031-05-02"}, "start_date"),
        ],
    )
    def test_bad_input_is_400_by_field(self, review_team, manager, given, field):
        given = {"expires_at": _expiry(), **given}
        if given["expires_at"] == "MISSING":
            del given["expires_at"]
        response = manager.post(URL, given, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()["errors"]
        assert not ReviewLink.objects.exists()

    def test_campaign_and_range_together_is_400(self, review_team, manager):
        given = {"campaign_id": review_team.campaign.pk, "start_date": "2031-05-01", "end_date": "2031-05-02"}
        response = manager.post(URL, {**given, "expires_at": _expiry()}, format="json")
        assert response.status_code == 400 and "campaign_id" in response.json()["errors"]

    @pytest.mark.parametrize("days", [-1, 91])
    def test_expiry_in_the_past_or_beyond_90_days_is_400(self, review_team, manager, days):
        response = manager.post(
            URL, {"campaign_id": review_team.campaign.pk, "expires_at": _expiry(days)}, format="json"
        )
        assert response.status_code == 400 and "expires_at" in response.json()["errors"]

    def test_another_workspaces_campaign_is_a_400_that_reveals_nothing(self, review_team, manager):
        rival = review_team.extra["rival_campaign"].pk
        unknown = manager.post(URL, {"campaign_id": 10**12, "expires_at": _expiry()}, format="json")
        theirs = manager.post(URL, {"campaign_id": rival, "expires_at": _expiry()}, format="json")
        assert theirs.status_code == unknown.status_code == 400
        assert (
            theirs.json()
            == unknown.json()
            == {
                "detail": "campaign_id: No such campaign in this workspace.",
                "errors": {"campaign_id": ["No such campaign in this workspace."]},
            }
        )

    def test_naive_expiry_is_read_in_the_callers_timezone(self, review_team, manager):
        user = review_team.members[Role.MANAGER]
        user.timezone = "Asia/Tokyo"
        user.save(update_fields=["timezone"])
        local = (timezone.now() + dt.timedelta(days=3)).astimezone(dt.timezone(dt.timedelta(hours=9)))
        naive = local.replace(tzinfo=None, microsecond=0).isoformat()
        body = manager.post(URL, {"campaign_id": review_team.campaign.pk, "expires_at": naive}, format="json").json()
        assert dt.datetime.fromisoformat(body["expires_at"]) == local.replace(microsecond=0)


class TestRoles:
    @pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER])
    def test_managers_and_owners_may(self, review_team, role):
        client = _as(review_team, role)
        assert (
            client.post(
                URL, {"campaign_id": review_team.campaign.pk, "expires_at": _expiry()}, format="json"
            ).status_code
            == 201
        )
        link = ReviewLink.objects.get()
        assert client.get(URL).status_code == 200
        assert client.get(f"{URL}/{link.pk}").status_code == 200
        assert client.delete(f"{URL}/{link.pk}").status_code == 204

    @pytest.mark.parametrize("role", [Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER])
    def test_other_members_get_403_naming_the_role(self, review_team, role):
        link, _ = review_team.link()
        client = _as(review_team, role)
        calls = [
            client.post(URL, {"campaign_id": review_team.campaign.pk, "expires_at": _expiry()}, format="json"),
            client.get(URL),
            client.get(f"{URL}/{link.pk}"),
            client.delete(f"{URL}/{link.pk}"),
        ]
        for response in calls:
            assert response.status_code == 403, response.content
            assert "manager role or higher" in response.json()["detail"]
        assert ReviewLink.objects.count() == 1 and ReviewLink.objects.get().revoked_at is None

    def test_a_non_member_naming_the_workspace_gets_404(self, review_team):
        client = client_for(review_team.outsider)
        client.credentials(
            HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_X_WORKSPACE=str(review_team.workspace.pk)
        )
        assert client.get(URL).status_code == 404

    def test_anonymous_is_401(self, review_team):
        from rest_framework.test import APIClient

        assert APIClient().get(URL).status_code == 401

    def test_another_workspaces_link_is_404(self, review_team):
        link, _ = review_team.link()
        rival = client_for(review_team.outsider)  # in their personal workspace
        for response in (rival.get(f"{URL}/{link.pk}"), rival.delete(f"{URL}/{link.pk}")):
            assert response.status_code == 404
            assert response.json() == {"detail": "Not found."}
        assert rival.get(URL).json() == []
        # ... and from the workspace they do manage (they own "Rival"): still not theirs.
        rival_workspace = review_team.other_workspace_post.workspace
        rival.credentials(
            HTTP_AUTHORIZATION=rival._credentials["HTTP_AUTHORIZATION"], HTTP_X_WORKSPACE=str(rival_workspace.pk)
        )
        assert rival.get(f"{URL}/{link.pk}").status_code == 404
        assert rival.delete(f"{URL}/{link.pk}").status_code == 404
        assert rival.get(URL).json() == []
        assert ReviewLink.objects.get().revoked_at is None


class TestReadAndRevoke:
    def test_list_is_the_workspaces_links_newest_first_with_use_counts(self, review_team, manager):
        first, _ = review_team.link()
        second, _ = review_team.link(start_date=dt.date(2031, 5, 1), end_date=dt.date(2031, 5, 3))
        review_link_record_use(link=first, action=ReviewAction.VIEWED, client_ip="203.0.113.9")
        review_link_record_use(link=first, action=ReviewAction.VIEWED, client_ip="203.0.113.9")
        response = manager.get(URL)
        assert response["X-Total-Count"] == "2"
        rows = response.json()
        assert [row["id"] for row in rows] == [second.pk, first.pk]
        assert [row["use_count"] for row in rows] == [0, 2]
        assert rows[1]["last_used_at"] is not None and rows[0]["last_used_at"] is None

    def test_list_pages_with_skip_and_limit(self, review_team, manager):
        for _ in range(3):
            review_team.link()
        response = manager.get(URL, {"skip": 1, "limit": 1})
        assert len(response.json()) == 1 and response["X-Total-Count"] == "3" and 'rel="next"' in response["Link"]
        assert manager.get(URL, {"limit": 0}).status_code == 400

    def test_list_queries_do_not_grow_with_links(self, review_team, manager, django_assert_num_queries):
        review_team.link()
        manager.get(URL)  # warm: the personal workspace of the caller and other first-time rows
        # the caller (JWT), their membership with the workspace, the count, the page with creators,
        # campaigns and use counts
        with django_assert_num_queries(4):
            assert len(manager.get(URL).json()) == 1
        for _ in range(5):
            link, _ = review_team.link()
            review_link_record_use(link=link, action=ReviewAction.VIEWED, client_ip="203.0.113.9")
        with django_assert_num_queries(4):
            assert len(manager.get(URL).json()) == 6

    def test_detail_lists_the_uses_newest_first(self, review_team, manager):
        link, _ = review_team.link()
        post = review_team.in_campaign[0]
        review_link_record_use(link=link, action=ReviewAction.VIEWED, client_ip="203.0.113.9")
        review_link_record_use(
            link=link,
            action=ReviewAction.CHANGES_REQUESTED,
            client_ip="2001:db8::1",
            post=post,
            reviewer_name="Clara Client",
            comment="Less exclamation marks",
        )
        uses = manager.get(f"{URL}/{link.pk}").json()["uses"]
        assert [use["action"] for use in uses] == ["changes_requested", "viewed"]
        assert uses[0] | {"id": 0, "at": ""} == {
            "id": 0,
            "at": "",
            "action": "changes_requested",
            "post_id": post.pk,
            "reviewer_name": "Clara Client",
            "comment": "Less exclamation marks",
            "client_ip": "2001:db8::1",
        }

    def test_delete_revokes_and_keeps_the_log(self, review_team, manager):
        link, _ = review_team.link()
        review_link_record_use(link=link, action=ReviewAction.VIEWED, client_ip="203.0.113.9")
        assert manager.delete(f"{URL}/{link.pk}").status_code == 204
        body = manager.get(f"{URL}/{link.pk}").json()
        assert body["state"] == "revoked" and body["revoked_at"] and len(body["uses"]) == 1
        assert manager.delete(f"{URL}/{link.pk}").status_code == 204  # again: nothing changes
        assert manager.get(f"{URL}/{link.pk}").json()["revoked_at"] == body["revoked_at"]

    def test_an_expired_link_says_so(self, review_team, manager):
        link, _ = review_team.link()
        ReviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        assert manager.get(f"{URL}/{link.pk}").json()["state"] == "expired"
        review_link_revoke(link=link)
        assert manager.get(f"{URL}/{link.pk}").json()["state"] == "revoked"


def test_the_schema_documents_the_routes_with_their_errors(client):
    schema = client.get("/api/schema", HTTP_ACCEPT="application/json").json()
    collection = schema["paths"]["/api/v1/review-links"]
    item = schema["paths"]["/api/v1/review-links/{id}"]
    assert {"400", "401", "403", "429"} <= collection["post"]["responses"].keys()
    assert {"400", "401", "403"} <= collection["get"]["responses"].keys()
    for method in ("get", "delete"):
        assert {"401", "403", "404"} <= item[method]["responses"].keys()
    created = collection["post"]["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert "url" in schema["components"]["schemas"][created.rsplit("/", 1)[-1]]["properties"]
    assert "put" not in item and "patch" not in item
