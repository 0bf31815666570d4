"""drf-spectacular in one place: the error answers every operation can give, and the schema's links.

Views declare only what is particular to them (a 409 or a 503 with its reason); what follows from the
shared plumbing is added here, so the schema cannot forget it:

- 400 wherever a body or a query parameter is read (`detail`, plus `errors` by field);
- 401 wherever a caller is authenticated; 404 wherever the path names an object;
- on every workspace-scoped operation (`kernel.tenancy.WorkspaceScopedView`): the optional `X-Workspace`
  header, its 400 (not an id) and 404 (a workspace the caller is not a member of), and the 403 of a role
  that does not allow the action on writes and on the reads the view names a capability for (reads need
  only membership otherwise);
- 413 and 415 wherever a JSON body is read; 429 wherever the per-user rate limit applies;

each with the shared `Error` body. PUT bodies are partial, like PATCH. Strings that may be empty are
not given a `format` they would fail (an empty `email` or `avatar_url` is a real answer), and creates
link to the operations on what they made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework_simplejwt.views import TokenViewBase

from kernel.tenancy import WORKSPACE_HEADER, view_capability

# Formats an empty string does not satisfy, though a blank-allowing field may hold one.
BLANK_FAILING_FORMATS = frozenset({"uri", "email", "uuid", "hostname", "ipv4", "ipv6"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class ErrorSerializer(serializers.Serializer[Any]):
    """Every error answer of the API (DRF's and the product's alike)."""

    detail = serializers.CharField(help_text="One sentence for humans: the first problem, by field when there is one.")
    # A field named like Serializer.errors, which the stubs type as the errors dict.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.JSONField(),
        required=False,
        help_text="Validation errors only: each field (or bulk item index) mapped to its messages.",
    )


IMPLIED_ERRORS = {
    400: "Invalid input: `detail` names the first problem, `errors` (when given) lists them by field.",
    401: "Missing, invalid or expired credentials.",
    403: "The caller's role in the workspace does not allow this: `detail` names the role needed.",
    404: (
        "No such object in the request's workspace (another workspace's objects are not found either), "
        f"or an `{WORKSPACE_HEADER}` naming a workspace the caller is not a member of."
    ),
    413: "The request body is larger than the API accepts.",
    415: "The body is not `application/json`.",
    429: "Rate limit exceeded: retry after the number of seconds in `Retry-After`.",
}


WORKSPACE_PARAMETER = OpenApiParameter(
    WORKSPACE_HEADER,
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "The workspace (id) the request acts in; the caller's personal workspace when left out. "
        "One the caller is not a member of answers 404."
    ),
)


class SocialHubAutoSchema(AutoSchema):
    def _workspace_scoped(self) -> bool:
        return bool(getattr(self.view, "workspace_scoped", False))

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._workspace_scoped():
            parameters.append(WORKSPACE_PARAMETER)
        return parameters

    def _reads_body(self) -> bool:
        return self.method in BODY_METHODS and self.get_request_serializer() is not None

    def _reads_query(self) -> bool:
        return any(parameter.get("in") == "query" for parameter in self._get_parameters())

    def _authenticates(self) -> bool:
        # The token views authenticate by the body: a wrong password or token is a 401 too.
        return bool(self.view.get_authenticators()) or isinstance(self.view, TokenViewBase)

    def implied_error_codes(self) -> list[int]:
        codes: list[int] = []
        scoped = self._workspace_scoped()
        if self._reads_body() or self._reads_query() or scoped:
            codes.append(400)
        if self._authenticates():
            codes.append(401)
        if scoped and (self.method not in SAFE_METHODS or view_capability(self.view, self.method.lower()) is not None):
            codes.append(403)
        if "{" in self.path or scoped:
            codes.append(404)
        if self._reads_body():
            codes.extend([413, 415])
        if self.view.get_throttles():
            codes.append(429)
        return codes

    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self.implied_error_codes():
            responses.setdefault(str(code), {"description": IMPLIED_ERRORS[code]})
        error = self.resolve_serializer(ErrorSerializer, direction).ref
        for status, response in responses.items():
            if status[0] in "45" and "content" not in response:
                response["content"] = {"application/json": {"schema": error}}
        return dict(sorted(responses.items()))

    def _get_request_for_media_type(
        self, serializer: Any, direction: Literal["request", "response"] = "request"
    ) -> Any:
        # Every PUT of this API keeps the fields it leaves out (see OwnedModelViewSet.update): it takes
        # the same partial body as PATCH, with nothing required.
        if self.method != "PUT":
            return super()._get_request_for_media_type(serializer, direction)
        self.method = "PATCH"
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = "PUT"

    def _insert_field_validators(self, field: serializers.Field[Any, Any, Any, Any], schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)  # the last to set a `format` (from URL/email validators)
        if schema.get("format") in BLANK_FAILING_FORMATS and _may_be_blank(field):
            schema["anyOf"] = [{"format": schema.pop("format")}, {"maxLength": 0}]


def _may_be_blank(field: serializers.Field[Any, Any, Any, Any]) -> bool:
    if getattr(field, "allow_blank", False):
        return True
    # DRF drops `allow_blank` from read-only model fields; the column still holds "" when blank=True.
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if not field.read_only or model is None:
        return False
    try:
        blank: bool = model._meta.get_field(field.source).blank
        return blank
    except Exception:  # a property or a dotted source: nothing says it may be blank
        return False


def strip_optional_slashes(
    endpoints: list[tuple[str, str, str, Callable[..., Any]]], **kwargs: Any
) -> list[tuple[str, str, str, Callable[..., Any]]]:
    """Routes accept an optional trailing slash; document them the way the seed writes them, without."""
    return [
        (path.rstrip("/") if path != "/" else path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
    ]


def _created_id_pointer(operation: dict[str, Any], components: dict[str, Any]) -> str | None:
    """`$response.body#/<id>` when the 201 body is an object with an id property."""
    content = operation.get("responses", {}).get("201", {}).get("content", {}).get("application/json", {})
    schema = content.get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        schema = components.get(ref.rsplit("/", 1)[-1], {})
    properties = schema.get("properties", {})
    for name in ("id", "postId", "job_id"):
        if name in properties:
            return f"$response.body#/{name}"
    return None


def add_links(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """POST /things → every operation on /things/{id}… with the new id: the stateful phase follows these."""
    paths = result.get("paths", {})
    components = result.get("components", {}).get("schemas", {})
    for collection, operations in paths.items():
        create = operations.get("post")
        pointer = _created_id_pointer(create, components) if create else None
        if pointer is None:
            continue
        links: dict[str, Any] = {}
        for path, targets in paths.items():
            if not path.startswith(collection + "/{"):
                continue
            parameter = path[len(collection) + 2 :].split("}", 1)[0]
            for method, target in targets.items():
                if method in ("get", "put", "patch", "delete", "post") and "operationId" in target:
                    links[target["operationId"]] = {
                        "operationId": target["operationId"],
                        "parameters": {parameter: pointer},
                    }
        if links:
            create["responses"]["201"]["links"] = links
    return result
