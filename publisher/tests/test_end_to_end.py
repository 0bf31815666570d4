"""End to end: a Celery worker with beat runs the engine and the Publisher tasks against the sandbox.

The local receiver sees QUEUED, PROCESSED, FINISHED in order, each signed, while the worker
processes the post, the engine publishes its delivery at the sandbox and the status refresh
notices. Nothing is called in-process but the API request itself.
"""

from __future__ import annotations

import pytest

from kernel.periodic import PERIODIC_TASKS, ensure_periodic_tasks
from posts.models import Post, PostStatus
from posts.tests.engine_helpers import sandbox_account
from publisher.tests.receiver import verify_standard_webhook
from socialhub.tests.celery_workers import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
# Short clocks, but not so many beat ticks that the filesystem broker falls behind the pool.
WORKER_ENV = {
    "ENGINE_DISPATCH_INTERVAL": "1",
    "ENGINE_SWEEP_INTERVAL": "2",
    "CELERY_TASK_TIME_LIMIT": "5",
    "ENGINE_STALE_CLAIM_MARGIN_SECONDS": "2",
    "RECONCILE_GRACE_SECONDS": "0.5",
    "PUBLISHER_STATUS_INTERVAL": "1",
    "PUBLISHER_CALLBACK_INTERVAL": "1",
}
TASKS = {
    "posts.tasks.dispatch_due_posts",
    "posts.tasks.recover_posts",
    "publisher.tasks.refresh_publisher_statuses",
    "publisher.tasks.send_callbacks",
}


def test_queued_to_finished_through_the_engine_and_the_sandbox(
    api, owner, sandbox, celery_workers, receiver, whsec, settings
):
    # The live Django setting is what Celery reads: without this the test process would run the
    # tasks it queues itself instead of sending them to the worker.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.ENGINE_DISPATCH_INTERVAL, settings.ENGINE_SWEEP_INTERVAL = 1, 2
    settings.PUBLISHER_STATUS_INTERVAL = settings.PUBLISHER_CALLBACK_INTERVAL = 1
    ensure_periodic_tasks([spec for spec in PERIODIC_TASKS if spec.task in TASKS])
    account = sandbox_account(owner, sandbox, "publisher-e2e")
    allowed = receiver.url.removeprefix("http://")  # 127.0.0.1:<its port>, as the receiver fixture allows it
    celery_workers.start(beat=True, concurrency=4, env={**WORKER_ENV, "CALLBACK_ALLOWED_HOSTS": allowed})

    response = api.post(
        "/api/v1/publisher/posts",
        {
            "networktargets": [f"nt_{account.pk}"],
            "contentSourceLink": "http://example.com/abc",
            "postStatusCallback": receiver.url + "/status",
            "payload": {"message": "End to end", "field-image": "http://example.com/a.jpg"},
        },
        format="json",
    )
    assert response.status_code == 201
    post_id = response.json()["postId"]

    def finished():
        return [r.json["postStatus"] for r in receiver.accepted()][-1:] == ["FINISHED"]

    def explain() -> str:
        posts = list(Post.objects.values_list("status", "scheduled_time", "last_error"))
        return f"{receiver.requests}\n{posts}\n{celery_workers.logs(tail=200)}"

    wait_until(finished, timeout=60, message=explain)
    assert [(r.method, r.json) for r in receiver.accepted()] == [
        ("PUT", {"postId": post_id, "postStatus": status}) for status in ("QUEUED", "PROCESSED", "FINISHED")
    ]
    assert all(verify_standard_webhook(whsec, r.headers, r.body) for r in receiver.requests)
    post = Post.objects.get()
    assert post.status == PostStatus.PUBLISHED and post.buffer_update_id
    sent = [u for u in sandbox.admin("GET", "updates").json() if u["id"] == post.buffer_update_id]
    assert sent[0]["status"] == "sent" and sent[0]["text"] == "End to end\n\nhttp://example.com/abc"
    detail = api.get(f"/api/v1/publisher/posts/{post_id}").json()
    assert detail["postStatus"] == "FINISHED" and detail["deliveries"][0]["status"] == "published"
