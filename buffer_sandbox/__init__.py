"""A local stand-in for Buffer's v1 REST API (https://api.bufferapp.com/1/) and, at `/graphql`, for
its GraphQL API (https://api.buffer.com), both over one shared account store.

Buffer closed v1 to new apps in 2019, so SocialHub cannot get a real sandbox account; this package is
a real HTTP server that speaks the same contract (see /work/shared/reference/buffer-api.md) with
deterministic data, a movable clock and fault injection, so the client, the tasks and the UI can be
developed and tested end to end. Standard library plus graphql-core (to parse GraphQL as a real server
does): it runs standalone, in tests and under `python -m buffer_sandbox` without touching Django.
"""

from buffer_sandbox.server import SandboxServer

__all__ = ["SandboxServer"]
