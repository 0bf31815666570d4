"""The workspace a request acts in, as the layers below `accounts` see it: a port that accounts plugs into.

The kernel (and `buffer_integration`, below accounts) cannot import `accounts`, where workspaces,
memberships and the role table live. `accounts` registers a `Tenancy` when it is ready
(`accounts.apps`); everything else asks this module:

- `request_workspace(request)`: the workspace the request acts in (a 404 for a non-member);
- `WorkspaceRole`: the DRF permission (in `DEFAULT_PERMISSION_CLASSES`) that checks the caller's role on
  every view marked `workspace_scoped`, with the capability the view names for the action.

A view says what each action needs in `capabilities` (action, or HTTP method in lower case for a
plain APIView → an `accounts.roles.Capability`); reads need only membership, a write the view does
not name needs the strongest routine role (`Tenancy.authorize` decides, default-deny).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.core.exceptions import ImproperlyConfigured
from rest_framework import exceptions as drf
from rest_framework.permissions import SAFE_METHODS, BasePermission

from kernel.errors import ServiceError

if TYPE_CHECKING:
    from django.http import HttpRequest
    from rest_framework.request import Request
    from rest_framework.views import APIView

WORKSPACE_HEADER = "X-Workspace"


class Tenancy(Protocol):
    def workspace(self, request: HttpRequest | Request) -> Any:
        """The workspace the request acts in; raises NotFound for a workspace the caller is not in."""

    def authorize(self, request: HttpRequest | Request, capability: object | None, *, write: bool) -> None:
        """Raises Forbidden unless the caller's role allows `capability` (None: the default for reads/writes)."""


_tenancy: Tenancy | None = None


def provide(tenancy: Tenancy) -> None:
    """Called once by `accounts` when the app registry is ready."""
    global _tenancy
    _tenancy = tenancy


def tenancy() -> Tenancy:
    if _tenancy is None:
        raise ImproperlyConfigured("No Tenancy registered: is `accounts` in INSTALLED_APPS?")
    return _tenancy


def request_workspace(request: HttpRequest | Request) -> Any:
    return tenancy().workspace(request)


class WorkspaceScopedView:
    """Marks an API view whose objects belong to the request's workspace (scoping, roles, schema).

    `capabilities` maps a viewset action (or a lower-case HTTP method) to what it needs.
    """

    workspace_scoped: ClassVar[bool] = True
    capabilities: ClassVar[Mapping[str, object]] = {}


def view_capability(view: Any, method: str) -> object | None:
    """What the view names for `method` (lower case) in `capabilities`, or None (the default: membership for a
    read, the strongest routine role for a write). A viewset's action for the method (so OPTIONS, probing each
    method, sees each one's need); a plain APIView's is the method itself."""
    capabilities: Mapping[str, object] = getattr(view, "capabilities", {})
    action_map: Mapping[str, str] = getattr(view, "action_map", None) or {}
    return capabilities.get(action_map.get(method) or getattr(view, "action", None) or method)


class WorkspaceRole(BasePermission):
    """The caller's role in the request's workspace allows the action (views not workspace-scoped pass)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not getattr(view, "workspace_scoped", False) or not request.user or not request.user.is_authenticated:
            return True
        method = (request.method or "").lower()
        if method not in view.http_method_names or not hasattr(view, method):
            return True  # DRF answers 405 for a method the view has no handler for, whatever the workspace
        try:
            tenancy().authorize(request, view_capability(view, method), write=request.method not in SAFE_METHODS)
        except ServiceError as exc:
            # As DRF's own exceptions, so OPTIONS (which probes each method's permission) leaves out what the
            # caller may not do instead of failing; the answer (status, `detail`) is the same.
            if exc.status_code == 403:
                raise drf.PermissionDenied(exc.detail) from exc
            if exc.status_code == 404:
                raise drf.NotFound(exc.detail) from exc
            raise
        return True
