from django.apps import AppConfig


class BufferIntegrationConfig(AppConfig):
    name = "buffer_integration"
    verbose_name = "Buffer integration"
