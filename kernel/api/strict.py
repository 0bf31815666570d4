"""JSON bodies are taken at their word: a value of the wrong JSON type is a 400, not converted.

DRF is lenient by design — `"content": 0` becomes "0", `"is_active": 0` becomes False, `"id": "7"`
becomes 7, `True` counts as 1 — which suits HTML forms but makes a JSON API accept what its own
OpenAPI schema says is invalid (Schemathesis' `negative_data_rejection` check finds each one).
The API's serializers derive from `StrictSerializer` / `StrictModelSerializer`, which check the
JSON type of every writable field before DRF converts anything. Form data (a QueryDict, where
everything is a string) is left to DRF's usual parsing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.http import QueryDict
from rest_framework import serializers
from rest_framework.fields import empty

if TYPE_CHECKING:
    _Field = serializers.Field[Any, Any, Any, Any]
    _SerializerBase = serializers.Serializer[Any]  # what the mixin extends, for the checker only
else:
    _SerializerBase = object

# DRF's own messages for these fields, so a client sees one wording whichever check answered.
_EXPECTED = {
    "string": "Not a valid string.",
    "boolean": "Must be a valid boolean.",
    "integer": "A valid integer is required.",
    "number": "A valid number is required.",
    "array": 'Expected a list of items but got type "{type}".',
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _expected_type(field: _Field) -> str | None:
    """The JSON type a field documents (what drf-spectacular puts in the schema); None: any."""
    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, serializers.ChoiceField):
        keys = list(field.choices)
        return "string" if keys and all(isinstance(key, str) for key in keys) else None
    if isinstance(field, (serializers.CharField, serializers.DateTimeField, serializers.DateField)):
        return "string"
    if isinstance(field, serializers.IntegerField):
        return "integer"
    if isinstance(field, serializers.FloatField):
        return "number"
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        return "integer"
    if isinstance(field, (serializers.ListField, serializers.ManyRelatedField, serializers.ListSerializer)):
        return "array"
    return None  # JSONField, DictField, DecimalField (a string in the schema), nested serializers


def _matches(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return _is_int(value)
    if kind == "number":
        return _is_int(value) or isinstance(value, float)
    return isinstance(value, list)


def _child(field: _Field) -> _Field | None:
    if isinstance(field, serializers.ListField):
        return field.child
    if isinstance(field, serializers.ManyRelatedField):
        return field.child_relation
    return None


def json_type_problem(field: _Field, value: Any) -> str | list[str] | None:
    """Why `value` is not of the field's JSON type (a message, or per-item messages), else None."""
    if value is None:
        return None  # DRF's own allow_null check answers for null
    kind = _expected_type(field)
    if kind is None:
        return None
    if not _matches(kind, value):
        return _EXPECTED[kind].format(type=type(value).__name__)
    child = _child(field)
    if child is not None:
        problems = {index: json_type_problem(child, item) for index, item in enumerate(value)}
        problems = {index: problem for index, problem in problems.items() if problem}
        if problems:
            return [f"Item {index}: {problem}" for index, problem in problems.items()]
    return None


class StrictTypesMixin(_SerializerBase):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping) and not isinstance(data, QueryDict):
            errors: dict[str, list[str]] = {}
            for name, field in self.fields.items():
                if field.read_only or name not in data or data[name] is empty:
                    continue
                problem = json_type_problem(field, data[name])
                if problem:
                    errors[name] = problem if isinstance(problem, list) else [problem]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictSerializer(StrictTypesMixin, serializers.Serializer[Any]):
    pass


class StrictModelSerializer(StrictTypesMixin, serializers.ModelSerializer[Any]):
    pass
