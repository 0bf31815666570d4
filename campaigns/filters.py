import django_filters

from campaigns.models import Campaign, CampaignStatus


class CampaignFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CampaignStatus.choices, help_text="active, paused or completed")

    class Meta:
        model = Campaign
        fields = ["status"]
