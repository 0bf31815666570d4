"""Post types carry network option defaults; well-known payload keys fill them; posts checks the result."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from posts.models import Post
from publisher.models import PostType
from publisher.rendering import payload_network_options

pytestmark = pytest.mark.django_db
IMAGE = "http://example.com/a.jpg"
VIDEO = "http://example.com/a.mp4"
BOARDS = [{"id": "b1", "name": "Recipes"}, {"id": "b2", "name": "Travel"}]


@pytest.fixture
def pinterest(owner):
    return SocialAccountFactory(owner=owner, platform="pinterest", account_name="Acme pins", pinterest_boards=BOARDS)


@pytest.fixture
def youtube(owner):
    return SocialAccountFactory(owner=owner, platform="youtube", account_name="Acme tube")


def posttype(api, account, **body):
    data = {"social_account_id": account.pk, "kind": "IMAGE", **body}
    return api.post("/api/v1/publisher/posttypes", data, format="json")


def publish(api, capture, target: PostType, payload) -> dict:
    with capture(execute=True):
        response = api.post(
            "/api/v1/publisher/posts", {"posttypes": [target.config_id], "payload": payload}, format="json"
        )
    assert response.status_code == 201, response.json()
    return api.get(f"/api/v1/publisher/posts/{response.json()['postId']}").json()


class TestPostTypeDefaults:
    def test_a_pinterest_post_type_with_its_board(self, api, pinterest, django_capture_on_commit_callbacks):
        response = posttype(api, pinterest, network_options={"board_id": "b2"})
        assert response.status_code == 201, response.json()
        assert response.json()["network_options"] == {"board_id": "b2"}
        shown = publish(
            api,
            django_capture_on_commit_callbacks,
            PostType.objects.get(pk=response.json()["id"]),
            {"message": "Soup", "image": IMAGE},
        )
        assert shown["postStatus"] == "PROCESSED", shown
        assert Post.objects.get(social_account=pinterest).network_options == {"board_id": "b2"}

    def test_payload_keys_override_the_defaults(self, api, pinterest, django_capture_on_commit_callbacks):
        target = PostType.objects.get(pk=posttype(api, pinterest, network_options={"board_id": "b2"}).json()["id"])
        payload = {"message": "Soup", "image": IMAGE, "pinterest_board": "b1", "title": "Soup of the day"}
        assert publish(api, django_capture_on_commit_callbacks, target, payload)["postStatus"] == "PROCESSED"
        assert Post.objects.get(social_account=pinterest).network_options == {
            "board_id": "b1",
            "title": "Soup of the day",
        }

    def test_wrong_options_are_refused_on_the_post_type(self, api, pinterest):
        response = posttype(api, pinterest, network_options={"board_id": "zz", "first_comment": "x"})
        assert response.status_code == 400
        errors = response.json()["errors"]["network_options"]
        assert set(errors) == {"board_id", "first_comment"}

    def test_a_required_option_may_be_left_to_the_payload(self, api, youtube):
        response = posttype(api, youtube, kind="VIDEO", network_options={"privacy": "unlisted"})
        assert response.status_code == 201, response.json()

    def test_update(self, api, pinterest):
        created = posttype(api, pinterest).json()
        response = api.patch(
            f"/api/v1/publisher/posttypes/{created['id']}", {"network_options": {"board_id": "b1"}}, format="json"
        )
        assert response.status_code == 200, response.json()
        assert PostType.objects.get(pk=created["id"]).network_options == {"board_id": "b1"}


class TestPayloadKeys:
    def test_youtube_title_from_the_payload_and_missing_title_is_an_error(
        self, api, youtube, django_capture_on_commit_callbacks
    ):
        target = PostType.objects.get(pk=posttype(api, youtube, kind="VIDEO").json()["id"])
        shown = publish(api, django_capture_on_commit_callbacks, target, {"message": "Clip", "video": VIDEO})
        assert shown["postStatus"] == "ERROR"
        assert shown["deliveries"][0]["errors"] == [
            "network_options.title: YouTube needs a title (at most 100 characters)."
        ]
        shown = publish(
            api, django_capture_on_commit_callbacks, target, {"message": "Clip", "title": "T" * 150, "video": VIDEO}
        )
        assert shown["postStatus"] == "PROCESSED", shown
        assert len(Post.objects.get(social_account=youtube).network_options["title"]) == 100

    def test_keys_per_network(self):
        payload = {"title": "T", "first_comment": "C", "pinterest_board": "b1", "thread": ["two", 3, ""]}
        assert payload_network_options(payload, "pinterest") == {"title": "T", "board_id": "b1"}
        assert payload_network_options(payload, "instagram") == {"first_comment": "C"}
        assert payload_network_options(payload, "bluesky") == {"thread": ["two"]}
        assert payload_network_options(payload, "mastodon") == {}
        assert payload_network_options("just text", "youtube") == {}


def test_admin_form_checks_the_options(owner, pinterest):
    from publisher.admin import PostTypeAdminForm

    data = {
        "workspace": pinterest.workspace_id,
        "owner": owner.pk,
        "network_target": pinterest.pk,
        "kind": "IMAGE",
        "name": "Pins",
        "description": "",
    }
    form = PostTypeAdminForm(data={**data, "network_options": '{"board_id": "zz"}'})
    assert not form.is_valid()
    assert form.errors["network_options"] == ["board_id: Not one of the account's boards: b1, b2."]
    form = PostTypeAdminForm(data={**data, "network_options": '{"board_id": " b1 "}'})
    assert form.is_valid(), form.errors
    assert form.save().network_options == {"board_id": "b1"}


def test_a_tiktok_target_stays_out_of_the_default_channel(owner, youtube):
    from publisher.defaults import ensure_publisher_defaults

    tiktok = SocialAccountFactory(owner=owner, platform="tiktok")
    channel = ensure_publisher_defaults(workspace=workspace_personal_for(owner))
    targets = set(channel.posttypes.values_list("network_target__platform", flat=True))
    assert targets == {"youtube"} and PostType.objects.filter(network_target=tiktok).exists()
