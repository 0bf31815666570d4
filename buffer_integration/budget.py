"""One request budget per Buffer API key, shared by every process through the Django cache.

Placeholder for the interface other modules build against; the implementation lands with issue 13.
"""

from __future__ import annotations

import enum


class Priority(enum.IntEnum):
    """Who is asking. Lower value = more important; lower priorities leave a reserve for higher ones."""

    PUBLISH = 0
    RECONCILE = 1
    STATUS_SYNC = 2
    ANALYTICS = 3
    COMMENT_SYNC = 4
