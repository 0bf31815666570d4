import factory

from accounts.tests.factories import UserFactory
from buffer_integration.models import BufferConfig


class BufferConfigFactory(factory.django.DjangoModelFactory[BufferConfig]):
    class Meta:
        model = BufferConfig

    owner = factory.SubFactory(UserFactory)
    api = "v1"
    is_active = True

    @classmethod
    def _create(cls, model_class, *args, access_token: str = "sandbox-token", **kwargs):
        config = model_class(*args, **kwargs)
        config.set_access_token(access_token)
        config.save()
        return config
