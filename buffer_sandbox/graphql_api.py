"""`POST /graphql`: Buffer's GraphQL API over the sandbox's shared state and faults.

The pipeline mirrors the v1 one (api.py) so both backends meet the same weather: injected latency and
outages first, then authentication (401 with `errors`), then Buffer's request budgets (15 min / 24 h
/ 30 d per key → 429 `RATE_LIMIT_EXCEEDED` naming the `window`, the wait in `Retry-After`; see
budgets.py), then the random 429/500 faults, then graphql-core parses, validates (HTTP 400), coerces
the variables (HTTP 400 `BAD_USER_INPUT`) and executes the document. Like Buffer, everything the
server understood answers HTTP 200 with failures in the body — its own failure too: `UNEXPECTED`
(the `unexpected_rate` knob), possibly after the write landed (`unexpected_after_write`).
"""

from __future__ import annotations

import json
import time
from inspect import isawaitable

from graphql import GraphQLError, OperationType, execute, parse, validate
from graphql.execution.values import get_variable_values
from graphql.utilities import get_operation_ast

from buffer_sandbox import graphql_rules, graphql_schema
from buffer_sandbox.budgets import Budgets
from buffer_sandbox.faults import FaultInjector, Faults, Stats
from buffer_sandbox.state import SandboxState
from buffer_sandbox.wire import Request, Response

PATH = "/graphql"
TOO_MANY = "Too many requests from this client. Please try again later."
UNEXPECTED = "An unexpected error occurred."


def errors_body(message: str, code: str, **extensions: object) -> dict:
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def bearer_token(request: Request) -> str | None:
    """Buffer's GraphQL API takes the key from `Authorization: Bearer` only (no query/form tokens)."""
    scheme, _, credential = request.headers.get("authorization", "").strip().partition(" ")
    return credential.strip() or None if scheme.lower() == "bearer" else None


class GraphQLApi:
    """Serves `/graphql`; like `V1Api` it owns nothing, so `/__sandbox/reset` resets what it uses."""

    def __init__(self, state: SandboxState, faults: FaultInjector, budgets: Budgets, stats: Stats):
        self.state, self.faults, self.budgets, self.stats = state, faults, budgets, stats
        self.schemas = {True: graphql_schema.build(link_asset=True), False: graphql_schema.build(link_asset=False)}

    def handle(self, request: Request) -> Response:
        self.stats.bump("requests")
        faults = self.faults.faults
        if (refused_early := self._front_door(request, faults)) is not None:
            return refused_early

        token = bearer_token(request)
        if token is None or self.state.authenticate(token) is None:
            body = errors_body("Missing or invalid API key.", "UNAUTHORIZED")
            return Response.json(401, body, headers={"WWW-Authenticate": 'Bearer realm="Buffer"'})
        now = self.state.now()
        refused = self.budgets.check(token, now, faults.graphql_rate_limit)
        if refused is not None:
            self.stats.bump("rate_limited")
            return self._too_many(*refused)
        headers = self.budgets.headers(token, now, faults.graphql_rate_limit)

        inject_429, inject_500 = self.faults.draw()
        if inject_429:
            self.stats.bump("faults_injected")
            return self._too_many("15m", faults.graphql_rate_limit, 1)
        schema = self.schemas[graphql_rules.link_asset_available(now)]
        try:
            query, variables, operation_name = self._body(request)
            document = parse(query)
        except (ValueError, GraphQLError) as exc:
            return Response.json(400, errors_body(str(getattr(exc, "message", exc)), "GRAPHQL_PARSE_FAILED"))
        operation = get_operation_ast(document, operation_name)
        if (invalid := self._invalid(schema, document, operation, variables, headers)) is not None:
            return invalid
        is_write = operation is not None and operation.operation == OperationType.MUTATION
        if inject_500:
            self.stats.bump("faults_injected")
            if is_write and faults.error_after_write:
                self._execute(schema, document, variables, operation_name, token)  # the write lands; the answer is lost
            return Response.json(500, errors_body("An unexpected error occurred.", "INTERNAL_SERVER_ERROR"))
        if self.faults.draw_unexpected():
            self.stats.bump("faults_injected")
            if is_write and faults.unexpected_after_write:
                self._execute(schema, document, variables, operation_name, token)
            return Response.json(200, {"data": None, **errors_body(UNEXPECTED, "UNEXPECTED")}, headers=headers)
        return Response.json(200, self._execute(schema, document, variables, operation_name, token), headers=headers)

    def _front_door(self, request: Request, faults: Faults) -> Response | None:
        """The injected latency and outage, and the method: before the key is even looked at."""
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        if faults.down:
            self.stats.bump("faults_injected")
            return Response.json(503, errors_body("Service unavailable", "SERVICE_UNAVAILABLE"))
        if request.method != "POST":
            return Response.json(405, errors_body("Use POST.", "METHOD_NOT_ALLOWED"), headers={"Allow": "POST"})
        return None

    @staticmethod
    def _invalid(schema, document, operation, variables: dict | None, headers: dict) -> Response | None:
        """The 400 for a document the schema rejects, or for variables that do not coerce to their types."""
        problems = validate(schema, document)
        if problems:
            return Response.json(
                400,
                {"errors": [{**p.formatted, "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}} for p in problems]},
            )
        if operation is not None:
            coerced = get_variable_values(schema, operation.variable_definitions or [], variables or {})
            if isinstance(coerced, list):  # e.g. `link` in an AssetInput after 2026-12-15, two kinds in one asset
                body = {"errors": [{**e.formatted, "extensions": {"code": "BAD_USER_INPUT"}} for e in coerced]}
                return Response.json(400, body, headers=headers)
        return None

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

    def _execute(self, schema, document, variables, operation_name, token: str) -> dict:
        ctx = graphql_schema.Context(self.state, token, self.faults.faults)
        result = execute(schema, document, variable_values=variables, operation_name=operation_name, context_value=ctx)
        if isawaitable(result):
            raise TypeError("The sandbox's resolvers are synchronous.")
        self.stats.record_creates(ctx.created)
        return dict(result.formatted)

    def _too_many(self, window: str, limit: int, wait: int) -> Response:
        """Buffer's 429: the window in the body, the wait in `Retry-After` only (README rule 5)."""
        body = errors_body(TOO_MANY, "RATE_LIMIT_EXCEEDED", window=window)
        headers = {
            "Retry-After": str(wait),
            "RateLimit": f'"{window}";r=0;t={wait}',
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(self.state.now() + wait),
        }
        return Response.json(429, body, headers=headers)
