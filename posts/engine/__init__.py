"""The publishing engine: it takes a scheduled post to Buffer exactly once, on time, and follows it there.

- `dispatch`: claim due posts in batches and queue one publish task per claim (the in-flight cap).
- `publish`: one publish under one claim — the attempt is recorded before Buffer is called.
- `reconcile`: settle outcome-unknown writes by asking Buffer; sweep abandoned claims; re-send unstarted ones.
- `status_sync`: follow posts handed to Buffer's own queue until Buffer has sent them.
- `buffer_calls`: a backend on the account's key at the caller's priority; deferring what its budget refuses.

The content side of `posts` (rules, services, composer, views) never imports the engine: it changes a
post's state through `posts.transitions`, and the engine picks the post up from the database.
Celery's entry points stay in `posts.tasks`.
"""
