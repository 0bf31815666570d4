"""Campaigns API (seed endpoints 24-28) over HTTP."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from campaigns.models import Campaign
from campaigns.tests.factories import CampaignFactory
from posts.models import Post
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

SEED = {
    "name": "Summer Campaign 2025",
    "description": "Summer promotion",
    "start_date": "2025-06-01",
    "end_date": "2025-08-31",
    "status": "active",
}


def _create(api, **overrides):
    return api.post("/api/v1/campaigns", {**SEED, **overrides}, format="json")


class TestCrud:
    def test_create_seed_example(self, api, owner):
        response = _create(api)
        assert response.status_code == 201
        body = response.json()
        assert {key: body[key] for key in SEED} == SEED
        assert {"id", "created_at", "updated_at"} <= set(body)
        assert Campaign.objects.get(pk=body["id"]).owner == owner

    def test_only_name_is_required(self, api):
        response = api.post("/api/v1/campaigns", {"name": "Evergreen"}, format="json")
        assert response.status_code == 201
        body = response.json()
        assert body["start_date"] is None and body["end_date"] is None
        assert body["status"] == "active" and body["description"] == ""

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"name": ""}, "name"),
            ({"name": None}, "name"),
            ({"name": "x" * 201}, "name"),
            ({"status": "archived"}, "status"),
            ({"start_date": "2025-13-01"}, "start_date"),
            ({"end_date": "soon"}, "end_date"),
            ({"end_date": "2025-05-31"}, "end_date"),  # before start_date
        ],
    )
    def test_invalid_fields_are_400_naming_the_field(self, api, overrides, field):
        response = _create(api, **overrides)
        assert response.status_code == 400
        assert field in response.json()["errors"]
        assert response.json()["detail"]
        assert not Campaign.objects.exists()

    def test_same_day_campaign_is_fine(self, api):
        assert _create(api, end_date="2025-06-01").status_code == 201

    def test_get_put_patch_delete(self, api):
        campaign_id = _create(api).json()["id"]
        url = f"/api/v1/campaigns/{campaign_id}"
        assert api.get(url).json()["name"] == SEED["name"]

        replaced = api.put(url, {**SEED, "name": "Autumn", "status": "paused"}, format="json")
        assert replaced.status_code == 200
        assert replaced.json()["name"] == "Autumn" and replaced.json()["status"] == "paused"

        patched = api.patch(url, {"status": "completed"}, format="json")
        assert patched.status_code == 200 and patched.json()["status"] == "completed"

        assert api.delete(url).status_code == 204
        assert api.get(url).status_code == 404

    def test_put_keeps_omitted_fields_like_every_resource(self, api):
        created = _create(api).json()
        response = api.put(f"/api/v1/campaigns/{created['id']}", {"status": "paused"}, format="json")
        assert response.status_code == 200
        assert response.json()["name"] == created["name"] and response.json()["status"] == "paused"

    def test_put_with_blank_name_is_400(self, api):
        campaign_id = _create(api).json()["id"]
        response = api.put(f"/api/v1/campaigns/{campaign_id}", {"name": ""}, format="json")
        assert response.status_code == 400
        assert "name" in response.json()["errors"]

    def test_patch_one_date_is_checked_against_the_stored_other(self, api):
        campaign_id = _create(api).json()["id"]
        response = api.patch(f"/api/v1/campaigns/{campaign_id}", {"end_date": "2025-01-01"}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["end_date"]
        response = api.patch(f"/api/v1/campaigns/{campaign_id}", {"start_date": "2025-09-01"}, format="json")
        assert response.status_code == 400
        assert Campaign.objects.get(pk=campaign_id).start_date.isoformat() == SEED["start_date"]

    def test_delete_keeps_the_posts(self, api, owner):
        campaign = CampaignFactory(owner=owner)
        post = PostFactory(social_account=SocialAccountFactory(owner=owner), campaign=campaign)
        assert api.delete(f"/api/v1/campaigns/{campaign.pk}").status_code == 204
        post.refresh_from_db()
        assert post.campaign_id is None


class TestList:
    def test_status_filter(self, api, owner):
        active = CampaignFactory(owner=owner, status="active")
        CampaignFactory(owner=owner, status="paused")
        response = api.get("/api/v1/campaigns?status=active")
        assert [c["id"] for c in response.json()] == [active.pk]
        assert response["X-Total-Count"] == "1"

    def test_bad_status_filter_is_400(self, api):
        response = api.get("/api/v1/campaigns?status=archived")
        assert response.status_code == 400
        assert "status" in response.json()["errors"]

    def test_pagination(self, api, owner):
        CampaignFactory.create_batch(5, owner=owner)
        response = api.get("/api/v1/campaigns?skip=1&limit=2")
        assert len(response.json()) == 2
        assert response["X-Total-Count"] == "5" and 'rel="next"' in response["Link"]

    @pytest.mark.parametrize("size", [1, 30])
    def test_query_count_is_constant(self, api, owner, size, django_assert_num_queries):
        CampaignFactory.create_batch(size, owner=owner)
        # user (JWT) + count + page
        with django_assert_num_queries(4):  # + the caller's membership, once per request
            assert len(api.get("/api/v1/campaigns?limit=100").json()) == size


class TestCampaignPosts:
    """GET /campaigns/{id}/posts (seed endpoint 30): paginated and filtered like GET /posts."""

    @pytest.fixture
    def campaign(self, owner):
        return CampaignFactory(owner=owner)

    def test_lists_only_the_campaigns_posts_paginated(self, api, owner, outsider, campaign):
        account = SocialAccountFactory(owner=owner)
        posts = PostFactory.create_batch(3, social_account=account, campaign=campaign)
        PostFactory(social_account=account)  # no campaign
        PostFactory(social_account=account, campaign=CampaignFactory(owner=owner))
        PostFactory(social_account=SocialAccountFactory(owner=outsider), campaign=campaign)  # stray: not shown

        response = api.get(f"/api/v1/campaigns/{campaign.pk}/posts?limit=2")
        assert response.status_code == 200
        assert [p["id"] for p in response.json()] == [p.pk for p in posts[:2]]
        assert response["X-Total-Count"] == "3" and 'rel="next"' in response["Link"]
        assert {"content", "status", "scheduled_time", "campaign_id"} <= set(response.json()[0])

    def test_post_filters_apply(self, api, owner, campaign):
        account = SocialAccountFactory(owner=owner)
        draft = PostFactory(social_account=account, campaign=campaign, status="draft")
        PostFactory(social_account=account, campaign=campaign, status="scheduled")
        response = api.get(f"/api/v1/campaigns/{campaign.pk}/posts?status=draft")
        assert [p["id"] for p in response.json()] == [draft.pk]

    @pytest.mark.parametrize("query, field", [("status=lost", "status"), ("limit=0", "limit")])
    def test_bad_query_is_400(self, api, campaign, query, field):
        response = api.get(f"/api/v1/campaigns/{campaign.pk}/posts?{query}")
        assert response.status_code == 400 and field in response.json()["errors"]

    def test_unknown_campaign_is_404(self, api):
        assert api.get("/api/v1/campaigns/999999/posts").status_code == 404

    @pytest.mark.parametrize("size", [1, 30])
    def test_query_count_is_constant(self, api, owner, campaign, size, django_assert_num_queries):
        PostFactory.create_batch(size, social_account=SocialAccountFactory(owner=owner), campaign=campaign)
        # user (JWT) + campaign + count + page + the page's library items (media_ids)
        with django_assert_num_queries(6):  # + the caller's membership, once per request
            assert len(api.get(f"/api/v1/campaigns/{campaign.pk}/posts?limit=100").json()) == size


class TestIsolation:
    """Another user's campaign is indistinguishable from one that does not exist."""

    @pytest.mark.parametrize(
        "method, suffix",
        [("get", ""), ("put", ""), ("patch", ""), ("delete", ""), ("get", "/analytics"), ("get", "/posts")],
    )
    def test_other_users_campaign_is_404(self, outsider_api, owner, method, suffix):
        campaign = CampaignFactory(owner=owner)
        response = getattr(outsider_api, method)(f"/api/v1/campaigns/{campaign.pk}{suffix}", SEED, format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
        assert Campaign.objects.get(pk=campaign.pk).name == campaign.name

    def test_list_shows_only_own_campaigns(self, api, owner, outsider):
        mine = CampaignFactory(owner=owner)
        CampaignFactory(owner=outsider)
        assert [c["id"] for c in api.get("/api/v1/campaigns").json()] == [mine.pk]

    def test_owner_cannot_be_set_through_the_api(self, api, owner, outsider):
        response = _create(api, owner=outsider.pk)
        assert Campaign.objects.get(pk=response.json()["id"]).owner == owner

    def test_unauthenticated_is_401(self, client):
        assert client.get("/api/v1/campaigns").status_code == 401

    def test_post_count_untouched_by_outsider_delete_attempt(self, outsider_api, owner):
        campaign = CampaignFactory(owner=owner)
        PostFactory(social_account=SocialAccountFactory(owner=owner), campaign=campaign)
        outsider_api.delete(f"/api/v1/campaigns/{campaign.pk}")
        assert Post.objects.filter(campaign=campaign).count() == 1


@pytest.mark.parametrize(
    "path, method, codes",
    [
        ("/api/v1/campaigns", "get", {"200", "400", "401", "404", "429"}),
        ("/api/v1/campaigns", "post", {"201", "400", "401", "403", "404", "413", "415", "429"}),
        ("/api/v1/campaigns/{id}", "get", {"200", "400", "401", "404", "429"}),
        ("/api/v1/campaigns/{id}", "put", {"200", "400", "401", "403", "404", "413", "415", "429"}),
        ("/api/v1/campaigns/{id}", "patch", {"200", "400", "401", "403", "404", "413", "415", "429"}),
        ("/api/v1/campaigns/{id}", "delete", {"204", "400", "401", "403", "404", "429"}),
        ("/api/v1/campaigns/{id}/analytics", "get", {"200", "400", "401", "404", "429"}),
        ("/api/v1/campaigns/{id}/posts", "get", {"200", "400", "401", "404", "429"}),
    ],
)
def test_openapi_documents_every_route_and_its_errors(client, path, method, codes):
    # Every route acts in a workspace: 400 (an X-Workspace that is no id) and 404 (one the caller is not
    # in) everywhere, 403 (the role does not allow it) on writes.
    operation = client.get("/api/schema", HTTP_ACCEPT="application/json").json()["paths"][path][method]
    assert set(operation["responses"]) == codes
    assert operation["summary"]
