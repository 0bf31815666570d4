"""App secrets are shown once; webhook secrets only to their owner at GET /webhook-secret; neither in
logs, admin pages or any other response."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from publisher.models import CallbackDelivery, Channel, IntegratorApp, PostType, PublisherPost, WebhookSecret

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db) -> Client:
    browser = Client()
    browser.force_login(UserFactory.create(username="staff", is_staff=True, is_superuser=True))
    return browser


def test_secrets_appear_only_in_the_creating_response(
    api, channel, receiver, staff, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    app = api.post("/api/v1/publisher/apps", {"name": "Site"}, format="json").json()
    whsec = api.post("/api/v1/publisher/webhook-secret").json()["secret"]
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/publisher/posts", {"payload": "x", "postStatusCallback": receiver.url}, format="json")
    bodies = [
        api.get(path).content.decode()
        for path in [
            "/api/v1/publisher/apps",
            f"/api/v1/publisher/apps/{app['id']}",
            "/api/v1/publisher/callbacks",
            "/api/v1/publisher/posts",
        ]
    ]
    records = WebhookSecret.objects.get(), IntegratorApp.objects.get()
    pages = [
        "/admin/publisher/integratorapp/",
        f"/admin/publisher/integratorapp/{records[1].pk}/change/",
        "/admin/publisher/webhooksecret/",
        f"/admin/publisher/webhooksecret/{records[0].pk}/change/",
        "/admin/publisher/callbackdelivery/",
        f"/admin/publisher/callbackdelivery/{CallbackDelivery.objects.first().pk}/change/",
    ]
    for page in pages:
        response = staff.get(page)
        assert response.status_code == 200, page
        bodies.append(response.content.decode())
    bodies.append("\n".join(r.getMessage() + str(r.args) for r in caplog.records))
    for secret in (app["secret"], whsec, *(record.secret_encrypted for record in records)):
        assert all(secret not in body for body in bodies)
    assert whsec.removeprefix("whsec_") not in "".join(bodies)


def test_admin_pages_and_replay_action(owner, channel, staff, receiver, whsec, api):
    api.post("/api/v1/publisher/posts", {"payload": "x", "postStatusCallback": receiver.url}, format="json")
    post = PublisherPost.objects.get()
    for path in [
        "/admin/publisher/publisherpost/",
        f"/admin/publisher/publisherpost/{post.pk}/change/",
        "/admin/publisher/channel/",
        f"/admin/publisher/channel/{Channel.objects.get(name='Marketing').pk}/change/",
        "/admin/publisher/posttype/",
        f"/admin/publisher/posttype/{PostType.objects.first().pk}/change/",
    ]:
        assert staff.get(path).status_code == 200, path
    callback = CallbackDelivery.objects.get()
    response = staff.post(
        "/admin/publisher/callbackdelivery/", {"action": "replay", "_selected_action": [callback.pk]}, follow=True
    )
    assert response.status_code == 200
    assert [r.json["postStatus"] for r in receiver.requests] == ["QUEUED"]
    assert callback.attempt_log.get().is_replay
