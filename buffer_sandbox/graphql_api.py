"""`POST /graphql`: Buffer's GraphQL API (reference §10) over the sandbox's shared state and faults.

The pipeline mirrors the v1 one (api.py) so both backends meet the same weather: injected latency and
outages first, then authentication (401 with `errors`), then Buffer's per-client limit (100 requests
per rolling 15 minutes → 429 `RATE_LIMIT_EXCEEDED` with `retryAfter`), then the random 429/500 faults,
then graphql-core parses, validates and executes the document. Like Buffer, everything the server
understood answers HTTP 200, with failures in the body.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from graphql import GraphQLError, OperationType, execute, parse, validate
from graphql.utilities import get_operation_ast

from buffer_sandbox import graphql_schema
from buffer_sandbox.faults import FaultInjector, RateLimiter, Stats
from buffer_sandbox.state import SandboxState
from buffer_sandbox.wire import Request, Response

PATH = "/graphql"
WINDOW = 15 * 60  # Buffer: per client, rolling 15 minutes
TOO_MANY = "Too many requests from this client. Please try again later."


def errors_body(message: str, code: str, **extensions: object) -> dict:
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def bearer_token(request: Request) -> str | None:
    """Buffer's GraphQL API takes the key from `Authorization: Bearer` only (no query/form tokens)."""
    scheme, _, credential = request.headers.get("authorization", "").strip().partition(" ")
    return credential.strip() or None if scheme.lower() == "bearer" else None


class GraphQLApi:
    """Serves `/graphql`; like `V1Api` it owns nothing, so `/__sandbox/reset` resets what it uses."""

    def __init__(self, state: SandboxState, faults: FaultInjector, limiter: RateLimiter, stats: Stats):
        self.state, self.faults, self.limiter, self.stats = state, faults, limiter, stats
        self.schema = graphql_schema.build()

    def handle(self, request: Request) -> Response:
        self.stats.bump("requests")
        faults = self.faults.faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        if faults.down:
            self.stats.bump("faults_injected")
            return Response.json(503, errors_body("Service unavailable", "SERVICE_UNAVAILABLE"))
        if request.method != "POST":
            return Response.json(405, errors_body("Use POST.", "METHOD_NOT_ALLOWED"), headers={"Allow": "POST"})

        token = bearer_token(request)
        if self.state.authenticate(token) is None:
            body = errors_body("Missing or invalid API key.", "UNAUTHORIZED")
            return Response.json(401, body, headers={"WWW-Authenticate": 'Bearer realm="Buffer"'})
        wait = self.limiter.check(f"graphql:{token}", faults.graphql_rate_limit, self.state.now(), window=WINDOW)
        if wait is not None:
            self.stats.bump("rate_limited")
            return self._too_many(wait, limit=faults.graphql_rate_limit)

        inject_429, inject_500 = self.faults.draw()
        if inject_429:
            self.stats.bump("faults_injected")
            return self._too_many(1, limit=faults.graphql_rate_limit)
        try:
            query, variables, operation_name = self._body(request)
            document = parse(query)
        except (ValueError, GraphQLError) as exc:
            return Response.json(400, errors_body(str(getattr(exc, "message", exc)), "GRAPHQL_PARSE_FAILED"))
        problems = validate(self.schema, document)
        if problems:
            return Response.json(
                400,
                {"errors": [{**p.formatted, "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}} for p in problems]},
            )
        operation = get_operation_ast(document, operation_name)
        is_write = operation is not None and operation.operation == OperationType.MUTATION
        if inject_500:
            self.stats.bump("faults_injected")
            if is_write and faults.error_after_write:
                self._execute(document, variables, operation_name, token)  # the write lands; the answer is lost
            return Response.json(500, errors_body("An unexpected error occurred.", "INTERNAL_SERVER_ERROR"))
        return Response.json(200, self._execute(document, variables, operation_name, token))

    @staticmethod
    def _body(request: Request) -> tuple[str, dict | None, str | None]:
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            raise ValueError("The request body must be JSON: {query, variables, operationName}.") from None
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            raise ValueError("The request body must be a JSON object with a `query` string.")
        variables = body.get("variables")
        if variables is not None and not isinstance(variables, dict):
            raise ValueError("`variables` must be a JSON object.")
        name = body.get("operationName")
        return body["query"], variables, name if isinstance(name, str) else None

    def _execute(self, document, variables, operation_name, token: str) -> dict:
        ctx = graphql_schema.Context(self.state, token, self.faults.faults)
        result = execute(
            self.schema, document, variable_values=variables, operation_name=operation_name, context_value=ctx
        )
        self.stats.record_creates(ctx.created)
        return result.formatted

    def _too_many(self, wait: int, *, limit: int) -> Response:
        reset = datetime.fromtimestamp(self.state.now() + wait, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        body = errors_body(TOO_MANY, "RATE_LIMIT_EXCEEDED", limitType="CLIENT_ACCOUNT", retryAfter=wait)
        headers = {"RateLimit-Limit": str(limit), "RateLimit-Remaining": "0", "RateLimit-Reset": reset}
        return Response.json(429, body, headers=headers)
