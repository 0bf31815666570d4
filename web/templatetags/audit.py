"""`{% if request|can_see_audit %}`: whether the caller's role lets them open the workspace's audit log."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from accounts.roles import Capability, role_allows
from accounts.scoping import request_membership
from kernel.errors import ServiceError

register = template.Library()


@register.filter
def can_see_audit(request: HttpRequest) -> bool:
    if not request.user.is_authenticated:
        return False
    try:
        membership = request_membership(request)  # cached on the request: the page's own lookup reuses it
    except ServiceError:
        return False
    return role_allows(membership.role, Capability.MANAGE)
