"""Local files served by the app itself at MEDIA_URL (bin/run, one machine): Buffer and browsers fetch them
without signing in, as they would from a bucket; names are random, and only our own layout is served."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from media_library.validation import TYPES

_NAME = re.compile(r"^[0-9]+/(?:thumbs/)?[0-9a-f]{32}(\.[a-z0-9]{2,5})$")
_CONTENT_TYPES = {ext: t.content_types[0] for t in TYPES.values() for ext in t.extensions}


@require_safe
def media_file(request: HttpRequest, name: str) -> FileResponse:
    match = _NAME.match(name)
    if not settings.MEDIA_SERVE_LOCAL or match is None or match.group(1) not in _CONTENT_TYPES:
        raise Http404("No such file.")
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such file.") from None
    response = FileResponse(handle, content_type=_CONTENT_TYPES[match.group(1)])
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # a name is never reused
    return response
