import factory

from accounts.tests.factories import UserFactory
from accounts.workspaces import workspace_personal_for
from buffer_integration.models import BufferConfig


class BufferConfigFactory(factory.django.DjangoModelFactory[BufferConfig]):
    class Meta:
        model = BufferConfig

    owner = factory.SubFactory(UserFactory)
    workspace = factory.LazyAttribute(lambda obj: workspace_personal_for(obj.owner) if obj.owner.pk else None)
    api = "v1"
    is_active = True

    @classmethod
    def _create(cls, model_class, *args, access_token: str = "sandbox-token", **kwargs):
        config = model_class(*args, **kwargs)
        config.set_access_token(access_token)
        config.save()
        return config
