"""Internal comments on a post: what the team says about it, never sent to Buffer or the network.

`@username` of a member of the post's workspace is a mention: kept on the comment (the pages highlight
it) and, for anyone but the author, a `mention` notification. A name that is no member's is plain text.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from accounts.models import NotificationKind, User
from accounts.notifications import notify
from accounts.workspaces import workspace_personal_for
from kernel.errors import InvalidInput
from kernel.wording import one_line
from posts.models import Post, PostComment

BODY_MAX = 5000
MENTIONS_MAX = 20  # names looked up per comment; more are plain text
# `@name` not inside a word or an address (`me@example.com` mentions nobody); Django's username characters.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")
_EXCERPT = 80


def mentioned_names(body: str) -> list[str]:
    """The names after each `@`, first-seen order, lower-cased; a sentence's final dot is not part of one."""
    names: dict[str, None] = {}
    for match in MENTION.finditer(body):
        name = match.group(1).rstrip(".@+-").lower()
        if name:
            names.setdefault(name)
    return list(names)[:MENTIONS_MAX]


def _members_named(*, post: Post, names: list[str]) -> list[User]:
    if not names:
        return []
    workspace_id = post.workspace_id or workspace_personal_for(post.owner).pk
    named = Q()
    for name in names:
        named |= Q(username__iexact=name)
    return list(User.objects.filter(named, memberships__workspace_id=workspace_id, is_active=True).distinct())


def post_comments_for(*, post: Post) -> QuerySet[PostComment]:
    """The post's comments, oldest first, with their authors and mentions (two queries)."""
    return PostComment.objects.filter(post=post).select_related("author").prefetch_related("mentions")


def post_comment_create(*, post: Post, author: User, body: str) -> PostComment:
    """Add `author`'s comment to `post` and notify the members it mentions (not the author).

    The caller checks that `author` may comment (a contributor or higher in the post's workspace).
    """
    body = body.strip()
    if not body:
        raise InvalidInput("A comment needs some text.", errors={"body": ["This field may not be blank."]})
    if len(body) > BODY_MAX:
        message = f"Ensure this field has no more than {BODY_MAX} characters."
        raise InvalidInput(f"body: {message}", errors={"body": [message]})
    mentioned = _members_named(post=post, names=mentioned_names(body))
    with transaction.atomic():
        comment = PostComment.objects.create(post=post, author=author, body=body)
        if mentioned:
            comment.mentions.set(mentioned)
        others = [user for user in mentioned if user.pk != author.pk]
        if others:
            excerpt = one_line(body, _EXCERPT)
            notify(
                workspace=post.workspace,
                kind=NotificationKind.MENTION,
                text=f"{author.get_username()} mentioned you on post #{post.pk}: “{excerpt}”",
                url=reverse("post-detail", args=[post.pk]) + f"#comment-{comment.pk}",
                recipients=others,
                exclude=author,
            )
    return comment
