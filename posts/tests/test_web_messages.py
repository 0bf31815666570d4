"""Pages speak the user's language: a service's per-field errors are shown under the pages' labels."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import timezone

from kernel.errors import InvalidInput
from posts.tests.factories import PostFactory
from web.common import add_service_errors, error_message

pytestmark = pytest.mark.django_db


class Form(forms.Form):
    content = forms.CharField(required=False)


def test_a_flash_message_names_the_field_by_its_label():
    exc = InvalidInput("scheduled_time: Must be in the future.", errors={"scheduled_time": ["Must be in the future."]})
    assert error_message(exc) == "Date and time: Must be in the future."


def test_bulk_errors_are_flattened_and_unknown_fields_get_words():
    exc = InvalidInput("item 0.content: Too long", errors={"0": {"content": ["Too long"], "buffer_plan": ["Bad"]}})
    assert error_message(exc) == "Content: Too long. Buffer plan: Bad."


def test_form_errors_go_next_to_the_field_or_on_top_under_its_label():
    form = Form({"content": "x"})
    assert form.is_valid()
    exc = InvalidInput("x", errors={"content": ["Too long."], "campaign_id": ["Campaign 'Old' is completed."]})
    add_service_errors(form, exc)
    assert form.errors["content"] == ["Too long."]
    assert form.non_field_errors() == ["Campaign: Campaign 'Old' is completed."]


def test_the_reschedule_flash_message_has_no_api_field_name(web, owner, account):
    post = PostFactory(social_account=account, scheduled_time=timezone.now() + dt.timedelta(days=1))
    # Minutes ago in the owner's timezone: the form accepts it, the service refuses it.
    past = timezone.localtime(timezone.now() - dt.timedelta(minutes=5), owner.tzinfo).strftime("%Y-%m-%dT%H:%M")
    response = web.post(f"/posts/{post.pk}/reschedule/", {"scheduled_time": past}, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1 and shown[0].startswith("Not rescheduled: Date and time: ")
    assert "scheduled_time" not in shown[0]


def test_ignored_calendar_filters_are_named_in_words(web):
    html = web.get("/?campaign_id=nope").content.decode()
    assert "Some filters were ignored: Campaign:" in html and "campaign_id:" not in html
