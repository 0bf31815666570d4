"""Approvals end to end with real Celery workers and beat: a contributor's post goes out only once approved.

No timing is asserted: a "witness" post that needs no approval, due after the waiting ones, proves the
engine has dispatched past their time; the test polls the database with generous timeouts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, WorkspaceFactory
from conftest import client_for
from posts.models import Post, PostStatus, PublishAttempt
from posts.tests.engine_helpers import creates_per_post, sandbox_account
from posts.tests.factories import PostFactory
from posts.tests.test_engine_workers import WORKER_ENV, engine  # noqa: F401  (the fixture)
from socialhub.tests.celery_workers import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
S = PostStatus
TIMEOUT = 90  # generous: the machine may be loaded; nothing here depends on how fast it goes


def status_of(post: Post) -> str:
    return Post.objects.values_list("status", flat=True).get(pk=post.pk)


def witness(account, *, after: dt.datetime, text: str) -> Post:
    """A post that needs no approval, due just after `after`: once it is published, the engine ran past `after`."""
    return PostFactory.create(
        social_account=account, content=text, scheduled_time=after + dt.timedelta(seconds=1), status=S.SCHEDULED
    )


def test_a_contributors_post_goes_out_only_once_approved_and_a_rejected_one_never(engine, sandbox):  # noqa: F811
    team = WorkspaceFactory(name="Approvals team")
    contributor = MembershipFactory(workspace=team, role=Role.CONTRIBUTOR).user
    manager = MembershipFactory(workspace=team, role=Role.MANAGER).user
    account = sandbox_account(contributor, sandbox, "approvals-token", workspace=team)
    as_contributor, as_manager = client_for(contributor), client_for(manager)
    for client in (as_contributor, as_manager):
        client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_X_WORKSPACE=str(team.pk))

    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    created = []
    for text in ("To be approved #socialhub", "To be rejected #socialhub"):
        response = as_contributor.post(
            "/api/v1/posts", {"social_account_id": account.pk, "content": text, "scheduled_time": tomorrow}
        )
        assert response.status_code == 201, response.json()
        assert response.json()["status"] == "pending_approval"
        created.append(Post.objects.get(pk=response.json()["id"]))
    to_approve, to_reject = created
    # Due in a few seconds (moved in the database: the API only takes future times, and the test must not race it).
    due = timezone.now() + dt.timedelta(seconds=2)
    Post.objects.filter(pk__in=[p.pk for p in created]).update(scheduled_time=due)
    first_witness = witness(account, after=due, text="Witness one #socialhub")

    engine.start(beat=True, env=WORKER_ENV)
    wait_until(lambda: status_of(first_witness) == S.PUBLISHED, timeout=TIMEOUT, message=engine.logs)
    # The engine dispatched past their time and left both alone.
    assert status_of(to_approve) == status_of(to_reject) == S.PENDING_APPROVAL
    assert creates_per_post(sandbox, created) == {to_approve.pk: 0, to_reject.pk: 0}

    rejected = as_manager.post(f"/api/v1/posts/{to_reject.pk}/reject", {"comment": "Not this one"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "draft"
    approved = as_manager.post(f"/api/v1/posts/{to_approve.pk}/approve", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "scheduled"

    wait_until(lambda: status_of(to_approve) == S.PUBLISHED, timeout=TIMEOUT, message=engine.logs)
    # Later ticks (a second witness, due after the decisions) send neither post again nor the rejected one at all.
    second_witness = witness(account, after=timezone.now(), text="Witness two #socialhub")
    wait_until(lambda: status_of(second_witness) == S.PUBLISHED, timeout=TIMEOUT, message=engine.logs)
    assert creates_per_post(sandbox, [to_approve, to_reject]) == {to_approve.pk: 1, to_reject.pk: 0}
    assert PublishAttempt.objects.filter(post=to_approve).count() == 1
    assert not PublishAttempt.objects.filter(post=to_reject).exists()
    to_reject.refresh_from_db()
    assert to_reject.status == S.DRAFT and to_reject.rejection_comment == "Not this one"
