"""The migrations that moved every user's objects into their personal workspace, run on an old database.

The state before workspaces (`BEFORE`) gets a user with a Buffer config, a social account, a
campaign, a post and a publisher channel; migrating forward to the latest state puts each of them in
the user's personal workspace (with the user as its owner), where the non-null `workspace` columns of
the last migrations then hold.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Each app's last migration before workspaces.
BEFORE = [
    ("accounts", "0003_buffer_organization_and_pinterest_boards"),
    ("analytics", "0003_sync_job_retry_at"),
    ("buffer_integration", "0003_buffer_config_plan"),
    ("campaigns", "0001_initial"),
    ("posts", "0004_buffer_poll_state"),
    ("publisher", "0006_posttype_network_options"),
]


@pytest.mark.django_db(transaction=True)
def test_old_objects_land_in_their_owners_personal_workspace():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    try:
        user = old.get_model("accounts", "User").objects.create(username="old-timer", timezone="Europe/Berlin")
        other = old.get_model("accounts", "User").objects.create(username="no-objects")
        old.get_model("buffer_integration", "BufferConfig").objects.create(owner=user, access_token_encrypted="x")
        account = old.get_model("accounts", "SocialAccount").objects.create(
            owner=user, platform="twitter", account_name="@old"
        )
        campaign = old.get_model("campaigns", "Campaign").objects.create(owner=user, name="Old campaign")
        old.get_model("posts", "Post").objects.create(
            owner=user, social_account=account, campaign=campaign, platform="twitter", content="Old post"
        )
        old.get_model("publisher", "Channel").objects.create(owner=user, name="Old channel")

        executor = MigrationExecutor(connection)  # a fresh loader: the graph as on disk
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)  # leave the database as the other tests expect it

    from accounts.models import Membership, SocialAccount, Workspace
    from buffer_integration.models import BufferConfig
    from campaigns.models import Campaign
    from posts.models import Post
    from publisher.models import Channel

    personal = Workspace.objects.get(personal_for_id=user.pk)
    assert personal.timezone == "Europe/Berlin"
    assert Membership.objects.get(workspace=personal).user_id == user.pk
    assert Membership.objects.get(workspace=personal).role == "owner"
    assert Workspace.objects.filter(personal_for_id=other.pk).exists()  # every user, objects or not
    for model in (BufferConfig, SocialAccount, Campaign, Post, Channel):
        rows = list(model.objects.filter(owner_id=user.pk).values_list("workspace_id", flat=True))
        assert rows == [personal.pk], model.__name__
