"""The client review page (`/review/<token>/`, no account) and the managers' review-links page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.scoping import SESSION_KEY
from posts import review_links
from posts.models import PostStatus, ReviewAction, ReviewLink, ReviewLinkUse
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def _pending(post):
    post.status = PostStatus.PENDING_APPROVAL
    post.approval_required = True
    post.submitted_at = timezone.now()
    post.save(update_fields=["status", "approval_required", "submitted_at"])
    return post


def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def _csrf_token(client: Client, url: str) -> str:
    page = client.get(url)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match, "the page has a CSRF-protected form"
    return match.group(1)


class TestPublicPage:
    def test_shows_the_campaign_posts_with_previews_in_the_workspace_timezone(self, review_team):
        _link, token = review_team.link()
        response = Client().get(f"/review/{token}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Spring is here" in page and "Sale ends soon" in page
        assert "Unrelated news" not in page and "Rival secret plan" not in page
        assert 'src="https://cdn.example.com/sale.jpg"' in page
        assert "May 2031" in page  # the calendar opens on the first post's month
        assert "Wed 14 May 2031, 12:00" in page  # 10:00 UTC is noon in Berlin
        assert "Times are in Europe/Berlin" in page

    def test_a_range_link_shows_only_its_workspaces_posts_of_those_days(self, review_team):
        _link, token = review_team.link(start_date=dt.date(2031, 5, 14), end_date=dt.date(2031, 5, 15))
        page = Client().get(f"/review/{token}/").content.decode()
        assert "Spring is here" in page and "Unrelated news" in page
        assert "Sale ends soon" not in page  # the 16th
        assert "Rival secret plan" not in page  # same day, another workspace

    def test_the_page_is_private(self, review_team):
        _link, token = review_team.link()
        response = Client().get(f"/review/{token}/")
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["Cache-Control"] == "no-store"
        assert "noindex" in response["X-Robots-Tag"]

    def test_each_view_is_logged_with_the_client_address(self, review_team):
        link, token = review_team.link()
        Client(REMOTE_ADDR="203.0.113.7").get(f"/review/{token}/")
        Client(REMOTE_ADDR="203.0.113.8").get(f"/review/{token}/?date=2031-06-01")
        uses = list(link.uses.order_by("id").values_list("action", "client_ip", "post_id"))
        assert uses == [(ReviewAction.VIEWED, "203.0.113.7", None), (ReviewAction.VIEWED, "203.0.113.8", None)]

    def test_expired_revoked_and_unknown_links_answer_the_same_404(self, review_team):
        expired, expired_token = review_team.link()
        ReviewLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        revoked, revoked_token = review_team.link()
        review_links.review_link_revoke(link=revoked)
        answers = [Client().get(f"/review/{token}/") for token in (expired_token, revoked_token, "u" * 43, "short")]
        assert [answer.status_code for answer in answers] == [404] * 4
        assert len({answer.content for answer in answers}) == 1
        assert b"Spring is here" not in answers[0].content
        assert not ReviewLinkUse.objects.exists()

    def test_query_count_is_pinned(self, review_team, django_assert_num_queries):
        _link, token = review_team.link()
        account = review_team.in_campaign[0].social_account
        Client().get(f"/review/{token}/")
        # the link with its workspace and campaign; the first post's day (where the calendar opens);
        # the month's posts; the list's count and page; this link's decisions on them; the logged view
        with django_assert_num_queries(7):
            assert Client().get(f"/review/{token}/").status_code == 200
        for day in range(20):
            PostFactory(
                social_account=account,
                campaign=review_team.campaign,
                scheduled_time=dt.datetime(2031, 5, 1 + day, 9, tzinfo=dt.UTC),
            )
        with django_assert_num_queries(7):
            assert Client().get(f"/review/{token}/").status_code == 200

    def test_the_list_pages_and_the_calendar_moves_by_month(self, review_team, monkeypatch):
        from web.review import public

        monkeypatch.setattr(public, "POSTS_PER_PAGE", 1)
        _link, token = review_team.link()
        first = Client().get(f"/review/{token}/").content.decode()
        second = Client().get(f"/review/{token}/?page=2").content.decode()
        assert "Spring is here" in first and "Sale ends soon" not in first.split("All posts")[1]
        assert "Sale ends soon" in second.split("All posts")[1]
        assert "Page 1 of 2" in first
        june = Client().get(f"/review/{token}/?date=2031-06-01").content.decode()
        assert "June 2031" in june and "0 posts in this view" in june

    def test_public_pages_are_rate_limited_per_address(self, review_team, monkeypatch):
        monkeypatch.setattr(review_links, "PUBLIC_RATE_LIMIT", 3)
        _link, token = review_team.link()
        client = Client(REMOTE_ADDR="198.51.100.1")
        assert [client.get(f"/review/{token}/").status_code for _ in range(4)] == [200, 200, 200, 429]
        limited = client.get(f"/review/{token}/")
        assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
        # Unknown tokens count too: guessing is limited like looking.
        assert client.get(f"/review/{'g' * 43}/").status_code == 429
        assert Client(REMOTE_ADDR="198.51.100.2").get(f"/review/{token}/").status_code == 200


class TestDecisions:
    def test_approve_through_the_page_with_csrf(self, review_team):
        link, token = review_team.link()
        post = _pending(review_team.in_campaign[0])
        client = _csrf_client()
        url = f"/review/{token}/"
        csrf = _csrf_token(client, url)
        assert f'action="/review/{token}/posts/{post.pk}/"' in client.get(url).content.decode()
        response = client.post(
            f"{url}posts/{post.pk}/",
            {"csrfmiddlewaretoken": csrf, "reviewer_name": "Clara Client", "comment": "Lovely", "decision": "approve"},
            REMOTE_ADDR="203.0.113.5",
        )
        assert response.status_code == 302 and response["Location"] == f"{url}#post-{post.pk}"
        post.refresh_from_db()
        assert post.status == PostStatus.SCHEDULED and post.approved_at is not None
        assert post.approved_by is None and post.approved_by_name == "Clara Client"
        use = link.uses.get(action=ReviewAction.APPROVED)
        assert (use.post, use.reviewer_name, use.comment, use.client_ip) == (
            post,
            "Clara Client",
            "Lovely",
            "203.0.113.5",
        )
        page = client.get(url).content.decode()
        assert "Approved by Clara Client" in page and "Thank you" in page

    def test_request_changes_through_the_page(self, review_team):
        link, token = review_team.link()
        post = _pending(review_team.in_campaign[1])
        client = _csrf_client()
        csrf = _csrf_token(client, f"/review/{token}/")
        response = client.post(
            f"/review/{token}/posts/{post.pk}/",
            {
                "csrfmiddlewaretoken": csrf,
                "reviewer_name": "Clara",
                "comment": "Use the new logo",
                "decision": "request_changes",
            },
        )
        assert response.status_code == 302
        post.refresh_from_db()
        assert post.status == PostStatus.DRAFT and post.rejection_comment == "Use the new logo"
        assert post.rejected_by_name == "Clara"
        assert link.uses.filter(action=ReviewAction.CHANGES_REQUESTED, post=post, comment="Use the new logo").exists()

    def test_without_the_csrf_token_nothing_happens(self, review_team):
        link, token = review_team.link(log_safe=False)  # Django's CSRF failure log names the path
        post = _pending(review_team.in_campaign[0])
        response = _csrf_client().post(
            f"/review/{token}/posts/{post.pk}/", {"reviewer_name": "Mallory", "decision": "approve"}
        )
        assert response.status_code == 403
        post.refresh_from_db()
        assert post.status == PostStatus.PENDING_APPROVAL
        assert not link.uses.exists()

    @pytest.mark.parametrize(
        ("given", "message"),
        [
            ({"reviewer_name": "", "decision": "approve"}, "Give your name."),
            ({"reviewer_name": "Clara", "comment": "", "decision": "request_changes"}, "Say what should change."),
            ({"reviewer_name": "Clara", "decision": "publish"}, "Choose Approve or Request changes."),
        ],
    )
    def test_a_bad_decision_is_shown_again_and_changes_nothing(self, review_team, given, message):
        link, token = review_team.link()
        post = _pending(review_team.in_campaign[0])
        response = Client().post(f"/review/{token}/posts/{post.pk}/", given)
        assert response.status_code == 400
        assert message in response.content.decode()
        post.refresh_from_db()
        assert post.status == PostStatus.PENDING_APPROVAL
        assert not link.uses.exclude(action=ReviewAction.VIEWED).exists()

    def test_a_post_not_pending_approval_is_read_only(self, review_team):
        link, token = review_team.link()
        post = review_team.in_campaign[0]  # scheduled
        page = Client().get(f"/review/{token}/").content.decode()
        assert f'action="/review/{token}/posts/{post.pk}/"' not in page
        assert "Not waiting for approval" in page
        response = Client().post(f"/review/{token}/posts/{post.pk}/", {"reviewer_name": "Clara", "decision": "approve"})
        assert response.status_code == 409
        assert "not waiting for approval" in response.content.decode()
        post.refresh_from_db()
        assert post.status == PostStatus.SCHEDULED and post.approved_at is None
        assert not link.uses.exclude(action=ReviewAction.VIEWED).exists()

    def test_a_post_outside_the_link_is_404(self, review_team):
        link, token = review_team.link()
        for post in (review_team.outside_campaign, review_team.other_workspace_post):
            _pending(post)
            response = Client().post(
                f"/review/{token}/posts/{post.pk}/", {"reviewer_name": "Clara", "decision": "approve"}
            )
            assert response.status_code == 404
            post.refresh_from_db()
            assert post.status == PostStatus.PENDING_APPROVAL
        assert not link.uses.exists()

    def test_a_revoked_link_cannot_decide(self, review_team):
        link, token = review_team.link()
        post = _pending(review_team.in_campaign[0])
        review_links.review_link_revoke(link=link)
        response = Client().post(f"/review/{token}/posts/{post.pk}/", {"reviewer_name": "Clara", "decision": "approve"})
        assert response.status_code == 404
        post.refresh_from_db()
        assert post.status == PostStatus.PENDING_APPROVAL

    def test_decisions_of_members_are_not_shown_to_the_reviewer(self, review_team):
        from posts.approvals import post_reject

        _link, token = review_team.link()
        post = _pending(review_team.in_campaign[0])
        post_reject(
            post=post, approver=review_team.members[Role.MANAGER], comment="Internal: the client will hate this"
        )
        page = Client().get(f"/review/{token}/").content.decode()
        assert "the client will hate this" not in page


class TestManagersPage:
    def _web(self, review_team, role):
        client = Client()
        client.force_login(review_team.members[role])
        session = client.session
        session[SESSION_KEY] = review_team.workspace.pk
        session.save()
        return client

    def test_a_manager_makes_a_link_and_sees_its_url_once(self, review_team):
        client = self._web(review_team, Role.MANAGER)
        expires = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
        response = client.post("/review-links/", {"campaign": review_team.campaign.pk, "expires_at": expires})
        assert response.status_code == 200
        page = response.content.decode()
        url = re.search(r'<code id="review-url">([^<]+)</code>', page).group(1)
        assert url.startswith("http://testserver/review/")
        link = ReviewLink.objects.get()
        assert link.campaign == review_team.campaign and link.workspace == review_team.workspace
        assert Client().get(url.replace("http://testserver", "")).status_code == 200
        assert url not in client.get("/review-links/").content.decode()

    def test_a_range_link_and_form_errors(self, review_team):
        client = self._web(review_team, Role.OWNER)
        expires = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            "/review-links/", {"start_date": "2031-05-10", "end_date": "2031-05-01", "expires_at": expires}
        )
        assert (
            response.status_code == 400 and "The end date may not precede the start date." in response.content.decode()
        )
        response = client.post(
            "/review-links/", {"start_date": "2031-05-01", "end_date": "2031-05-10", "expires_at": expires}
        )
        assert response.status_code == 200 and ReviewLink.objects.get().start_date == dt.date(2031, 5, 1)

    def test_another_workspaces_campaign_is_not_a_choice(self, review_team):
        client = self._web(review_team, Role.MANAGER)
        page = client.get("/review-links/").content.decode()
        assert "Spring sale" in page and "Rival campaign" not in page
        expires = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            "/review-links/", {"campaign": review_team.extra["rival_campaign"].pk, "expires_at": expires}
        )
        assert response.status_code == 400 and not ReviewLink.objects.exists()

    def test_revoke(self, review_team):
        link, token = review_team.link()
        client = self._web(review_team, Role.MANAGER)
        response = client.post(f"/review-links/{link.pk}/revoke/")
        assert response.status_code == 302
        link.refresh_from_db()
        assert link.revoked_at is not None
        assert Client().get(f"/review/{token}/").status_code == 404

    @pytest.mark.parametrize("role", [Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER])
    def test_other_members_get_403(self, review_team, role):
        link, _ = review_team.link()
        client = self._web(review_team, role)
        assert client.get("/review-links/").status_code == 403
        assert client.post("/review-links/", {}).status_code == 403
        response = client.post(f"/review-links/{link.pk}/revoke/")
        assert response.status_code == 403 and "manager role or higher" in response.content.decode()
        link.refresh_from_db()
        assert link.revoked_at is None

    def test_another_workspaces_link_is_404(self, review_team):
        link, _ = review_team.link()
        rival = Client()
        rival.force_login(review_team.outsider)
        assert rival.post(f"/review-links/{link.pk}/revoke/").status_code == 404
        assert "Spring sale" not in rival.get("/review-links/").content.decode()

    def test_the_campaign_page_links_to_its_review_links(self, review_team):
        client = self._web(review_team, Role.MANAGER)
        page = client.get(f"/campaigns/{review_team.campaign.pk}/")
        if page.status_code == 404:  # campaign pages still scoped by owner (workspace scoping lands with h1)
            client.force_login(review_team.members[Role.EDITOR])
            page = client.get(f"/campaigns/{review_team.campaign.pk}/")
        assert f'href="/review-links/?campaign={review_team.campaign.pk}"' in page.content.decode()

    def test_anonymous_is_sent_to_login(self, review_team):
        assert Client().get("/review-links/")["Location"].startswith("/login/")
