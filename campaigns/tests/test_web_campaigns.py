"""Campaign pages: the list (status filter, counts), analytics and posts of one, its forms and status buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from analytics.tests.factories import PostAnalyticsFactory
from campaigns.models import Campaign, CampaignStatus
from campaigns.tests.factories import CampaignFactory
from posts.models import Post
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(owner):
    return SocialAccountFactory(owner=owner, platform="twitter")


class TestList:
    def test_status_tabs_counts_and_scope(self, web, owner, outsider, account):
        spring = CampaignFactory(owner=owner, name="Spring")
        CampaignFactory(owner=owner, name="Autumn", status=CampaignStatus.PAUSED)
        CampaignFactory(owner=outsider, name="Someone else's")
        PostFactory(social_account=account, campaign=spring)
        PostFactory(social_account=account, campaign=spring, status="published")
        html = web.get("/campaigns/").content.decode()
        assert "Spring" in html and "Autumn" in html and "Someone else" not in html
        assert (
            'All <span class="muted-count">(2)</span>' in html and 'Paused <span class="muted-count">(1)</span>' in html
        )
        row = html[html.index("Spring") :].split("</tr>")[0]
        assert '<td class="num" data-label="Posts">2</td>' in row

        html = web.get("/campaigns/?status=paused").content.decode()
        assert "Autumn" in html and ">Spring<" not in html
        assert web.get("/campaigns/?status=bogus").status_code == 200

    @pytest.mark.parametrize("count", [3, 60])
    def test_query_count_does_not_grow(self, web, owner, account, count, django_assert_num_queries):
        for i in range(count):
            PostFactory(social_account=account, campaign=CampaignFactory(owner=owner, name=f"C{i}"))
        # session, user, membership, counts per status, campaigns with post counts, the workspace switcher,
        # unread notifications (bell)
        with django_assert_num_queries(7):
            assert web.get("/campaigns/").status_code == 200


class TestDetail:
    def test_totals_engagement_networks_days_and_posts(self, web, owner, account):
        campaign = CampaignFactory(owner=owner, name="Launch")
        bluesky = SocialAccountFactory(owner=owner, platform="bluesky")
        for acc, views in ((account, 1000), (bluesky, 3000)):
            post = PostFactory(social_account=acc, campaign=campaign, status="published", published_at=timezone.now())
            PostAnalyticsFactory(post=post, views=views, likes=views // 10, shares=0, comments=0)
        html = web.get(f"/campaigns/{campaign.pk}/").content.decode()
        assert '<dd id="engagement-rate">10.00 %</dd>' in html
        assert "<dt>Views</dt><dd>4000</dd>" in html
        assert "Bluesky" in html and "Twitter" in html  # per network
        assert '<rect class="bar"' in html  # per-day chart
        assert html.count("/posts/") >= 2  # the campaign's posts

    def test_empty_campaign(self, web, owner):
        campaign = CampaignFactory(owner=owner)
        html = web.get(f"/campaigns/{campaign.pk}/").content.decode()
        assert "No analytics yet" in html and "Write the first one" in html

    def test_another_users_campaign_is_404(self, web, outsider):
        theirs = CampaignFactory(owner=outsider)
        assert web.get(f"/campaigns/{theirs.pk}/").status_code == 404
        assert web.get(f"/campaigns/{theirs.pk}/edit/").status_code == 404
        assert web.post(f"/campaigns/{theirs.pk}/status/", {"status": "paused"}).status_code == 404

    def test_query_count_does_not_grow(self, web, owner, account, django_assert_max_num_queries):
        campaign = CampaignFactory(owner=owner)
        Post.objects.bulk_create(
            Post(
                workspace=workspace_personal_for(owner),
                owner=owner,
                social_account=account,
                platform="twitter",
                content=f"P{i}",
                campaign=campaign,
            )
            for i in range(200)
        )
        # the caller's membership, once per request; the workspace switcher; the bell's unread count
        with django_assert_max_num_queries(12):
            assert web.get(f"/campaigns/{campaign.pk}/").status_code == 200


class TestForms:
    def test_create(self, web, owner):
        data = {"name": "Summer", "description": "", "start_date": "2030-06-01", "end_date": "2030-08-31"}
        response = web.post("/campaigns/new/", data)
        campaign = Campaign.objects.get()
        assert response["Location"] == f"/campaigns/{campaign.pk}/"
        assert campaign.owner == owner and campaign.end_date == dt.date(2030, 8, 31)

    def test_end_before_start_is_the_services_error_next_to_the_field(self, web):
        data = {"name": "Backwards", "start_date": "2030-06-01", "end_date": "2030-05-01"}
        response = web.post("/campaigns/new/", data)
        assert response.status_code == 400
        assert '<p class="error" id="id_end_date_error">end_date must be on or after start_date.</p>' in (
            response.content.decode()
        )
        assert not Campaign.objects.exists()

    def test_edit(self, web, owner):
        campaign = CampaignFactory(owner=owner, name="Old")
        assert web.get(f"/campaigns/{campaign.pk}/edit/").status_code == 200
        web.post(f"/campaigns/{campaign.pk}/edit/", {"name": "New", "start_date": "", "end_date": ""})
        campaign.refresh_from_db()
        assert campaign.name == "New" and campaign.start_date is None

    def test_edit_errors_leave_the_campaign_unchanged(self, web, owner):
        campaign = CampaignFactory(owner=owner, name="Keep")
        response = web.post(f"/campaigns/{campaign.pk}/edit/", {"name": "", "start_date": "2030-01-02"})
        assert response.status_code == 400
        campaign.refresh_from_db()
        assert campaign.name == "Keep"


class TestStatus:
    @pytest.mark.parametrize("status", ["paused", "active", "completed"])
    def test_pause_resume_complete(self, web, owner, status):
        campaign = CampaignFactory(owner=owner, status="paused" if status == "active" else "active")
        response = web.post(f"/campaigns/{campaign.pk}/status/", {"status": status}, follow=True)
        campaign.refresh_from_db()
        assert campaign.status == status and "is now" in response.content.decode()

    def test_unknown_status_and_get_are_refused(self, web, owner):
        campaign = CampaignFactory(owner=owner)
        web.post(f"/campaigns/{campaign.pk}/status/", {"status": "archived"})
        campaign.refresh_from_db()
        assert campaign.status == "active"
        assert web.get(f"/campaigns/{campaign.pk}/status/").status_code == 405


def test_the_per_network_table_counts_every_post_and_those_with_analytics_apart(web, owner, account):
    campaign = CampaignFactory(owner=owner)
    bluesky = SocialAccountFactory(owner=owner, platform="bluesky")
    measured = PostFactory(social_account=account, campaign=campaign, status="published", published_at=timezone.now())
    PostAnalyticsFactory(post=measured, views=500)
    PostFactory.create_batch(2, social_account=account, campaign=campaign)  # scheduled: no analytics yet
    PostFactory(social_account=bluesky, campaign=campaign)
    html = web.get(f"/campaigns/{campaign.pk}/").content.decode()
    table = html[html.index('id="networks-h"') :].split("</table>")[0]
    rows = {row.split("</span>")[0].rsplit(">", 1)[-1]: row for row in table.split("<tr>")[2:]}
    assert (
        '<td class="num" data-label="Posts">3</td><td class="num" data-label="With analytics">1</td>'
        in rows["X / Twitter"]
    )
    assert (
        '<td class="num" data-label="Posts">1</td><td class="num" data-label="With analytics">0</td>' in rows["Bluesky"]
    )
