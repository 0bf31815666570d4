"""`audited_update(queryset, **values)`: an `.update()` the audit log sees, for the layers below it.

The log lives in `accounts` (`accounts.audit.record_update`); `buffer_integration` sits below it and
cannot import it. Its `.update()`s of user-visible fields call this instead, and `accounts` plugs its
recorder in when it loads (`AccountsConfig.ready`). Without one it is a plain `.update()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

UpdateRecorder = Callable[..., int]
_recorder: UpdateRecorder | None = None


def register_update_recorder(recorder: UpdateRecorder) -> None:
    global _recorder
    _recorder = recorder


def audited_update(queryset: QuerySet[Any], **values: Any) -> int:
    """`queryset.update(**values)`, with an audit event for each row it changed; returns the row count."""
    if _recorder is None:
        return queryset.update(**values)
    return _recorder(queryset, **values)
