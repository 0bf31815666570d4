"""What an access token may contain: it is sent as `Authorization: Bearer <token>`, so header-safe only.

Printable ASCII without spaces (what RFC 6750 bearer tokens are made of), at most 2,000 characters.
A CR/LF would split the header (`requests` refuses it with an error that quotes the whole header,
token included, into the log); a non-Latin-1 character cannot be encoded into a header at all.
Messages never repeat the token.
"""

from __future__ import annotations

import re

MAX_ACCESS_TOKEN_LENGTH = 2000
_HEADER_SAFE = re.compile(r"[\x21-\x7e]*")


def access_token_problem(token: str) -> str | None:
    """Why `token` cannot be used, in a sentence; None when it can ("" means no token)."""
    if len(token) > MAX_ACCESS_TOKEN_LENGTH:
        return f"An access token has at most {MAX_ACCESS_TOKEN_LENGTH} characters."
    if not _HEADER_SAFE.fullmatch(token):
        return (
            "An access token is printable ASCII without spaces; this one contains a space, a line break, "
            "a control or a non-ASCII character."
        )
    return None
