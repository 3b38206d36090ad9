"""Machine-readable API contracts as one shape: what ``intwizard import-api`` puts into an integration.

Four kinds are read, each by its own module: OpenAPI 3.0/3.1 (:mod:`~intwizard.importers.openapi`),
AsyncAPI 2.6/3.0 (:mod:`~intwizard.importers.asyncapi`), Protocol Buffers services
(:mod:`~intwizard.importers.proto`) and GraphQL SDL (:mod:`~intwizard.importers.graphql_sdl`). Each
turns its file into a :class:`Contract`: endpoint rows (with the source line each came from), the base
URL and authentication where the kind has them, a JSON sketch of the main exchange. Merging into the
draft, the record of the source and drift are the same for every kind
(:mod:`~intwizard.importers.contract_fill`, :mod:`intwizard.importers.sources`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intwizard.core.schema import Schema
from intwizard.errors import InputError

OPENAPI, ASYNCAPI, PROTO, GRAPHQL = "openapi", "asyncapi", "proto", "graphql"
KINDS = (OPENAPI, ASYNCAPI, PROTO, GRAPHQL)
#: How each kind is named in messages.
KIND_NAMES = {OPENAPI: "OpenAPI", ASYNCAPI: "AsyncAPI", PROTO: "Protocol Buffers", GRAPHQL: "GraphQL"}
_SUFFIXES = {".proto": PROTO, ".graphql": GRAPHQL, ".gql": GRAPHQL, ".graphqls": GRAPHQL}


@dataclass(frozen=True)
class Row:
    """One endpoint row as a contract states it, and the line of the source it comes from."""

    method: str
    path: str
    purpose: str = ""
    request: str = ""
    response: str = ""
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return self.method.upper(), self.path


@dataclass
class Contract:
    """What a contract says, in the words of the template's integration fields."""

    kind: str
    api: str
    """The API's own name and version, for the record and messages."""
    rows: list[Row]
    base_url: str = ""
    authentication: str = ""
    """The security schemes in the authentication field's words (matched to its options)."""
    data_format: str = ""
    message_structure: str = ""
    type_value: str = ""
    """The integration's type when the contract itself says it (an AsyncAPI server's protocol); else the
    schema's ``contract_values`` for the kind."""
    lines: dict[str, int] = field(default_factory=dict)
    """Source lines of ``base-url`` and ``authentication``, for drift reports."""
    notes: list[str] = field(default_factory=list)


def digest(data: bytes) -> str:
    """The digest recorded for a source, to tell cheaply whether it changed."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def detect(path: Path, text: str) -> str:
    """The kind of contract a file holds: by its suffix (.proto, .graphql, .gql), else by the version key
    at the top of a YAML or JSON document (``openapi:``, ``asyncapi:``)."""
    return _detect(path, text)[0]


def _detect(path: Path, text: str) -> tuple[str, Any]:
    """The kind, and a YAML or JSON document's data (parsed once, for the kind's reader too)."""
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind:
        return kind, None
    from intwizard.importers.openapi_spec import parse_document

    data = parse_document(text, path)
    if isinstance(data, dict):
        if "openapi" in data:
            return OPENAPI, data
        if "asyncapi" in data:
            return ASYNCAPI, data
        if "swagger" in data:
            raise InputError("a Swagger 2.0 document: convert it to OpenAPI 3 first", path=path, line=1)
    raise InputError("not an API contract intwizard reads: expected an OpenAPI 3 or AsyncAPI 2.6/3.0 document "
                     "(YAML or JSON, with an `openapi:` or `asyncapi:` version at the top), a .proto file or "
                     "a GraphQL schema (.graphql, .gql)", path=path, line=1)


def load_contract(path: Path, schema: Schema, kind: str | None = None) -> Contract:
    """Read, validate and summarise a contract file; any problem is an InputError naming the file (and the
    line and column where there is one). ``kind`` forces the kind instead of detecting it."""
    from intwizard.core.store import read_file
    from intwizard.importers.contract_fill import targets

    text = read_file(path).text
    data = None
    if kind is None:
        kind, data = _detect(path, text)
    t = targets(schema)
    auth_node = t.values.get("authentication")
    if kind == OPENAPI:
        from intwizard.importers.openapi import contract_of

        return contract_of(path, auth_node, None if data is None else (data, text))
    if kind == ASYNCAPI:
        from intwizard.importers.asyncapi import load_asyncapi

        return load_asyncapi(path, text, auth_node, data)
    if kind == PROTO:
        from intwizard.importers.proto import load_proto

        return load_proto(path, text)
    if kind == GRAPHQL:
        from intwizard.importers.graphql_sdl import load_graphql

        return load_graphql(path, text)
    raise InputError(f"unknown kind of contract {kind!r} (one of: {', '.join(KINDS)})", path=path)
