"""The embedded Celery broker: kombu's filesystem transport, made to work with late acks.

Celery drives this transport with its synchronous consumer loop, which applies acknowledgements
only between two `drain_events` calls. The stock transport keeps polling for the whole 2 s timeout
of that loop even when the worker may not take another message (prefetch full, waiting for acks
not applied yet), so with late acks and prefetch 1 every worker stalled 2 s after each
`concurrency` tasks (about 1 task per second per worker). Here a drain gives up after one polling
interval, the loop applies the acks, and the next message is taken at once.

Registered as `socialhub-filesystem://` (settings use it when CELERY_BROKER_URL is unset).
"""

from __future__ import annotations

from kombu.transport import TRANSPORT_ALIASES, filesystem


class Transport(filesystem.Transport):
    def drain_events(self, connection, timeout=None):
        if timeout is not None and self.polling_interval:
            timeout = min(timeout, self.polling_interval)
        return super().drain_events(connection, timeout=timeout)


TRANSPORT_ALIASES.setdefault("socialhub-filesystem", "socialhub.broker:Transport")
