"""What the audit log costs the publishing engine: one read and one INSERT per won transition."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent
from kernel.actor import ENGINE, acting_as
from posts.engine.dispatch import claim_due_posts
from posts.engine.publish import publish_claimed_post
from posts.tests.engine_helpers import due_posts, sandbox_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_engine")]

# One publish of a claimed post through the sandbox: 10 queries without the audit log, 12 with it, and one
# more for its library items (posts.media.post_media_assets).
PUBLISH_QUERIES = 13


def _audit_queries(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if sql.startswith('INSERT INTO "accounts_auditevent"')]


def test_a_publish_adds_two_queries(owner, sandbox):
    [post] = due_posts([sandbox_account(owner, sandbox, "engine-token")], 1)
    with CaptureQueriesContext(connection) as claiming:
        [claim] = claim_due_posts(now=timezone.now(), limit=10)
    # the claim: one read of the posts won and one INSERT of their events, whatever their number
    assert len(_audit_queries([q["sql"] for q in claiming.captured_queries])) == 1
    with CaptureQueriesContext(connection) as publishing, acting_as(ENGINE):
        assert publish_claimed_post(post_id=post.pk, claim_id=claim.claim_id) == "published"
    sqls = [q["sql"] for q in publishing.captured_queries]
    # mark_published: the status read before its compare-and-set, and the event
    assert len(_audit_queries(sqls)) == 1
    assert len(sqls) == PUBLISH_QUERIES, "\n".join(sqls)
    event = AuditEvent.objects.filter(object_id=str(post.pk), action="mark_published").get()
    assert event.actor_label == ENGINE and event.changes["status"] == ["publishing", "published"]
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(post.pk), object_type="posts.post")] == [
        "mark_published",
        "claim",
    ]
