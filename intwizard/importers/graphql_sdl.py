"""Fill an integration from a GraphQL schema (SDL: ``.graphql``, ``.gql``).

Parsed and validated with graphql-core (the reference implementation's Python port); syntax and
schema errors are reported with their line and column. One endpoint row per field of the Query,
Mutation and Subscription root types (whatever the schema calls them): ``QUERY``, ``MUTATION`` or
``SUBSCRIPTION``, the field name, its description's first line, its arguments (``id: ID!; first: Int``)
and its type. The data format is a JSON sketch of the first query's arguments and result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from intwizard.errors import InputError
from intwizard.importers.contract import GRAPHQL, Contract, Row

MAX_ERRORS = 3
_SKETCH_DEPTH = 4


def _invalid(errors: list[Any], path: Path) -> InputError:
    lines = []
    first_line = first_column = 0
    for error in errors[:MAX_ERRORS]:
        location = (error.locations or [None])[0]
        line, column = (location.line, location.column) if location else (0, 0)
        if not first_line:
            first_line, first_column = line, column
        lines.append(f"  {f'line {line}, ' if line else ''}{error.message}")
    return InputError("invalid GraphQL schema:\n" + "\n".join(lines), path=path, line=first_line, column=first_column)


def build(text: str, path: Path) -> Any:
    """The validated schema; syntax and schema errors are InputErrors with their line and column."""
    from graphql import GraphQLError, build_ast_schema, parse, validate_schema
    from graphql.validation.validate import validate_sdl

    try:
        document = parse(text)
    except GraphQLError as exc:
        raise _invalid([exc], path) from None
    except RecursionError:
        raise InputError("invalid GraphQL schema: nested too deeply", path=path) from None
    # Directives the schema uses without defining them (Apollo Federation's @key, @external ...) are
    # the gateway's business: they change no operation, so they do not stop the import.
    errors = [error for error in validate_sdl(document) if not error.message.startswith("Unknown directive")]
    if errors:
        raise _invalid(list(errors), path)
    schema = build_ast_schema(document, assume_valid_sdl=True)
    errors = validate_schema(schema)
    if errors:
        raise _invalid(list(errors), path)
    return schema


def _first_line(text: Any, limit: int = 120) -> str:
    line = next((part.strip() for part in str(text or "").splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _arguments(field: Any) -> str:
    from graphql import print_ast

    parts = []
    for name, argument in field.args.items():
        default = argument.ast_node.default_value if argument.ast_node is not None else None
        parts.append(f"{name}: {argument.type}" + (f" = {print_ast(default)}" if default is not None else ""))
    return "; ".join(parts)


def _line(node: Any) -> int:
    """The line of a definition's name (its description may start lines before)."""
    loc = getattr(getattr(node, "name", None), "loc", None) or getattr(node, "loc", None)
    return loc.source.get_location(loc.start).line if loc is not None else 0


def _sketch(kind: Any, depth: int = 0, seen: tuple[str, ...] = ()) -> Any:
    from graphql import (
        GraphQLEnumType,
        GraphQLInputObjectType,
        GraphQLInterfaceType,
        GraphQLList,
        GraphQLNonNull,
        GraphQLObjectType,
        GraphQLUnionType,
    )

    if isinstance(kind, GraphQLNonNull):
        return _sketch(kind.of_type, depth, seen)
    if isinstance(kind, GraphQLList):
        return [_sketch(kind.of_type, depth + 1, seen)]
    if isinstance(kind, GraphQLEnumType):
        return " | ".join(kind.values)
    if isinstance(kind, GraphQLUnionType):
        return " | ".join(member.name for member in kind.types)
    if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
        if kind.name in seen:
            return f"{kind.name} (recursive)"
        if depth > _SKETCH_DEPTH:
            return kind.name
        return {name: _sketch(field.type, depth + 1, (*seen, kind.name)) for name, field in kind.fields.items()}
    return str(getattr(kind, "name", kind))


def load_graphql(path: Path, text: str) -> Contract:
    """Read a GraphQL schema and summarise its root operations."""
    schema = build(text, path)
    rows: list[Row] = []
    first = None
    for method, root in (("QUERY", schema.query_type), ("MUTATION", schema.mutation_type),
                         ("SUBSCRIPTION", schema.subscription_type)):
        if root is None:
            continue
        for name, field in root.fields.items():
            rows.append(Row(method, name, _first_line(field.description), _arguments(field), str(field.type),
                            _line(field.ast_node)))
            if first is None:
                first = field
    data_format = ""
    if first is not None:
        shape: dict[str, Any] = {}
        if first.args:
            shape["request_format"] = {name: _sketch(argument.type) for name, argument in first.args.items()}
        shape["response_format"] = _sketch(first.type)
        data_format = json.dumps(shape, indent=2, ensure_ascii=False)
    notes = [] if rows else ["the GraphQL schema has no Query, Mutation or Subscription fields: no endpoint rows"]
    description = _first_line(schema.description) if schema.description else ""
    return Contract(GRAPHQL, description or path.name, rows, data_format=data_format, notes=notes)
