"""PHP-style bracket parameters, as Buffer's PHP/Ruby/Node clients send them.

Buffer's v1 API was PHP-flavoured: arrays and hashes travel as `profile_ids[]=a`, `profile_ids[0]=a`
(buffer-node's `qs` index format), `media[link]=...` and `schedules[0][days][]=mon`, in both query
strings and x-www-form-urlencoded bodies. `parse_params` turns such pairs into nested dicts/lists the
way PHP's `parse_str` would, so handlers never see raw bracket keys.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

_TRUE = {"true", "1", "yes", "on"}
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


class _Node(dict):
    """A container under construction; int keys come from `[]` or `[N]`, str keys from `[name]`."""

    def next_index(self) -> int:
        ints = [k for k in self if isinstance(k, int)]
        return max(ints) + 1 if ints else 0


def split_key(key: str) -> list[str]:
    """`a[b][][0]` -> ["a", "b", "", "0"]; a key with unbalanced brackets is taken literally."""
    head, bracket, rest = key.partition("[")
    if not bracket or not head:
        return [key]
    rest = "[" + rest
    segments = _SEGMENT.findall(rest)
    if "".join(f"[{s}]" for s in segments) != rest:
        return [key]
    return [head, *segments]


def _key(node: _Node, segment: str) -> int | str:
    if segment == "":
        return node.next_index()
    if segment.isdigit():
        return int(segment)
    return segment


def _finalize(value: Any) -> Any:
    """Containers whose keys are all indexes become lists (ordered by index), others dicts."""
    if not isinstance(value, _Node):
        return value
    if value and all(isinstance(k, int) for k in value):
        return [_finalize(value[k]) for k in sorted(value)]
    return {str(k): _finalize(v) for k, v in value.items()}


def parse_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Build nested params from decoded (key, value) pairs; a later scalar overwrites, as in PHP."""
    root = _Node()
    for raw_key, value in pairs:
        path = split_key(raw_key)
        node = root
        for segment in path[:-1]:
            key = _key(node, segment)
            child = node.get(key)
            if not isinstance(child, _Node):
                child = node[key] = _Node()
            node = child
        node[_key(node, path[-1])] = value
    return _finalize(root)


def parse_params(encoded: str) -> dict[str, Any]:
    """Parse a query string or an x-www-form-urlencoded body."""
    return parse_pairs(parse_qsl(encoded, keep_blank_values=True))


def parse_bool(value: Any) -> bool:
    """Clients send `true`, `1` or Python's `True`; anything else (or absent) is false."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in _TRUE


def as_list(value: Any) -> list[Any]:
    """`ids[]=a` gives a list, `ids=a` a scalar, `ids[x]=a` a dict; accept all as a list of values."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [value]
