import factory
from django.utils import timezone

from analytics.models import PostAnalytics
from posts.tests.factories import PostFactory


class PostAnalyticsFactory(factory.django.DjangoModelFactory[PostAnalytics]):
    class Meta:
        model = PostAnalytics

    post = factory.SubFactory(PostFactory)
    views = 1000
    likes = 50
    shares = 10
    comments = 5
    engagement_rate = factory.LazyAttribute(
        lambda a: round((a.likes + a.shares + a.comments) * 100 / a.views, 2) if a.views else 0
    )
    recorded_at = factory.LazyFunction(timezone.now)
