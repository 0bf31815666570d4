"""An account's posting schedule: validation, the API, and the import from Buffer (sandbox over real HTTP)."""

from __future__ import annotations

import pytest
import requests

from accounts.models import Role
from accounts.posting_schedule import PostingSchedule, clean_schedule, schedule_from_buffer
from accounts.tests.factories import MembershipFactory, SocialAccountFactory
from buffer_integration.backends.graphql_wire import parse_posting_days
from buffer_integration.tests.factories import BufferConfigFactory
from conftest import Sandbox, client_for
from kernel.errors import InvalidInput

pytestmark = pytest.mark.django_db

TOKEN = "schedule-owner-token"
PROFILE = Sandbox.profile_id(TOKEN, "twitter")
NO_DAYS: dict[str, list[str]] = {day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def _url(account) -> str:
    return f"/api/v1/social-accounts/{account.pk}/schedule"


# -- validation -------------------------------------------------------------------------------------------


def test_clean_schedule_names_every_bad_field():
    with pytest.raises(InvalidInput) as raised:
        clean_schedule({"days": {"mon": ["9:00", "09:00"], "tue": ["24:00", "12:60"]}, "paused_days": ["funday"]})
    assert raised.value.errors == {
        "days": {
            "mon": ["'9:00' is not a time: use HH:MM, 24-hour (e.g. 09:30)."],
            "tue": [
                "'24:00' is not a time: use HH:MM, 24-hour (e.g. 09:30).",
                "'12:60' is not a time: use HH:MM, 24-hour (e.g. 09:30).",
            ],
        },
        "paused_days": ["Unknown day 'funday': the days are mon, tue, wed, thu, fri, sat, sun."],
    }
    assert raised.value.detail.startswith("days.mon: '9:00' is not a time")
    with pytest.raises(InvalidInput) as raised:
        clean_schedule({"days": {"monday": ["09:00"]}})
    assert "Unknown day 'monday'" in raised.value.errors["days"][0]
    with pytest.raises(InvalidInput):
        clean_schedule({"days": {"mon": "09:00"}})


def test_buffer_schedules_of_both_apis_become_one_shape():
    # GraphQL's postingSchedule keeps a paused day with its times.
    week = parse_posting_days(
        [
            {"day": "mon", "times": ["17:00", "09:00"], "paused": False},
            {"day": "sat", "times": ["10:00"], "paused": True},
            {"day": "someday", "times": ["10:00"], "paused": False},
        ]
    )
    graphql = schedule_from_buffer(posting_days=week, schedules=[])
    assert graphql.to_json() == {
        "days": {**NO_DAYS, "mon": ["09:00", "17:00"], "sat": ["10:00"]},
        "paused_days": ["sat"],
    }
    assert graphql.times_on(5) == ()  # paused: no slots
    v1 = schedule_from_buffer(posting_days=[], schedules=[{"days": ["mon", "tue"], "times": ["09:00"]}])
    assert v1.to_json() == {"days": {**NO_DAYS, "mon": ["09:00"], "tue": ["09:00"]}, "paused_days": []}


# -- the API ----------------------------------------------------------------------------------------------


def test_put_then_get(api, owner):
    account = SocialAccountFactory(owner=owner, profile_timezone="Europe/Berlin")
    body = {"days": {"mon": ["17:30", "09:00"], "sat": ["11:00"]}, "paused_days": ["sat"]}
    response = api.put(_url(account), body, format="json")
    assert response.status_code == 200, response.json()
    got = api.get(_url(account)).json()
    assert got["days"] == {**NO_DAYS, "mon": ["09:00", "17:30"], "sat": ["11:00"]}
    assert got["paused_days"] == ["sat"] and got["timezone"] == "Europe/Berlin"
    assert got["edited_in_socialhub"] is True and got["edited_at"]


def test_put_errors_are_400_per_field(api, owner):
    account = SocialAccountFactory(owner=owner)
    bad_time = api.put(_url(account), {"days": {"mon": ["9am"]}}, format="json")
    assert bad_time.status_code == 400
    assert bad_time.json()["errors"] == {"days": {"mon": ["'9am' is not a time: use HH:MM, 24-hour (e.g. 09:30)."]}}
    unknown = api.put(_url(account), {"days": {"monday": ["09:00"]}}, format="json")
    assert unknown.status_code == 400 and "monday" in unknown.json()["errors"]["days"]
    wrong_type = api.put(_url(account), {"days": {"mon": [900]}}, format="json")
    assert wrong_type.status_code == 400 and "mon" in wrong_type.json()["errors"]["days"]
    paused = api.put(_url(account), {"days": {}, "paused_days": ["xyz"]}, format="json")
    assert paused.status_code == 400 and "paused_days" in paused.json()["errors"]
    missing = api.put(_url(account), {}, format="json")
    assert missing.status_code == 400 and "days" in missing.json()["errors"]
    both = api.put(_url(account), {"days": {}, "follow_buffer": True}, format="json")
    assert both.status_code == 400 and "follow_buffer" in both.json()["errors"]
    account.refresh_from_db()
    assert account.queue_schedule == {} and account.queue_schedule_edited_at is None  # nothing saved


def test_another_workspaces_account_is_404_and_a_contributor_may_not_edit(api, owner, outsider_api, outsider):
    account = SocialAccountFactory(owner=owner)
    assert outsider_api.get(_url(account)).json() == {"detail": "Not found."}
    assert outsider_api.put(_url(account), {"days": {}}, format="json").status_code == 404
    contributor = MembershipFactory(workspace=account.workspace, role=Role.CONTRIBUTOR).user
    as_contributor, header = client_for(contributor), {"HTTP_X_WORKSPACE": str(account.workspace_id)}
    assert as_contributor.get(_url(account), **header).status_code == 200
    refused = as_contributor.put(_url(account), {"days": {"mon": ["09:00"]}}, format="json", **header)
    assert refused.status_code == 403 and "manager" in refused.json()["detail"]


# -- the import from Buffer -------------------------------------------------------------------------------


def _set_buffer_schedule(sandbox: Sandbox, profile: str, days: list[str], times: list[str]) -> None:
    """Change the profile's schedule at Buffer (the sandbox's v1 route, as Buffer's own app would)."""
    response = requests.post(
        f"{sandbox.url}/1/profiles/{profile}/schedules/update.json",
        params={"access_token": TOKEN},
        data={"schedules[0][days][]": days, "schedules[0][times][]": times},
        timeout=5,
    )
    response.raise_for_status()


@pytest.mark.parametrize("buffer_api", ["v1", "graphql"])
def test_sync_imports_buffers_schedule_and_keeps_a_local_edit(api, owner, sandbox, buffer_api):
    BufferConfigFactory(owner=owner, access_token=TOKEN, api=buffer_api)
    account = SocialAccountFactory(owner=owner, buffer_profile_id=PROFILE)
    _set_buffer_schedule(sandbox, PROFILE, ["tue", "thu"], ["12:45", "08:15"])
    assert api.post(f"/api/v1/social-accounts/{account.pk}/sync-buffer").status_code == 200
    imported = api.get(_url(account)).json()
    assert imported["days"] == {**NO_DAYS, "tue": ["08:15", "12:45"], "thu": ["08:15", "12:45"]}
    assert imported["edited_in_socialhub"] is False and imported["buffer_schedule"]["days"] == imported["days"]

    # Edited here: the next sync keeps the edit and only refreshes Buffer's side.
    assert api.put(_url(account), {"days": {"mon": ["10:00"]}}, format="json").status_code == 200
    _set_buffer_schedule(sandbox, PROFILE, ["fri"], ["16:00"])
    assert api.post(f"/api/v1/social-accounts/{account.pk}/sync-buffer").status_code == 200
    kept = api.get(_url(account)).json()
    assert kept["days"] == {**NO_DAYS, "mon": ["10:00"]} and kept["edited_in_socialhub"] is True
    assert kept["buffer_schedule"]["days"] == {**NO_DAYS, "fri": ["16:00"]}

    # Back to Buffer's: at once, and every later sync again.
    back = api.put(_url(account), {"follow_buffer": True}, format="json").json()
    assert back["days"] == {**NO_DAYS, "fri": ["16:00"]} and back["edited_in_socialhub"] is False
    _set_buffer_schedule(sandbox, PROFILE, ["sun"], ["07:00"])
    api.post(f"/api/v1/social-accounts/{account.pk}/sync-buffer")
    assert api.get(_url(account)).json()["days"] == {**NO_DAYS, "sun": ["07:00"]}


def test_a_sync_buffer_cannot_answer_changes_nothing(api, owner, dead_buffer_url):
    BufferConfigFactory(owner=owner, access_token=TOKEN)
    schedule = clean_schedule({"days": {"mon": ["09:00"]}}).to_json()
    account = SocialAccountFactory(owner=owner, buffer_profile_id=PROFILE, queue_schedule=schedule)
    assert api.post(f"/api/v1/social-accounts/{account.pk}/sync-buffer").status_code == 503
    account.refresh_from_db()
    assert PostingSchedule.from_json(account.queue_schedule).to_json() == schedule
