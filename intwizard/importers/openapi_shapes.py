"""Describing a body's JSON schema: a short name for a table cell, a JSON sketch of its shape.

Both follow ``$ref``s through the resolved spec and stop at a fixed depth or on recursion, since
OpenAPI schemas may refer to themselves.
"""

from __future__ import annotations

from typing import Any

import jsonref

from intwizard.importers.openapi_spec import deref, ref_name

_SKETCH_DEPTH = 6


def describe(schema: Any, depth: int = 0) -> str:
    """A short name for a schema: its component name, ``array of Pet``, ``string``."""
    name = ref_name(schema)
    if name:
        return name
    schema = deref(schema)
    if not isinstance(schema, dict) or depth > 3:
        return "object"
    for combiner, joiner in (("allOf", " + "), ("oneOf", " or "), ("anyOf", " or ")):
        if isinstance(schema.get(combiner), list) and schema[combiner]:
            return joiner.join(describe(part, depth + 1) for part in schema[combiner])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = " or ".join(str(k) for k in kind if k != "null") or "null"
    if kind == "array" or "items" in schema:
        return f"array of {describe(schema.get('items', {}), depth + 1)}"
    return str(kind or ("object" if "properties" in schema else "any"))


def sketch(schema: Any, depth: int = 0, seen: tuple[int, ...] = ()) -> Any:
    """A JSON example of a schema's shape, types as strings (as the template's example does)."""
    marker = id(deref(schema)) if isinstance(schema, jsonref.JsonRef) else None
    if marker is not None and marker in seen:
        return f"{ref_name(schema)} (recursive)"
    body = deref(schema)
    if not isinstance(body, dict) or depth > _SKETCH_DEPTH:
        return "object"
    inner_seen = (*seen, marker) if marker is not None else seen
    if isinstance(body.get("allOf"), list):
        merged: dict[str, Any] = {}
        for part in body["allOf"]:
            shape = sketch(part, depth + 1, inner_seen)
            if isinstance(shape, dict):
                merged.update(shape)
        return merged
    for combiner in ("oneOf", "anyOf"):
        if isinstance(body.get(combiner), list) and body[combiner]:
            return sketch(body[combiner][0], depth + 1, inner_seen)
    kind = body.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "array" or "items" in body:
        return [sketch(body.get("items", {}), depth + 1, inner_seen)]
    if kind == "object" or "properties" in body:
        properties = deref(body.get("properties")) or {}
        return {str(name): sketch(prop, depth + 1, inner_seen) for name, prop in properties.items()}
    return str(kind or "any")


def body_schema(content: Any) -> tuple[str, Any] | None:
    """The media type and schema of a request or response body (JSON preferred)."""
    content = deref(content)
    if not isinstance(content, dict) or not content:
        return None
    media = next((m for m in content if "json" in m.lower()), next(iter(content)))
    body = deref(content[media]) or {}
    return media, body.get("schema") if isinstance(body, dict) else None
