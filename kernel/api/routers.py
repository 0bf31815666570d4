from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    """The seed writes paths without a trailing slash; accept both rather than redirect API clients."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"
