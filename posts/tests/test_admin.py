"""The Post admin: searchable list in constant queries; cancel goes through the service."""

from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/posts/post/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("count", [1, 30])
def test_changelist_queries_do_not_grow_with_posts(admin_client, account, campaign, count, django_assert_num_queries):
    PostFactory.create_batch(count, social_account=account, campaign=campaign)
    # session, user, 2 counts, the page (owner, account and campaign joined in),
    # date hierarchy min/max + days, platform filter choices
    with django_assert_num_queries(8):
        response = admin_client.get(CHANGELIST)
    assert response.status_code == 200


def test_search_and_filter(admin_client, account):
    PostFactory(social_account=account, content="needle in a haystack")
    PostFactory(social_account=account, content="other", status=PostStatus.DRAFT)
    assert b"needle" in admin_client.get(CHANGELIST, {"q": "needle"}).content
    assert admin_client.get(CHANGELIST, {"status__exact": "draft"}).context["cl"].result_count == 1


def test_cancel_action_uses_the_service(admin_client, account):
    scheduled = PostFactory(social_account=account)
    published = PostFactory(social_account=account, status=PostStatus.PUBLISHED)
    response = admin_client.post(
        CHANGELIST, {"action": "cancel_posts", "_selected_action": [scheduled.pk, published.pk]}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "Cancelled 1 post(s)." in messages
    assert any(f"#{published.pk}: Post {published.pk} is published" in m for m in messages)
    assert Post.objects.get(pk=scheduled.pk).status == PostStatus.CANCELLED
    assert Post.objects.get(pk=published.pk).status == PostStatus.PUBLISHED


def test_no_add_and_no_bulk_delete(admin_client):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    actions = admin_client.get(CHANGELIST).context["action_form"].fields["action"].choices
    assert "delete_selected" not in dict(actions)


def test_the_list_shows_the_content_truncated_and_filters_by_buffer_and_error(admin_client, account):
    long = PostFactory(social_account=account, content="Spring sale " + "x" * 200, buffer_update_id="upd-1")
    PostFactory(social_account=account, content="Failed one", status=PostStatus.FAILED, last_error="Buffer said no")
    html = admin_client.get(CHANGELIST).content.decode()
    assert 'class="sortable column-excerpt' in html and ">Content</a>" in html
    assert "Spring sale xxx" in html and "x" * 100 not in html
    assert admin_client.get(CHANGELIST, {"at_buffer": "yes"}).context["cl"].result_count == 1
    assert admin_client.get(CHANGELIST, {"has_error": "yes"}).context["cl"].result_count == 1
    assert list(admin_client.get(CHANGELIST, {"at_buffer": "yes"}).context["cl"].result_list) == [long]


def test_poll_states_are_listed_read_only(admin_client):
    from posts import polling

    state = polling.state_for(token="1/admin-key", organization_id="org-1", stream="status")
    html = admin_client.get("/admin/posts/bufferpollstate/").content.decode()
    assert "org-1" in html and state.key_digest[:12] in html and "1/admin-key" not in html
    assert admin_client.get("/admin/posts/bufferpollstate/add/").status_code == 403


def test_review_links_are_listed_without_their_token_and_revoked_through_the_service(admin_client, review_team):
    from posts.models import ReviewAction, ReviewLink
    from posts.review_links import review_link_record_use

    link, token = review_team.link()
    review_link_record_use(link=link, action=ReviewAction.VIEWED, client_ip="203.0.113.4")
    listing = admin_client.get("/admin/posts/reviewlink/")
    page = admin_client.get(f"/admin/posts/reviewlink/{link.pk}/change/")
    assert listing.status_code == page.status_code == 200
    for response in (listing, page):
        body = response.content.decode()
        assert token not in body and link.token_hash not in body
    assert "203.0.113.4" in page.content.decode()
    assert admin_client.get("/admin/posts/reviewlink/add/").status_code == 403
    admin_client.post("/admin/posts/reviewlink/", {"action": "revoke", "_selected_action": [link.pk]})
    assert ReviewLink.objects.get().revoked_at is not None
