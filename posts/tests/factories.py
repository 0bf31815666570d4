import datetime as dt

import factory
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from posts.models import Post, PostStatus


class PostFactory(factory.django.DjangoModelFactory[Post]):
    """A scheduled post one day ahead. Pass `social_account`; owner and platform follow it."""

    class Meta:
        model = Post

    social_account = factory.SubFactory(SocialAccountFactory)
    owner = factory.SelfAttribute("social_account.owner")
    # A built (unsaved) account has no workspace yet: neither has the post then.
    workspace = factory.LazyAttribute(
        lambda post: post.social_account.workspace if post.social_account.workspace_id else None
    )
    platform = factory.SelfAttribute("social_account.platform")
    content = factory.Sequence(lambda n: f"Post number {n} #socialhub")
    media_urls = factory.LazyFunction(list)
    scheduled_time = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    status = PostStatus.SCHEDULED
