"""The embedded Celery broker: kombu's filesystem transport, made to work with late acks.

Celery drives this transport with its synchronous consumer loop, which applies acknowledgements
only between two `drain_events` calls. The stock transport keeps polling for the whole 2 s timeout
of that loop even when the worker may not take another message (prefetch full, waiting for acks
not applied yet), so with late acks and prefetch 1 every worker stalled 2 s after each
`concurrency` tasks (about 1 task per second per worker). Here a drain gives up after one polling
interval, the loop applies the acks, and the next message is taken at once.

The stock `_put` also creates the `.msg` file first and writes into it afterwards, so a consumer
on another process could pick up an empty or half-written message (JSONDecodeError, worker
crash). Here a message is written under a name no consumer looks at and renamed into place,
which is atomic on one filesystem.

Registered as `socialhub-filesystem://` (settings use it when CELERY_BROKER_URL is unset).
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.connection import Connection
from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    # kombu-stubs name this parameter `message` on AbstractChannel and `payload` on filesystem.Channel.
    def _put(self, queue: str, payload: dict[str, Any], **kwargs: Any) -> None:  # type: ignore[override]
        message_id = uuid.uuid4()
        final = os.path.join(self.data_folder_out, f"{round(monotonic() * 1000)}_{message_id}.{queue}.msg")
        # Consumers match names containing ".<queue>.msg": the partial name must not.
        partial = os.path.join(self.data_folder_out, f".{message_id}.partial")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError:
            raise ChannelError(f"Cannot add file {final!r} to directory") from None


class Transport(filesystem.Transport):
    Channel = Channel

    # The stubs' own virtual Transport narrows the base's `**kwargs` to `timeout` the same way (and ignores it too).
    def drain_events(self, connection: Connection, timeout: float | None = None) -> None:  # type: ignore[override]
        if timeout is not None and self.polling_interval:
            timeout = min(timeout, self.polling_interval)
        return super().drain_events(connection, timeout=timeout)


TRANSPORT_ALIASES.setdefault("socialhub-filesystem", "kernel.broker:Transport")
