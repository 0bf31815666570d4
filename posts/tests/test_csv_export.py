"""GET /api/v1/posts/export: the list's filters, the import's columns, formula escaping, and the round trip."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.models import Platform
from accounts.tests.factories import SocialAccountFactory
from campaigns.tests.factories import CampaignFactory
from conftest import client_for
from posts.csv_io import api as csv_api
from posts.csv_io.columns import COLUMNS, escape_cell, unescape_cell
from posts.models import Post, PostStatus
from posts.tests.csv_helpers import EXPORT, NOW, parse_csv, upload
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
SOON = NOW + dt.timedelta(days=3)
# Contents a spreadsheet would run as formulas (the API trims surrounding whitespace, so no leading tab here).
TRICKY = ['=HYPERLINK("https://evil.example","x")', "+1 555 0100", "-5% off today", "@everyone hi", "'=quoted"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _posts(account, campaign):
    made = [
        PostFactory(social_account=account, content=text, scheduled_time=SOON + dt.timedelta(hours=n))
        for n, text in enumerate(TRICKY)
    ]
    made.append(
        PostFactory(
            social_account=account,
            campaign=campaign,
            content="With everything",
            media_urls=["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.png"],
            network_options={"thread": ["Part two"]},
            scheduled_time=SOON + dt.timedelta(days=1),
        )
    )
    made.append(PostFactory(social_account=account, content="A draft", status=PostStatus.DRAFT, scheduled_time=None))
    return made


def _shape(posts) -> set[tuple]:
    return {
        (
            p.content,
            p.scheduled_time,
            tuple(p.media_urls),
            repr(p.network_options),
            p.campaign.name if p.campaign else "",
            p.status,
        )
        for p in posts
    }


@pytest.mark.parametrize("text", [*TRICKY, "\tTab", "\rCR", "plain", "'plain", "", "a=b"])
def test_escaping_round_trips(text):
    assert unescape_cell(escape_cell(text)) == text


def test_export_has_the_import_columns_and_escapes_formulas(api, account, campaign):
    _posts(account, campaign)
    response = api.get(EXPORT)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="posts-2026-01-10.csv"'
    text = response.content.decode()
    assert text.startswith("\ufeff" + ",".join(COLUMNS) + "\r\n")
    rows = parse_csv(text)
    contents = [row["content"] for row in rows]
    assert contents[: len(TRICKY)] == ["'" + value for value in TRICKY]
    assert {row["account"] for row in rows} == {"'@brand"}  # a handle starts with @: escaped too
    full = rows[len(TRICKY)]
    assert full["scheduled_time"] == "2026-01-14T13:00:00+01:00"  # the exporter's (Berlin) time, with its offset
    assert (full["platform"], full["campaign"], full["status"]) == ("twitter", "Launch", "scheduled")
    assert full["media_urls"] == "https://cdn.example.com/a.jpg https://cdn.example.com/b.png"
    assert full["network_options"] == '{"thread": ["Part two"]}'
    assert rows[-1]["scheduled_time"] == "" and rows[-1]["status"] == "draft"


def test_export_takes_the_lists_filters(api, account, campaign):
    _posts(account, campaign)
    drafts = parse_csv(api.get(EXPORT, {"status": "draft"}).content.decode())
    assert [row["content"] for row in drafts] == ["A draft"]
    launch = parse_csv(api.get(EXPORT, {"campaign_id": campaign.pk}).content.decode())
    assert [row["content"] for row in launch] == ["With everything"]
    assert api.get(EXPORT, {"status": "nope"}).status_code == 400


def test_export_then_import_creates_nothing_new(api, account, campaign):
    _posts(account, campaign)
    exported = api.get(EXPORT).content
    response = upload(api, exported)
    assert response.status_code == 200, response.json()
    assert (response.json()["created_count"], response.json()["existing_count"]) == (0, len(TRICKY) + 2)
    assert Post.objects.count() == len(TRICKY) + 2


def test_export_of_imported_posts_reimports_to_nothing(api, account):
    header = "external_id,account,content,scheduled_time\n"
    assert upload(api, header + "k1,@brand,One,2026-02-01T10:00\n,@brand,Two,2026-02-01T11:00\n").status_code == 201
    exported = api.get(EXPORT).content.decode()
    assert [row["external_id"] for row in parse_csv(exported)] == ["k1", ""]
    assert upload(api, exported).json()["existing_count"] == 2
    assert Post.objects.count() == 2


def test_export_imports_into_another_workspace_as_the_same_posts(api, account, campaign, outsider):
    _posts(account, campaign)
    SocialAccountFactory(owner=outsider, platform=Platform.TWITTER, account_name="@brand")
    CampaignFactory(owner=outsider, name="Launch", start_date=dt.date(2000, 1, 1), end_date=dt.date(2099, 12, 31))
    exported = api.get(EXPORT).content
    theirs = client_for(outsider)
    response = upload(theirs, exported)
    assert response.status_code == 201, response.json()
    assert response.json()["created_count"] == len(TRICKY) + 2
    mine = Post.objects.filter(workspace=account.workspace).select_related("campaign")
    imported = Post.objects.exclude(workspace=account.workspace).select_related("campaign")
    assert _shape(imported) == _shape(mine)
    assert upload(theirs, exported).json()["created_count"] == 0


def test_an_ambiguous_name_is_exported_as_the_id(api, owner, account):
    twin = SocialAccountFactory(owner=owner, platform=Platform.TWITTER, account_name="@brand")
    PostFactory(social_account=twin, content="The twin's", scheduled_time=SOON)
    rows = parse_csv(api.get(EXPORT).content.decode())
    assert [row["account"] for row in rows] == [str(twin.pk)]
    assert upload(api, api.get(EXPORT).content).json()["existing_count"] == 1


def test_export_queries_do_not_grow_with_posts(api, account, campaign, django_assert_max_num_queries):
    _posts(account, campaign)
    # user (JWT) + membership + count + accounts + campaigns + the posts (one chunk)
    with django_assert_max_num_queries(6):
        small = api.get(EXPORT)
    for n in range(30):
        PostFactory(social_account=account, campaign=campaign, scheduled_time=SOON + dt.timedelta(minutes=n))
    with django_assert_max_num_queries(6):
        large = api.get(EXPORT)
    assert len(parse_csv(large.content.decode())) == len(parse_csv(small.content.decode())) + 30


def test_a_large_export_is_streamed(api, account, campaign, monkeypatch):
    monkeypatch.setattr(csv_api, "EXPORT_STREAM_ABOVE", 2)
    _posts(account, campaign)
    response = api.get(EXPORT)
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    assert len(parse_csv(text)) == len(TRICKY) + 2


def test_a_viewer_exports_but_does_not_import(owner, account):
    from accounts.models import Role
    from accounts.tests.factories import MembershipFactory, UserFactory

    viewer = MembershipFactory(workspace=account.workspace, user=UserFactory(), role=Role.VIEWER).user
    client = client_for(viewer)
    client.credentials(**client._credentials, HTTP_X_WORKSPACE=str(account.workspace.pk))
    assert client.get(EXPORT).status_code == 200
    assert upload(client, "account,content\n@brand,x\n").status_code == 403
