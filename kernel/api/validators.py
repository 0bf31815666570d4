"""Field validators the API's serializers share."""

from __future__ import annotations

from rest_framework import serializers

from kernel.tokens import access_token_problem


def validate_access_token(value: str) -> None:
    """Header-safe tokens only (see kernel.tokens): a 400 under `errors.access_token`."""
    problem = access_token_problem(value)
    if problem:
        raise serializers.ValidationError(problem, code="invalid_token")
