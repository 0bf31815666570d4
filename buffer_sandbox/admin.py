"""The `/__sandbox/` control API: reset, faults, clock, token revocation, inspection, comments.

Not part of Buffer. Tests and the product's own integration checks drive the sandbox through it
(JSON in, JSON out, no auth), so it never goes through fault injection or rate limiting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from buffer_sandbox import config
from buffer_sandbox.budgets import Budgets
from buffer_sandbox.errors import AdminError, ApiError
from buffer_sandbox.faults import FaultInjector, RateLimiter, Stats
from buffer_sandbox.schedule import parse_timestamp
from buffer_sandbox.state import SandboxState
from buffer_sandbox.wire import Request, Response

PREFIX = "/__sandbox/"
AdminHandler = Callable[["AdminApi", Request, dict[str, str]], Any]


def _int(data: dict, key: str) -> int:
    try:
        return int(data[key])
    except KeyError:
        raise AdminError(400, f"{key} is required.") from None
    except (TypeError, ValueError):
        raise AdminError(400, f"{key} must be an integer.") from None


def _text(data: dict, key: str = "text") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise AdminError(400, f"{key} is required.")
    return value


class AdminApi:
    def __init__(
        self, state: SandboxState, faults: FaultInjector, limiter: RateLimiter, stats: Stats, budgets: Budgets
    ):
        self.state, self.faults, self.limiter, self.stats, self.budgets = state, faults, limiter, stats, budgets

    def handle(self, request: Request) -> Response:
        path = request.path[len(PREFIX) :].strip("/")
        try:
            path_exists = False
            for method, pattern, handler in _ROUTES:
                match = pattern.match(path)
                if match and method == request.method:
                    return _as_response(handler(self, request, match.groupdict()))
                path_exists = path_exists or bool(match)
            if path_exists:
                raise AdminError(405, f"{request.method} not allowed on {request.path}.")
            raise AdminError(404, f"No sandbox admin route {request.path}.")
        except AdminError as exc:
            return Response.json(exc.status, {"error": exc.message})

    # -- handlers --------------------------------------------------------------------------------
    def reset(self, request: Request, args: dict) -> dict:
        self.state.reset()
        self.faults.reset()
        self.limiter.reset()
        self.stats.reset()
        self.budgets.reset()
        return {"success": True}

    def get_faults(self, request: Request, args: dict) -> dict:
        return self.faults.faults.as_dict()

    def put_faults(self, request: Request, args: dict) -> dict:
        return self.faults.update(request.json()).as_dict()

    def revoke(self, request: Request, args: dict) -> dict:
        token = _text(request.json(), "token")
        self.state.revoke(token)
        return {"success": True}

    def profiles(self, request: Request, args: dict) -> list[dict]:
        token = request.flat_query.get("token", "")
        if not token:
            raise AdminError(400, "token is required.")
        if self.state.authenticate(token) is None:
            raise AdminError(400, "That token is rejected by the sandbox (starts with 'invalid' or was revoked).")
        return self.state.profiles(token)

    def get_clock(self, request: Request, args: dict) -> dict:
        return self.state.clock()

    def set_clock(self, request: Request, args: dict) -> dict:
        """`{"offset_seconds": n}`, `{"advance_seconds": n}` or `{"now": epoch seconds | ISO-8601}`."""
        data = request.json()
        if "now" in data:
            try:
                when = parse_timestamp(str(data["now"]))
            except ApiError:
                raise AdminError(400, "now must be epoch seconds or an ISO-8601 time.") from None
            return self.state.set_clock(self.state.store.clock_offset + when - self.state.now())
        if "advance_seconds" in data:
            return self.state.set_clock(self.state.store.clock_offset + _int(data, "advance_seconds"))
        return self.state.set_clock(_int(data, "offset_seconds"))

    def updates(self, request: Request, args: dict) -> list[dict]:
        return self.state.admin_updates(request.flat_query.get("profile_id") or None)

    def stats_(self, request: Request, args: dict) -> dict:
        """Adds `graphql_tokens`: per API key, its plan, limits, requests seen, 429s and window use."""
        tokens = self.budgets.as_dict(self.state.now(), self.faults.faults.graphql_rate_limit)
        return {**self.stats.as_dict(), "graphql_tokens": tokens}

    def set_plan(self, request: Request, args: dict) -> dict:
        data = request.json()
        limits = data.get("limits") or {}
        if not isinstance(limits, dict):
            raise AdminError(400, 'limits must be an object like {"30d": 5}.')
        return self.budgets.set_plan(_text(data, "token"), str(data.get("plan") or "free"), limits)

    def add_organization(self, request: Request, args: dict) -> Response:
        data = request.json()
        token = _text(data, "token")
        if self.state.authenticate(token) is None:
            raise AdminError(400, "That token is rejected by the sandbox (starts with 'invalid' or was revoked).")
        services = data.get("services") or [s for s, _ in config.SECOND_ORGANIZATION_SERVICES]
        known = dict(config.SERVICES)
        if not isinstance(services, list) or any(s not in known for s in services):
            raise AdminError(400, f"services must be a list of: {', '.join(known)}.")
        return Response.json(201, self.state.add_organization(token, [(s, known[s]) for s in services]))

    def send(self, request: Request, args: dict) -> dict:
        return self.state.admin_send(args["uid"])

    def add_comment(self, request: Request, args: dict) -> Response:
        data = request.json()
        comment = self.state.add_comment(args["uid"], _text(data), data.get("author"), data.get("parent_id"))
        return Response.json(201, comment)

    def edit_comment(self, request: Request, args: dict) -> dict:
        return self.state.edit_comment(args["cid"], _text(request.json()))

    def delete_comment(self, request: Request, args: dict) -> Response:
        self.state.delete_comment(args["cid"])
        return Response.empty(204)

    def health(self, request: Request, args: dict) -> dict:
        return {"ok": True, **self.state.clock()}


def _as_response(result: Any) -> Response:
    return result if isinstance(result, Response) else Response.json(200, result)


def _r(method: str, path: str, handler: AdminHandler) -> tuple[str, re.Pattern[str], AdminHandler]:
    return method, re.compile("^" + re.sub(r":(\w+)", r"(?P<\1>[^/]+)", path) + "$"), handler


_ROUTES = [
    _r("POST", "reset", AdminApi.reset),
    _r("GET", "faults", AdminApi.get_faults),
    _r("PUT", "faults", AdminApi.put_faults),
    _r("POST", "faults", AdminApi.put_faults),
    _r("POST", "tokens/revoke", AdminApi.revoke),
    _r("GET", "profiles", AdminApi.profiles),
    _r("GET", "clock", AdminApi.get_clock),
    _r("POST", "clock", AdminApi.set_clock),
    _r("GET", "updates", AdminApi.updates),
    _r("GET", "stats", AdminApi.stats_),
    _r("POST", "tokens/plan", AdminApi.set_plan),
    _r("POST", "organizations", AdminApi.add_organization),
    _r("POST", "updates/:uid/send", AdminApi.send),
    _r("POST", "updates/:uid/comments", AdminApi.add_comment),
    _r("PUT", "comments/:cid", AdminApi.edit_comment),
    _r("DELETE", "comments/:cid", AdminApi.delete_comment),
    _r("GET", "health", AdminApi.health),
]
