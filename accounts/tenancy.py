"""accounts' side of `kernel.tenancy`: the request's workspace and the role check, from the membership."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .roles import Capability, require
from .scoping import request_membership

if TYPE_CHECKING:
    from django.http import HttpRequest
    from rest_framework.request import Request

    from .models import Workspace


class MembershipTenancy:
    def workspace(self, request: HttpRequest | Request) -> Workspace:
        return request_membership(request).workspace

    def authorize(self, request: HttpRequest | Request, capability: object | None, *, write: bool) -> None:
        """Reads need membership only; a write the view names no capability for needs MANAGE (default-deny)."""
        if capability is None:
            capability = Capability.MANAGE if write else Capability.VIEW
        if not isinstance(capability, Capability):
            raise TypeError(f"not a Capability: {capability!r}")
        require(request_membership(request), capability)


CRUD_WRITES = ("create", "update", "partial_update", "destroy")


def writes(capability: Capability, *actions: str) -> dict[str, object]:
    """A viewset's `capabilities`: the CRUD writes (and `actions`) need `capability`."""
    return dict.fromkeys((*CRUD_WRITES, *actions), capability)
