import datetime as dt

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.workspaces import workspace_personal_for
from campaigns.models import Campaign, CampaignStatus


class CampaignFactory(factory.django.DjangoModelFactory[Campaign]):
    class Meta:
        model = Campaign

    owner = factory.SubFactory(UserFactory)
    workspace = factory.LazyAttribute(lambda obj: workspace_personal_for(obj.owner) if obj.owner.pk else None)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    description = ""
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))
    status = CampaignStatus.ACTIVE
