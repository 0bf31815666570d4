"""The v1 REST surface: route table, then the pipeline every /1/ request goes through.

Order matters and mirrors what a client can observe from real Buffer: injected latency and outages
first, then format/route errors (406/404/405), then authentication (401, empty body), then the
documented per-user rate limit (429), then injected random faults, then the handler.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from buffer_sandbox import config, fakes
from buffer_sandbox.errors import ApiError
from buffer_sandbox.faults import FaultInjector, RateLimiter, Stats
from buffer_sandbox.forms import parse_bool
from buffer_sandbox.state import SandboxState
from buffer_sandbox.wire import JSON_TYPE, Request, Response

# Verbatim from Buffer's 2013 recording (reference §2).
WWW_AUTHENTICATE = (
    "OAuth realm='Service', error='invalid_request', error_description='The request is missing a "
    "required parameter, includes an unsupported parameter or parameter value, repeats the same "
    "parameter, uses more than one method for including an access token, or is otherwise malformed.'"
)
UNAVAILABLE = {"success": False, "message": "Service unavailable"}
TOO_MANY = {"success": False, "code": 429, "message": "Too Many Requests."}


@dataclass
class Ctx:
    """What a handler gets: the request, its (authenticated) token and the path arguments."""

    request: Request
    token: str | None
    args: dict[str, str]

    @property
    def params(self) -> dict[str, Any]:
        return self.request.params

    @property
    def user_token(self) -> str:
        """The token of a route that needs one (the dispatcher answers 401 before calling it without)."""
        if self.token is None:
            raise LookupError("this route is called without authentication")
        return self.token


Handler = Callable[[SandboxState, Ctx], Any]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool = True
    create: bool = False  # counts towards /__sandbox/stats "creates"


def _route(method: str, path: str, handler: Handler, **kw: bool) -> Route:
    regex = re.sub(r":(\w+)", r"(?P<\1>[^/]+)", path)
    return Route(method, re.compile(f"^{regex}$"), handler, **kw)


def _oauth_token(state: SandboxState, ctx: Ctx) -> dict:
    """Step 2 of the OAuth flow; any code works except those starting with "invalid"."""
    missing = [k for k in ("client_id", "client_secret", "redirect_uri", "code", "grant_type") if not ctx.params.get(k)]
    if missing:
        raise ApiError(1004, f"Required parameter missing: {', '.join(missing)}.")
    if ctx.params["grant_type"] != "authorization_code" or str(ctx.params["code"]).startswith("invalid"):
        raise ApiError(1003, "Invalid authorization code.")
    return {"access_token": "1/" + fakes.digest("oauth", ctx.params["code"])[:32], "token_type": "bearer"}


def _links_shares(state: SandboxState, ctx: Ctx) -> dict:
    url = str(ctx.params.get("url") or "")
    if not url:
        raise ApiError(1004, "Required parameter missing: url.")
    return {"shares": fakes.shares(url)}


def _deauthorize(state: SandboxState, ctx: Ctx) -> dict:
    state.revoke(ctx.token or "")
    return {"success": True, "message": "Access successfully revoked!"}


ROUTES: list[Route] = [
    _route("GET", "user", lambda s, c: s.user(c.user_token)),
    _route("POST", "user/deauthorize", _deauthorize),
    _route("GET", "profiles", lambda s, c: s.profiles(c.user_token)),
    _route("GET", "profiles/:pid", lambda s, c: s.profile(c.user_token, c.args["pid"])),
    _route("GET", "profiles/:pid/schedules", lambda s, c: s.schedules(c.user_token, c.args["pid"])),
    _route(
        "POST", "profiles/:pid/schedules/update", lambda s, c: s.set_schedules(c.user_token, c.args["pid"], c.params)
    ),
    _route(
        "GET",
        "profiles/:pid/updates/pending",
        lambda s, c: s.list_updates(c.user_token, c.args["pid"], "pending", c.params),
    ),
    _route(
        "GET", "profiles/:pid/updates/sent", lambda s, c: s.list_updates(c.user_token, c.args["pid"], "sent", c.params)
    ),
    _route("POST", "profiles/:pid/updates/reorder", lambda s, c: s.reorder(c.user_token, c.args["pid"], c.params)),
    _route("POST", "profiles/:pid/updates/shuffle", lambda s, c: s.shuffle(c.user_token, c.args["pid"], c.params)),
    _route("POST", "updates/create", lambda s, c: s.create(c.user_token, c.params), create=True),
    _route("GET", "updates/:uid", lambda s, c: s.get_update(c.user_token, c.args["uid"], c.params)),
    _route("GET", "updates/:uid/interactions", lambda s, c: s.interactions(c.user_token, c.args["uid"], c.params)),
    _route("POST", "updates/:uid/update", lambda s, c: s.edit(c.user_token, c.args["uid"], c.params)),
    _route("POST", "updates/:uid/share", lambda s, c: s.share(c.user_token, c.args["uid"])),
    _route("POST", "updates/:uid/destroy", lambda s, c: s.destroy(c.user_token, c.args["uid"])),
    _route("POST", "updates/:uid/move_to_top", lambda s, c: s.move_to_top(c.user_token, c.args["uid"], c.params)),
    _route("GET", "links/shares", _links_shares),
    _route(
        "GET",
        "info/configuration",
        lambda s, c: Response(200, config.raw_configuration(), {"Content-Type": JSON_TYPE}),
        auth=False,
    ),
    _route("POST", "oauth2/token", _oauth_token, auth=False),
]


def extract_token(request: Request) -> tuple[str | None, bool]:
    """(token, ambiguous): from `?access_token=`, the form body or `Authorization: Bearer`.

    Two *different* tokens in one request are refused, as Buffer's 401 text says ("uses more than
    one method for including an access token"); the same token twice is harmless.
    """
    found = []
    for source in (request.query, request.form):
        value = source.get("access_token")
        if isinstance(value, str) and value:
            found.append(value)
    scheme, _, credential = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() in ("bearer", "oauth") and credential.strip():
        found.append(credential.strip())
    distinct = set(found)
    return (found[0] if len(distinct) == 1 else None), len(distinct) > 1


class V1Api:
    """Serves `/1/...`; owns nothing, so the admin API can reset every piece it uses."""

    def __init__(self, state: SandboxState, faults: FaultInjector, limiter: RateLimiter, stats: Stats):
        self.state, self.faults, self.limiter, self.stats = state, faults, limiter, stats

    def handle(self, request: Request) -> Response:
        self.stats.bump("requests")
        faults = self.faults.faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        if faults.down:
            self.stats.bump("faults_injected")
            return Response.json(503, UNAVAILABLE)
        pretty = parse_bool(request.query.get("pretty"))
        try:
            route, args = self._resolve(request)
        except ApiError as exc:
            return Response.json(exc.status, exc.body(), pretty=pretty)

        token, ambiguous = extract_token(request)
        authenticated = None if ambiguous else self.state.authenticate(token)
        if route.auth and authenticated is None:
            return Response.empty(401, {"Content-Type": "text/html", "WWW-Authenticate": WWW_AUTHENTICATE})
        if authenticated is not None and token is not None:
            wait = self.limiter.check(token, faults.rate_limit_per_minute, self.state.now())
            if wait is not None:
                self.stats.bump("rate_limited")
                return Response.json(429, TOO_MANY, headers={"Retry-After": str(wait)})

        inject_429, inject_500 = self.faults.draw()
        if inject_429:
            self.stats.bump("faults_injected")
            return Response.json(429, TOO_MANY, headers={"Retry-After": "1"})
        ctx = Ctx(request, token if authenticated else None, args)
        if inject_500:
            self.stats.bump("faults_injected")
            if route.method == "POST" and faults.error_after_write:
                self._run(route, ctx, pretty)  # the write lands; only the answer is lost
            return Response.json(500, ApiError(1000).body())
        return self._run(route, ctx, pretty)

    def _resolve(self, request: Request) -> tuple[Route, dict[str, str]]:
        path = request.path[len("/1/") :]
        if not path.endswith(".json"):
            raise ApiError(1005)
        path = path[: -len(".json")]
        matches = [(r, m) for r in ROUTES if (m := r.pattern.match(path))]
        for route, match in matches:
            if route.method == request.method:
                return route, match.groupdict()
        if matches:
            raise ApiError(405)
        raise ApiError(404)

    def _run(self, route: Route, ctx: Ctx, pretty: bool) -> Response:
        try:
            result = route.handler(self.state, ctx)
        except ApiError as exc:
            return Response.json(exc.status, exc.body(), pretty=pretty)
        if route.create:
            result, created = result
            self.stats.record_creates(created)
        if isinstance(result, Response):
            return result
        return Response.json(200, result, pretty=pretty)
