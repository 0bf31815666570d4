"""Analytics API (seed endpoints 18-22) over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from analytics.models import PostAnalytics
from analytics.tests.factories import PostAnalyticsFactory
from campaigns.tests.factories import CampaignFactory
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(owner):
    return PostFactory(social_account=SocialAccountFactory(owner=owner), status="published")


@pytest.fixture
def foreign_post(outsider):
    return PostFactory(social_account=SocialAccountFactory(owner=outsider), status="published")


def _seed(post, **overrides):
    return {"post_id": post.pk, "views": 1000, "likes": 50, "shares": 10, "comments": 5, **overrides}


class TestRecord:
    def test_seed_example(self, api, post):
        response = api.post("/api/v1/analytics", _seed(post, engagement_rate=6.5), format="json")
        assert response.status_code == 201
        body = response.json()
        assert body["engagement_rate"] == 6.5
        assert (body["post_id"], body["platform"], body["source"], body["clicks"]) == (
            post.pk,
            "twitter",
            "manual",
            None,
        )
        assert body["recorded_at"] and {"id", "campaign_id", "created_at", "updated_at"} <= set(body)

    def test_rate_is_computed_when_omitted(self, api, post):
        response = api.post("/api/v1/analytics", _seed(post, likes=1, shares=0, comments=0, views=3), format="json")
        assert response.json()["engagement_rate"] == 33.33

    @pytest.mark.parametrize("given", [6.49, 6.51, 6.5049])
    def test_rate_within_a_cent_is_accepted_and_stored_as_computed(self, api, post, given):
        response = api.post("/api/v1/analytics", _seed(post, engagement_rate=given), format="json")
        assert response.status_code == 201
        assert response.json()["engagement_rate"] == 6.5

    @pytest.mark.parametrize(
        "overrides",
        [{"engagement_rate": 7}, {"engagement_rate": 6.48}, {"views": 0, "engagement_rate": 6.5}],
    )
    def test_inconsistent_rate_is_400(self, api, post, overrides):
        response = api.post("/api/v1/analytics", _seed(post, **overrides), format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["engagement_rate"]
        assert not PostAnalytics.objects.exists()

    def test_zero_views_means_zero_rate(self, api, post):
        response = api.post("/api/v1/analytics", _seed(post, views=0, engagement_rate=0), format="json")
        assert response.status_code == 201 and response.json()["engagement_rate"] == 0

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"views": -1}, "views"),
            ({"likes": -5}, "likes"),
            ({"shares": 1.5}, "shares"),
            ({"comments": "many"}, "comments"),
            ({"clicks": -1}, "clicks"),
            ({"views": 10**13}, "views"),
            ({"engagement_rate": -1}, "engagement_rate"),
            ({"source": "guess"}, "source"),
            ({"recorded_at": "yesterday"}, "recorded_at"),
            ({"post_id": 999999}, "post_id"),
            ({"post_id": None}, "post_id"),
        ],
    )
    def test_invalid_fields_are_400_naming_the_field(self, api, post, overrides, field):
        response = api.post("/api/v1/analytics", _seed(post, **overrides), format="json")
        assert response.status_code == 400
        assert field in response.json()["errors"]
        assert not PostAnalytics.objects.exists()

    def test_required_fields(self, api):
        response = api.post("/api/v1/analytics", {}, format="json")
        assert set(response.json()["errors"]) == {"post_id", "views", "likes", "shares", "comments"}

    def test_another_users_post_is_400_naming_post_id(self, api, foreign_post):
        response = api.post("/api/v1/analytics", _seed(foreign_post), format="json")
        assert response.status_code == 400
        assert "post_id" in response.json()["errors"]
        assert not PostAnalytics.objects.exists()

    def test_naive_recorded_at_is_in_the_users_timezone(self, api, owner, post):
        owner.timezone = "Asia/Tokyo"
        owner.save()
        response = api.post("/api/v1/analytics", _seed(post, recorded_at="2025-06-01T09:00:00"), format="json")
        assert response.json()["recorded_at"] == "2025-06-01T09:00:00+09:00"
        assert PostAnalytics.objects.get().recorded_at == dt.datetime(2025, 6, 1, 0, 0, tzinfo=dt.UTC)

    def test_future_recorded_at_is_400(self, api, post):
        future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
        response = api.post("/api/v1/analytics", _seed(post, recorded_at=future), format="json")
        assert response.status_code == 400
        assert "recorded_at" in response.json()["errors"]


class TestUpdateDelete:
    def test_put_recomputes_the_rate(self, api, post):
        snapshot = PostAnalyticsFactory(post=post)
        response = api.put(f"/api/v1/analytics/{snapshot.pk}", _seed(post, likes=135), format="json")
        assert response.status_code == 200
        assert response.json()["engagement_rate"] == 15.0

    def test_patch_recomputes_and_checks_the_rate(self, api, post):
        snapshot = PostAnalyticsFactory(post=post)
        url = f"/api/v1/analytics/{snapshot.pk}"
        assert api.patch(url, {"views": 2000}, format="json").json()["engagement_rate"] == 3.25
        bad = api.patch(url, {"engagement_rate": 6.5}, format="json")
        assert bad.status_code == 400 and "engagement_rate" in bad.json()["errors"]
        assert api.patch(url, {"views": 1000, "engagement_rate": 6.5}, format="json").status_code == 200

    def test_patch_negative_is_400(self, api, post):
        snapshot = PostAnalyticsFactory(post=post)
        response = api.patch(f"/api/v1/analytics/{snapshot.pk}", {"likes": -1}, format="json")
        assert response.status_code == 400 and "likes" in response.json()["errors"]

    def test_moving_to_another_users_post_is_400(self, api, post, foreign_post):
        snapshot = PostAnalyticsFactory(post=post)
        response = api.patch(f"/api/v1/analytics/{snapshot.pk}", {"post_id": foreign_post.pk}, format="json")
        assert response.status_code == 400 and "post_id" in response.json()["errors"]
        snapshot.refresh_from_db()
        assert snapshot.post_id == post.pk

    def test_get_and_delete(self, api, post):
        snapshot = PostAnalyticsFactory(post=post)
        url = f"/api/v1/analytics/{snapshot.pk}"
        assert api.get(url).json()["id"] == snapshot.pk
        assert api.delete(url).status_code == 204
        assert api.get(url).status_code == 404


class TestList:
    def test_filters(self, api, owner, post):
        campaign = CampaignFactory(owner=owner)
        in_campaign = PostFactory(
            social_account=SocialAccountFactory(owner=owner, platform="facebook"), campaign=campaign
        )
        early = PostAnalyticsFactory(post=post, recorded_at=dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC))
        late = PostAnalyticsFactory(post=post, recorded_at=dt.datetime(2025, 6, 3, 12, tzinfo=dt.UTC))
        other = PostAnalyticsFactory(post=in_campaign, recorded_at=dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC))

        def ids(query):
            response = api.get(f"/api/v1/analytics?{query}")
            assert response.status_code == 200, response.json()
            return [row["id"] for row in response.json()]

        assert ids("") == [late.pk, other.pk, early.pk]
        assert ids(f"post_id={post.pk}") == [late.pk, early.pk]
        assert ids(f"campaign_id={campaign.pk}") == [other.pk]
        assert ids("platform=facebook") == [other.pk]
        assert ids("recorded_from=2025-06-02T00:00") == [late.pk, other.pk]
        assert ids("recorded_to=2025-06-02T12:00:00Z") == [other.pk, early.pk]
        assert ids("recorded_from=2025-06-02T00:00&recorded_to=2025-06-02T23:59:59") == [other.pk]

    @pytest.mark.parametrize(
        "query, field", [("platform=myspace", "platform"), ("recorded_from=soon", "recorded_from")]
    )
    def test_bad_filter_is_400(self, api, query, field):
        response = api.get(f"/api/v1/analytics?{query}")
        assert response.status_code == 400 and field in response.json()["errors"]

    @pytest.mark.parametrize("size", [1, 30])
    def test_query_count_is_constant(self, api, owner, size, django_assert_num_queries):
        account = SocialAccountFactory(owner=owner)
        for _ in range(size):
            PostAnalyticsFactory(post=PostFactory(social_account=account))
        # user (JWT) + count + page (posts joined)
        with django_assert_num_queries(4):  # + the caller's membership, once per request
            assert len(api.get("/api/v1/analytics?limit=100").json()) == size


class TestIsolation:
    @pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
    def test_other_users_snapshot_is_404(self, api, foreign_post, method):
        snapshot = PostAnalyticsFactory(post=foreign_post)
        response = getattr(api, method)(f"/api/v1/analytics/{snapshot.pk}", _seed(foreign_post), format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
        assert PostAnalytics.objects.get(pk=snapshot.pk).views == snapshot.views

    def test_lists_and_filters_show_only_own_snapshots(self, api, post, foreign_post):
        mine = PostAnalyticsFactory(post=post)
        PostAnalyticsFactory(post=foreign_post)
        assert [r["id"] for r in api.get("/api/v1/analytics").json()] == [mine.pk]
        assert api.get(f"/api/v1/analytics?post_id={foreign_post.pk}").json() == []
        foreign_campaign = CampaignFactory(owner=foreign_post.owner)
        PostAnalyticsFactory(post=PostFactory(social_account=foreign_post.social_account, campaign=foreign_campaign))
        assert api.get(f"/api/v1/analytics?campaign_id={foreign_campaign.pk}").json() == []
        assert api.get(f"/api/v1/analytics?platform={foreign_post.platform}").json()[0]["id"] == mine.pk

    def test_unauthenticated_is_401(self, client):
        assert client.get("/api/v1/analytics").status_code == 401
        assert client.post("/api/v1/analytics/sync").status_code == 401


@pytest.mark.parametrize(
    "path, method, codes",
    [
        ("/api/v1/analytics", "get", {"200", "400", "401", "404", "429"}),
        ("/api/v1/analytics", "post", {"201", "400", "401", "403", "404", "413", "415", "429"}),
        ("/api/v1/analytics/{id}", "get", {"200", "400", "401", "404", "429"}),
        ("/api/v1/analytics/{id}", "put", {"200", "400", "401", "403", "404", "413", "415", "429"}),
        ("/api/v1/analytics/{id}", "patch", {"200", "400", "401", "403", "404", "413", "415", "429"}),
        ("/api/v1/analytics/{id}", "delete", {"204", "400", "401", "403", "404", "429"}),
        ("/api/v1/analytics/sync", "post", {"202", "400", "401", "403", "404", "429"}),
        ("/api/v1/analytics/sync/{job_id}", "get", {"200", "400", "401", "404", "429"}),
    ],
)
def test_openapi_documents_every_route_and_its_errors(client, path, method, codes):
    # Every route acts in a workspace: 400 (an X-Workspace that is no id) and 404 (one the caller is not
    # in) everywhere, 403 (the role does not allow it) on writes.
    operation = client.get("/api/schema", HTTP_ACCEPT="application/json").json()["paths"][path][method]
    assert set(operation["responses"]) == codes
    assert operation["summary"]
