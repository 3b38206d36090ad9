"""The spec's operations summarised as endpoint rows, and the JSON sketch of its main exchange.

One :class:`Operation` per path and method: its purpose from the summary, its request (parameters
and body) and first success response in a few words, and the body schemas for the data format.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from intwizard.importers.openapi_shapes import body_schema, describe, sketch
from intwizard.importers.openapi_spec import deref

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LOCATIONS = ("path", "query", "header", "cookie")


def _first_line(text: Any, limit: int = 120) -> str:
    line = next((part.strip() for part in str(text or "").splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Operation:
    """One path and method, in the words of an endpoints row (plus its body schemas)."""

    method: str
    path: str
    purpose: str
    request: str
    response: str
    request_schema: Any = None
    response_schema: Any = None


def _parameters(path_item: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    """Path-level parameters, overridden by the operation's own (same name and location)."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*(deref(path_item.get("parameters")) or ()), *(deref(operation.get("parameters")) or ())]:
        parameter = deref(raw)
        if isinstance(parameter, dict):
            merged[(str(parameter.get("name")), str(parameter.get("in")))] = parameter
    return list(merged.values())


def _request_text(parameters: list[dict[str, Any]], body: Any) -> tuple[str, Any]:
    parts = []
    for location in _LOCATIONS:
        names = [str(p.get("name")) + ("" if p.get("required") or location == "path" else "?")
                 for p in parameters if p.get("in") == location]
        if names:
            parts.append(f"{location} {', '.join(names)}")
    schema = None
    body = deref(body)
    if isinstance(body, dict):
        found = body_schema(body.get("content"))
        if found is not None:
            media, schema = found
            parts.append(f"body {describe(schema) if schema is not None else media}")
    return "; ".join(parts) or "None", schema


def _response_text(responses: Any) -> tuple[str, Any]:
    responses = deref(responses) or {}
    codes = sorted(code for code in responses if str(code).startswith("2"))
    if not codes:
        return "", None
    code = codes[0]
    response = deref(responses[code]) or {}
    found = body_schema(response.get("content")) if isinstance(response, dict) else None
    if found is None or found[1] is None:
        return f"{code} {_first_line(response.get('description')) or 'No content'}".strip(), None
    return f"{code} {describe(found[1])}", found[1]


def operations(spec: dict[str, Any]) -> list[Operation]:
    """Every operation of the spec, in path order and then method order."""
    found = []
    for path, item in (deref(spec.get("paths")) or {}).items():
        item = deref(item)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = deref(item.get(method))
            if not isinstance(operation, dict):
                continue
            purpose = _first_line(operation.get("summary")) or _first_line(operation.get("description")) \
                or str(operation.get("operationId") or "")
            request, request_schema = _request_text(_parameters(item, operation), operation.get("requestBody"))
            response, response_schema = _response_text(operation.get("responses"))
            found.append(Operation(method.upper(), str(path), purpose, request, response,
                                   request_schema, response_schema))
    return found


def all_operations(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every operation object of the spec, as written (for what is declared per operation)."""
    for item in (deref(spec.get("paths")) or {}).values():
        item = deref(item)
        if isinstance(item, dict):
            for method in METHODS:
                if isinstance(deref(item.get(method)), dict):
                    yield deref(item[method])


def data_format(found: list[Operation]) -> str:
    """A JSON sketch of the main exchange: the first operation that sends a body (with its answer),
    else the first JSON success response."""
    main = next((op for op in found if op.request_schema is not None), None)
    request = main.request_schema if main is not None else None
    response = main.response_schema if main is not None and main.response_schema is not None else next(
        (op.response_schema for op in found if op.response_schema is not None), None)
    if request is None and response is None:
        return ""
    shape: dict[str, Any] = {}
    if request is not None:
        shape["request_format"] = sketch(request)
    if response is not None:
        shape["response_format"] = sketch(response)
    return json.dumps(shape, indent=2, ensure_ascii=False)
