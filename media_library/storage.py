"""Where stored files are fetched from: the one place that turns a storage name into a public URL."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage


def public_url(name: str | None) -> str:
    """The absolute URL Buffer (and a browser) fetches `name` from; "" for no file.

    `MEDIA_PUBLIC_BASE_URL` + the name when set (a CDN, or the app's own /media/ behind its public host);
    else the storage's URL (S3: the bucket's), made absolute with SITE_URL when it is a path (local files).
    """
    if not name:
        return ""
    base = settings.MEDIA_PUBLIC_BASE_URL
    if base:
        return f"{base}/{quote(name)}"
    url = default_storage.url(name)
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url
