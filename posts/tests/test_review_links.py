"""Client review links, the service: tokens kept only as a keyed hash, which posts a link shows, revoking."""

from __future__ import annotations

import datetime as dt
import hmac

import pytest
from django.utils import timezone

from accounts.models import Role
from kernel.errors import InvalidInput, NotFound
from posts import review_links
from posts.models import PostStatus, ReviewLink
from posts.review_links import (
    review_link_create,
    review_link_for_token,
    review_link_posts,
    review_link_revoke,
    token_fingerprint,
)
from posts.tests.factories import PostFactory
from posts.tests.review_fixtures import NOON

pytestmark = pytest.mark.django_db


class TestToken:
    def test_only_a_keyed_hash_is_stored(self, review_team):
        link, token = review_team.link()
        stored = ReviewLink.objects.values_list("token_hash", flat=True).get(pk=link.pk)
        assert len(token) == 43
        assert stored == token_fingerprint(token)
        assert stored.startswith("hmac-sha256:") and token not in stored
        row = ReviewLink.objects.filter(pk=link.pk).values().get()
        assert token not in repr(row)

    def test_the_hash_is_keyed_by_the_secret_key(self, review_team, settings):
        _link, token = review_team.link()
        before = token_fingerprint(token)
        settings.SECRET_KEY = "another-secret-key-of-at-least-32-characters"
        assert token_fingerprint(token) != before

    def test_two_links_get_different_tokens(self, review_team):
        assert review_team.link()[1] != review_team.link()[1]

    def test_the_token_opens_its_link(self, review_team):
        link, token = review_team.link()
        assert review_link_for_token(token=token) == link

    def test_the_stored_hash_is_compared_in_constant_time(self, review_team, monkeypatch):
        _link, token = review_team.link()
        calls = []
        real = hmac.compare_digest

        def spy(a, b):
            calls.append((a, b))
            return real(a, b)

        monkeypatch.setattr(review_links.hmac, "compare_digest", spy)
        review_link_for_token(token=token)
        assert calls == [(token_fingerprint(token), token_fingerprint(token))]

    @pytest.mark.parametrize(
        "token",
        ["", "x" * 43, "short", "a" * 44, "../../etc/passwd" + "a" * 27, "a" * 42 + "!"],
        ids=["empty", "unknown", "short", "long", "path", "bad-char"],
    )
    def test_unknown_or_malformed_tokens_are_not_found(self, review_team, token):
        review_team.link()
        with pytest.raises(NotFound) as exc:
            review_link_for_token(token=token)
        assert exc.value.detail == review_links.NOT_VALID

    def test_expired_revoked_and_unknown_look_the_same(self, review_team):
        expired, expired_token = review_team.link()
        revoked, revoked_token = review_team.link()
        review_link_revoke(link=revoked)
        later = expired.expires_at + dt.timedelta(seconds=1)
        details = []
        for token, now in ((expired_token, later), (revoked_token, None), ("z" * 43, None)):
            with pytest.raises(NotFound) as exc:
                review_link_for_token(token=token, now=now)
            details.append(exc.value.detail)
        assert len(set(details)) == 1

    def test_a_link_works_until_it_expires(self, review_team):
        link, token = review_team.link()
        assert review_link_for_token(token=token, now=link.expires_at - dt.timedelta(seconds=1)) == link
        with pytest.raises(NotFound):
            review_link_for_token(token=token, now=link.expires_at)


class TestCreate:
    def _create(self, review_team, **kwargs):
        kwargs.setdefault("expires_at", timezone.now() + dt.timedelta(days=1))
        return review_link_create(workspace=review_team.workspace, actor=review_team.members[Role.MANAGER], **kwargs)

    def test_a_campaign_link(self, review_team):
        link, _ = self._create(review_team, campaign_id=review_team.campaign.pk)
        assert (link.campaign, link.start_date, link.end_date) == (review_team.campaign, None, None)
        assert link.created_by == review_team.members[Role.MANAGER] and link.workspace == review_team.workspace

    def test_a_range_link(self, review_team):
        link, _ = self._create(review_team, start_date=dt.date(2031, 5, 1), end_date=dt.date(2031, 5, 31))
        assert link.campaign is None and link.start_date == dt.date(2031, 5, 1)

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({}, "campaign_id"),
            (
                {"campaign_id": "review_team", "start_date": dt.date(2031, 5, 1), "end_date": dt.date(2031, 5, 2)},
                "campaign_id",
            ),
            ({"start_date": dt.date(2031, 5, 1)}, "end_date"),
            ({"end_date": dt.date(2031, 5, 1)}, "start_date"),
            ({"start_date": dt.date(2031, 5, 2), "end_date": dt.date(2031, 5, 1)}, "end_date"),
            ({"start_date": dt.date(2031, 1, 1), "end_date": dt.date(2032, 1, 2)}, "end_date"),
            ({"campaign_id": 10**12}, "campaign_id"),
        ],
        ids=["nothing", "both", "no-end", "no-start", "reversed", "too-long", "unknown-campaign"],
    )
    def test_selection_errors(self, review_team, kwargs, field):
        if kwargs.get("campaign_id") == "review_team":
            kwargs["campaign_id"] = review_team.campaign.pk
        with pytest.raises(InvalidInput) as exc:
            self._create(review_team, **kwargs)
        assert field in exc.value.errors
        assert not ReviewLink.objects.exists()

    def test_another_workspaces_campaign_is_an_unknown_one(self, review_team):
        with pytest.raises(InvalidInput) as exc:
            self._create(review_team, campaign_id=review_team.extra["rival_campaign"].pk)
        assert exc.value.errors == {"campaign_id": ["No such campaign in this workspace."]}

    @pytest.mark.parametrize("delta", [dt.timedelta(0), -dt.timedelta(days=1), dt.timedelta(days=90, seconds=1)])
    def test_expiry_in_the_future_within_90_days(self, review_team, delta):
        now = timezone.now()
        with pytest.raises(InvalidInput) as exc:
            self._create(review_team, campaign_id=review_team.campaign.pk, expires_at=now + delta, now=now)
        assert "expires_at" in exc.value.errors

    def test_90_days_is_allowed(self, review_team):
        now = timezone.now()
        link, _ = self._create(
            review_team, campaign_id=review_team.campaign.pk, expires_at=now + dt.timedelta(days=90), now=now
        )
        assert link.pk


class TestPosts:
    def test_a_campaign_link_shows_the_campaign_posts_of_its_workspace_only(self, review_team):
        link, _ = review_team.link()
        stray = PostFactory(
            social_account=review_team.other_workspace_post.social_account,
            campaign=review_team.campaign,
            scheduled_time=NOON,
        )
        shown = set(review_link_posts(link=link))
        assert shown == set(review_team.in_campaign)
        assert stray not in shown and review_team.outside_campaign not in shown

    def test_a_range_link_shows_the_days_in_the_workspace_timezone(self, review_team):
        # Berlin is UTC+2 in May: 23:30 UTC on the 13th is already the 14th there, 22:30 UTC on the 14th the 15th.
        account = review_team.in_campaign[0].social_account
        early = PostFactory(social_account=account, scheduled_time=dt.datetime(2031, 5, 13, 22, 30, tzinfo=dt.UTC))
        late = PostFactory(social_account=account, scheduled_time=dt.datetime(2031, 5, 14, 22, 30, tzinfo=dt.UTC))
        link, _ = review_team.link(start_date=dt.date(2031, 5, 14), end_date=dt.date(2031, 5, 14))
        shown = set(review_link_posts(link=link))
        assert shown == {early, review_team.in_campaign[0]}
        assert late not in shown and review_team.other_workspace_post not in shown

    def test_cancelled_posts_are_not_shown(self, review_team):
        link, _ = review_team.link()
        cancelled = review_team.in_campaign[0]
        cancelled.status = PostStatus.CANCELLED
        cancelled.save(update_fields=["status"])
        assert set(review_link_posts(link=link)) == {review_team.in_campaign[1]}


def test_revoking_twice_keeps_the_first_time(review_team):
    link, token = review_team.link()
    first = review_link_revoke(link=link).revoked_at
    assert review_link_revoke(link=link, now=timezone.now() + dt.timedelta(hours=1)).revoked_at == first
    with pytest.raises(NotFound):
        review_link_for_token(token=token)


def test_the_database_refuses_a_link_with_both_or_neither(review_team):
    from django.db import IntegrityError, transaction

    link, _ = review_team.link()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewLink.objects.filter(pk=link.pk).update(start_date=dt.date(2031, 1, 1), end_date=dt.date(2031, 1, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewLink.objects.filter(pk=link.pk).update(campaign=None)


class TestDecide:
    def _pending(self, post):
        post.status = PostStatus.PENDING_APPROVAL
        post.approval_required = True
        post.save(update_fields=["status", "approval_required"])
        return post

    def _decide(self, link, post, decision="approve", **kwargs):
        kwargs.setdefault("reviewer_name", "Clara")
        kwargs.setdefault("comment", "")
        return review_links.review_link_decide(
            link=link, post_id=post.pk, decision=decision, client_ip="203.0.113.1", **kwargs
        )

    def test_approve_records_the_decision(self, review_team):
        link, _ = review_team.link()
        post = self._decide(
            link, self._pending(review_team.in_campaign[0]), reviewer_name="  Clara  ", comment=" Fine "
        )
        assert post.status == PostStatus.SCHEDULED and post.approved_by_name == "Clara"
        use = link.uses.get()
        assert (use.action, use.post, use.reviewer_name, use.comment) == ("approved", post, "Clara", "Fine")

    def test_the_second_of_two_decisions_is_a_conflict_and_is_not_logged(self, review_team):
        from kernel.errors import Conflict

        link, _ = review_team.link()
        post = self._pending(review_team.in_campaign[0])
        self._decide(link, post)
        with pytest.raises(Conflict):
            self._decide(link, post, "request_changes", comment="Too late")
        assert link.uses.count() == 1

    def test_a_lost_race_inside_the_approval_logs_nothing(self, review_team, monkeypatch):
        from kernel.errors import Conflict
        from posts import transitions

        link, _ = review_team.link()
        post = self._pending(review_team.in_campaign[0])
        monkeypatch.setattr(transitions, "approve", lambda **kwargs: False)  # another decision won meanwhile
        with pytest.raises(Conflict):
            self._decide(link, post)
        assert not link.uses.exists()

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"reviewer_name": " "}, "reviewer_name"),
            ({"reviewer_name": "x" * 101}, "reviewer_name"),
            ({"comment": "x" * 2001}, "comment"),
            ({"decision": "request_changes"}, "comment"),
            ({"decision": "publish"}, "decision"),
        ],
    )
    def test_bad_decisions(self, review_team, kwargs, field):
        link, _ = review_team.link()
        post = self._pending(review_team.in_campaign[0])
        decision = kwargs.pop("decision", "approve")
        with pytest.raises(InvalidInput) as exc:
            self._decide(link, post, decision, **kwargs)
        assert field in exc.value.errors
        post.refresh_from_db()
        assert post.status == PostStatus.PENDING_APPROVAL and not link.uses.exists()

    def test_a_post_outside_the_link_is_not_found(self, review_team):
        link, _ = review_team.link()
        for post in (review_team.outside_campaign, review_team.other_workspace_post):
            with pytest.raises(NotFound):
                self._decide(link, self._pending(post))
