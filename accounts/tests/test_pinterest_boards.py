"""The account resource lists its Pinterest boards (from the last sync) and takes one as the default."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db
BOARDS = [{"id": "b1", "name": "Recipes"}, {"id": "b2", "name": "Travel"}]


@pytest.fixture
def pins(owner):
    return SocialAccountFactory(owner=owner, platform="pinterest", pinterest_boards=BOARDS)


def patch(api, account, **body):
    return api.patch(f"/api/v1/social-accounts/{account.pk}", body, format="json")


def test_boards_and_default_are_listed(api, pins):
    body = api.get(f"/api/v1/social-accounts/{pins.pk}").json()
    assert body["pinterest_boards"] == BOARDS and body["default_pinterest_board_id"] == ""
    assert body["buffer_organization_id"] == ""


def test_default_board_is_one_of_the_boards(api, pins):
    response = patch(api, pins, default_pinterest_board_id="zz")
    assert response.status_code == 400
    assert response.json()["errors"] == {"default_pinterest_board_id": ["Not one of the account's boards: b1, b2."]}
    response = patch(api, pins, default_pinterest_board_id="b2")
    assert response.status_code == 200 and response.json()["default_pinterest_board_id"] == "b2"
    assert patch(api, pins, default_pinterest_board_id="").json()["default_pinterest_board_id"] == ""


def test_only_pinterest_accounts_have_a_default_board(api, owner):
    account = SocialAccountFactory(owner=owner, platform="twitter")
    response = patch(api, account, default_pinterest_board_id="b1")
    assert response.status_code == 400 and "default_pinterest_board_id" in response.json()["errors"]


def test_boards_are_read_only(api, pins):
    response = patch(api, pins, pinterest_boards=[{"id": "mine", "name": "x"}])
    assert response.status_code == 200, "read-only fields are ignored when sent"
    pins.refresh_from_db()
    assert pins.pinterest_boards == BOARDS
