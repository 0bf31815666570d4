"""The columns a posts file has, and how a cell is written so a spreadsheet never runs it as a formula."""

from __future__ import annotations

import re

EXTERNAL_ID = "external_id"
ACCOUNT = "account"
PLATFORM = "platform"
CONTENT = "content"
SCHEDULED_TIME = "scheduled_time"
TIMEZONE = "timezone"
STATUS = "status"
MEDIA_URLS = "media_urls"
CAMPAIGN = "campaign"
NETWORK_OPTIONS = "network_options"

# What export writes and import reads, in this order; import needs only `account` and `content`.
COLUMNS = (
    EXTERNAL_ID,
    ACCOUNT,
    PLATFORM,
    CONTENT,
    SCHEDULED_TIME,
    TIMEZONE,
    STATUS,
    MEDIA_URLS,
    CAMPAIGN,
    NETWORK_OPTIONS,
)
REQUIRED = (ACCOUNT, CONTENT)

# The API's field → the column a row's error is reported under.
COLUMN_OF_FIELD = {
    "social_account_id": ACCOUNT,
    "campaign_id": CAMPAIGN,
    "platform": PLATFORM,
    "content": CONTENT,
    "media_urls": MEDIA_URLS,
    "network_options": NETWORK_OPTIONS,
    "scheduled_time": SCHEDULED_TIME,
    "status": STATUS,
}

QUEUE = "queue"  # a `scheduled_time` of "queue": the account's next free queue slot (posts.queueing)

_MEDIA_SEPARATORS = re.compile(r"[\s|]+")

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection, OWASP). Export
# puts a "'" before such a cell (and before one that already starts with quotes and then one of them);
# import takes exactly one "'" off again, so text survives the round trip unchanged.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def escape_cell(text: str) -> str:
    return f"'{text}" if _FORMULA_START.match(text) else text


def unescape_cell(text: str) -> str:
    return text[1:] if _ESCAPED.match(text) else text


def split_media_urls(text: str) -> list[str]:
    """URLs separated by spaces, new lines or `|` (a URL contains none of them)."""
    return [url for url in _MEDIA_SEPARATORS.split(text.strip()) if url]


def join_media_urls(urls: list[str]) -> str:
    return " ".join(urls)
