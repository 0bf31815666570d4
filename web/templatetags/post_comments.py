"""`{{ comment|comment_html }}`: an internal comment's body, escaped, with its mentions highlighted."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from posts.comments import MENTION
from posts.models import PostComment

register = template.Library()


@register.filter
def comment_html(comment: PostComment) -> SafeString:
    """Escape first, then mark up: only the names of members the comment mentions become highlights.

    Usernames are letters, digits and `@.+-_`, which escaping leaves as they are, so the names are
    found in the escaped text exactly as written (reads `comment.mentions`, prefetched by the page).
    """
    names = {user.get_username().lower() for user in comment.mentions.all()}
    escaped = escape(comment.body)

    def highlight(match: re.Match[str]) -> str:
        raw = match.group(1)
        name = raw.rstrip(".@+-")
        if name.lower() not in names:
            return match.group(0)
        return f'<span class="mention">@{name}</span>{raw[len(name) :]}'

    return mark_safe(linebreaks(MENTION.sub(highlight, escaped), autoescape=False))  # noqa: S308 (escaped above)
