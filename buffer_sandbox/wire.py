"""Transport-neutral request/response values passed between server.py and the route modules.

Keeping http.server out of the route code lets the v1 and admin handlers be plain functions of a
`Request`, and keeps body/query decoding (PHP brackets, JSON) in one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl

from buffer_sandbox.errors import AdminError
from buffer_sandbox.forms import parse_params

JSON_TYPE = "application/json;charset=UTF-8"


@dataclass
class Request:
    method: str
    path: str  # without the query string
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes = b""

    @cached_property
    def query(self) -> dict[str, Any]:
        return parse_params(self.query_string)

    @cached_property
    def flat_query(self) -> dict[str, str]:
        """Plain key/value query for admin routes (no bracket semantics needed there)."""
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @cached_property
    def form(self) -> dict[str, Any]:
        """x-www-form-urlencoded body (what Buffer requires); other body types are not parameters."""
        if not self.body or self.content_type not in ("", "application/x-www-form-urlencoded"):
            return {}
        return parse_params(self.body.decode("utf-8", errors="replace"))

    @cached_property
    def params(self) -> dict[str, Any]:
        """Query merged with the form body (the body wins), as Buffer's PHP backend would see them."""
        return {**self.query, **self.form}

    def json(self) -> dict[str, Any]:
        """Admin bodies: a JSON object (or, for curl convenience, a form body); empty means {}."""
        if not self.body.strip():
            return {}
        # curl -d sends JSON labelled as a form; only treat it as a form if it does not look like JSON.
        if self.content_type == "application/x-www-form-urlencoded" and not self.body.lstrip().startswith(b"{"):
            return dict(parse_qsl(self.body.decode("utf-8", errors="replace"), keep_blank_values=True))
        try:
            data = json.loads(self.body)
        except ValueError:
            raise AdminError(400, "Body must be a JSON object.") from None
        if not isinstance(data, dict):
            raise AdminError(400, "Body must be a JSON object.")
        return data


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data: Any, *, pretty: bool = False, headers: dict[str, str] | None = None) -> Response:
        text = json.dumps(data, indent=2 if pretty else None, ensure_ascii=False)
        return cls(status, text.encode("utf-8"), {"Content-Type": JSON_TYPE, **(headers or {})})

    @classmethod
    def empty(cls, status: int, headers: dict[str, str] | None = None) -> Response:
        return cls(status, b"", dict(headers or {}))
