"""Fill an external integration from an OpenAPI 3.0/3.1 description (YAML or JSON).

The spec is validated with openapi-spec-validator (its first errors reported with their line), its
``$ref``s resolved with jsonref (local files only: nothing is fetched from the network), and then
summarised: one endpoint row per operation, the base URL from ``servers``, the authentication from
``securitySchemes`` and a JSON sketch of the main request and response bodies.

Which fields receive them is read from the schema's ``meaning`` attributes. What an import wrote is
recorded under ``intwizard.openapi``, so running it again updates those rows and values, keeps the
ones the user added or edited, and adds no duplicates.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonref
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from intwizard.draft import Draft, to_plain
from intwizard.errors import InputError
from intwizard.importers import _text, bookkeeping
from intwizard.schema import Node, Schema
from intwizard.values import as_text, choice_match, is_blank

RECORD_KEY = "openapi"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_ERRORS = 3
_SKETCH_DEPTH = 6
_LOCATIONS = ("path", "query", "header", "cookie")
#: OpenAPI's security scheme types in the words a spec author would use (matched to the field's options).
_SCHEME_WORDS = {"apiKey": "API Key", "oauth2": "OAuth 2.0", "openIdConnect": "OpenID Connect",
                 "mutualTLS": "Mutual TLS"}
_HTTP_SCHEME_WORDS = {"basic": "Basic Auth", "bearer": "Bearer token", "digest": "Digest Auth"}


# -- reading and validating -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Keys as strings (YAML reads ``200:`` as a number) and dates as text, as JSON would have them."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return as_text(value)


def read_spec(path: Path) -> tuple[dict[str, Any], str]:
    """The spec as plain data, and its text (for error positions)."""
    from intwizard.store import read_file
    from intwizard.yamlio import load_plain_text

    text = read_file(path).text
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno, column=exc.colno) from None
    else:
        data = load_plain_text(text, path)
    if not isinstance(data, dict):
        raise InputError("not an OpenAPI document (expected a mapping at the top)", path=path, line=1)
    version = str(data.get("openapi", ""))
    if not version:
        hint = " (Swagger 2.0: convert it to OpenAPI 3 first)" if "swagger" in data else ""
        raise InputError(f"not an OpenAPI 3 document: no 'openapi' version{hint}", path=path, line=1)
    if not (version.startswith("3.0") or version.startswith("3.1")):
        raise InputError(f"OpenAPI {version} is not supported (3.0 and 3.1 are)", path=path, line=1)
    return _plain(data), text


def _remote_refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and urlsplit(ref).scheme not in ("", "file"):
            yield ref
        for item in value.values():
            yield from _remote_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _remote_refs(item)


def _position(text: str, path: Path, keys: list[Any]) -> tuple[int, int]:
    """Line and column of the value at ``keys`` (as deep as the document has them), 0 when unknown."""
    from intwizard.yamlio import load_roundtrip_text

    try:
        node = load_roundtrip_text(text, path)
    except InputError:
        return 0, 0
    line = column = 0
    for key in keys:
        try:
            if isinstance(node, dict):
                key = next((k for k in node if str(k) == str(key)), key)
                line, column = node.lc.key(key)
                node = node[key]
            elif isinstance(node, list):
                line, column = node.lc.item(int(key))
                node = node[int(key)]
            else:
                break
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            break
    return (line + 1, column + 1) if keys else (0, 0)


def _file_only_loader(uri: str) -> Any:
    """jsonref's loader, restricted to files: a spec never makes intwizard reach out to the network."""
    parts = urlsplit(uri)
    if parts.scheme not in ("", "file"):
        raise InputError(f"remote $ref {uri!r} is not fetched; save it next to the spec and refer to the file")
    target = Path(unquote(parts.path))
    from intwizard.yamlio import load_plain_text

    try:
        text = target.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the referenced file: {exc.strerror}", path=target) from None
    return _plain(json.loads(text) if target.suffix.lower() == ".json" else load_plain_text(text, target))


def validate(spec: dict[str, Any], text: str, path: Path) -> None:
    """Raise an InputError listing the spec's first errors (with their location) if it is invalid."""
    from jsonschema_path.handlers.urllib import UrllibHandler
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    remote = next(_remote_refs(spec), None)
    if remote is not None:
        raise InputError(f"remote $ref {remote!r} is not fetched; save it next to the spec and refer to the file",
                         path=path)
    base = OpenAPIV31SpecValidator if str(spec["openapi"]).startswith("3.1") else OpenAPIV30SpecValidator
    local = type(f"Local{base.__name__}", (base,), {"resolver_handlers": {"file": UrllibHandler("file")}})
    try:
        errors = list(islice(local(spec, base_uri=path.resolve().as_uri()).iter_errors(), MAX_ERRORS))
    except InputError:
        raise
    except Exception as exc:  # the validator's own failures (an unresolvable $ref, say) are the spec's fault
        raise InputError(f"invalid OpenAPI document: {exc}", path=path) from None
    if not errors:
        return
    lines = []
    first_line = first_column = 0
    for error in errors:
        keys = list(getattr(error, "absolute_path", ()) or ())
        line, column = _position(text, path, keys)
        if not first_line:
            first_line, first_column = line, column
        where = " > ".join(str(k) for k in keys) or "(top level)"
        at = f"line {line}, " if line else ""
        lines.append(f"  {at}at {where}: {error.message}")
    raise InputError("invalid OpenAPI document:\n" + "\n".join(lines), path=path, line=first_line,
                     column=first_column)


def resolve_refs(spec: dict[str, Any], path: Path) -> dict[str, Any]:
    """The spec with every ``$ref`` resolved (lazily: recursive schemas stay finite)."""
    try:
        return jsonref.replace_refs(spec, base_uri=path.resolve().as_uri(), loader=_file_only_loader,
                                    merge_props=True, proxies=True, lazy_load=True)
    except jsonref.JsonRefError as exc:
        raise InputError(f"cannot resolve $ref {exc.reference!r}: {exc.message}", path=path) from None


# -- describing the API ---------------------------------------------------------------------------------


def _ref_name(value: Any) -> str:
    if isinstance(value, jsonref.JsonRef):
        ref = str(value.__reference__.get("$ref", ""))
        return ref.rsplit("/", 1)[-1]
    return ""


def _deref(value: Any) -> Any:
    try:
        return value.__subject__ if isinstance(value, jsonref.JsonRef) else value
    except jsonref.JsonRefError as exc:
        raise InputError(f"cannot resolve $ref {exc.reference!r}: {exc.message}") from None


def describe(schema: Any, depth: int = 0) -> str:
    """A short name for a schema: its component name, ``array of Pet``, ``string``."""
    name = _ref_name(schema)
    if name:
        return name
    schema = _deref(schema)
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
    marker = id(_deref(schema)) if isinstance(schema, jsonref.JsonRef) else None
    if marker is not None and marker in seen:
        return f"{_ref_name(schema)} (recursive)"
    body = _deref(schema)
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
        properties = _deref(body.get("properties")) or {}
        return {str(name): sketch(prop, depth + 1, inner_seen) for name, prop in properties.items()}
    return str(kind or "any")


def _json_schema(content: Any) -> tuple[str, Any] | None:
    """The media type and schema of a request or response body (JSON preferred)."""
    content = _deref(content)
    if not isinstance(content, dict) or not content:
        return None
    media = next((m for m in content if "json" in m.lower()), next(iter(content)))
    body = _deref(content[media]) or {}
    return media, body.get("schema") if isinstance(body, dict) else None


def _first_line(text: Any, limit: int = 120) -> str:
    line = next((part.strip() for part in str(text or "").splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Operation:
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
    for raw in [*(_deref(path_item.get("parameters")) or ()), *(_deref(operation.get("parameters")) or ())]:
        parameter = _deref(raw)
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
    body = _deref(body)
    if isinstance(body, dict):
        found = _json_schema(body.get("content"))
        if found is not None:
            media, schema = found
            parts.append(f"body {describe(schema) if schema is not None else media}")
    return "; ".join(parts) or "None", schema


def _response_text(responses: Any) -> tuple[str, Any]:
    responses = _deref(responses) or {}
    codes = sorted(code for code in responses if str(code).startswith("2"))
    if not codes:
        return "", None
    code = codes[0]
    response = _deref(responses[code]) or {}
    found = _json_schema(response.get("content")) if isinstance(response, dict) else None
    if found is None or found[1] is None:
        return f"{code} {_first_line(response.get('description')) or 'No content'}".strip(), None
    return f"{code} {describe(found[1])}", found[1]


def operations(spec: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in (_deref(spec.get("paths")) or {}).items():
        item = _deref(item)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = _deref(item.get(method))
            if not isinstance(operation, dict):
                continue
            purpose = _first_line(operation.get("summary")) or _first_line(operation.get("description")) \
                or str(operation.get("operationId") or "")
            request, request_schema = _request_text(_parameters(item, operation), operation.get("requestBody"))
            response, response_schema = _response_text(operation.get("responses"))
            found.append(Operation(method.upper(), str(path), purpose, request, response,
                                   request_schema, response_schema))
    return found


def base_url(spec: dict[str, Any]) -> str:
    """The first server's URL with its variables replaced by their defaults ('' without servers)."""
    servers = _deref(spec.get("servers")) or []
    if not servers or not isinstance(_deref(servers[0]), dict):
        return ""
    server = _deref(servers[0])
    url = str(server.get("url", ""))
    for name, variable in (_deref(server.get("variables")) or {}).items():
        default = _deref(variable).get("default", "") if isinstance(_deref(variable), dict) else ""
        url = url.replace("{" + str(name) + "}", str(default))
    return url


def authentication(spec: dict[str, Any], node: Node | None) -> str:
    """The security schemes the API uses (all it defines if it says none), in the field's words."""
    schemes = _deref(_deref(spec.get("components") or {}).get("securitySchemes")) or {}
    used: list[str] = []
    requirements = list(_deref(spec.get("security")) or [])
    for operation in _all_operations(spec):
        requirements += list(_deref(operation.get("security")) or [])
    for requirement in requirements:
        used += [str(name) for name in (_deref(requirement) or {}) if str(name) not in used]
    names = used or [str(name) for name in schemes]
    words: list[str] = []
    for name in names:
        scheme = _deref(schemes.get(name))
        if not isinstance(scheme, dict):
            continue
        kind = str(scheme.get("type", ""))
        if kind == "http":
            http = str(scheme.get("scheme", "")).lower()
            word = _HTTP_SCHEME_WORDS.get(http, f"HTTP {http}".strip())
            if http == "bearer" and scheme.get("bearerFormat"):
                word += f" ({scheme['bearerFormat']})"
        else:
            word = _SCHEME_WORDS.get(kind, kind)
        if node is not None:
            word = choice_match(node, word) or word
        if word and word not in words:
            words.append(word)
    return ", ".join(words)


def _all_operations(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in (_deref(spec.get("paths")) or {}).values():
        item = _deref(item)
        if isinstance(item, dict):
            for method in METHODS:
                if isinstance(_deref(item.get(method)), dict):
                    yield _deref(item[method])


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


# -- where it goes in the draft -------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """The group and fields an import fills, found by their ``meaning`` in the schema."""

    group: Node
    title: Node
    endpoints: Node
    columns: dict[str, Node]
    values: dict[str, Node]
    """``base-url``, ``authentication``, ``data-format`` -> the field."""

    def relative(self, node: Node) -> str:
        return node.path.removeprefix(self.group.path + ".")


def targets(schema: Schema) -> Targets:
    for group in schema.sections:
        if group.kind != "group":
            continue
        nodes = {node.meaning: node for node in group.walk() if node.meaning}
        endpoints = nodes.get("endpoints")
        title = group.child(group.title_field)
        if endpoints is None or title is None:
            continue
        columns = {column.meaning: column for column in endpoints.children if column.meaning}
        if not {"http-method", "path"} <= set(columns):
            continue
        values = {key: nodes[key] for key in ("integration-type", "base-url", "authentication", "data-format")
                  if key in nodes}
        return Targets(group, title, endpoints, columns, values)
    raise InputError(f"the template ({schema.path}) has no integration with an endpoints table "
                     "(a group holding a table with `meaning: endpoints`)", path=schema.path)


# -- merging into the draft -----------------------------------------------------------------------------


@dataclass
class Outcome:
    integration: str
    created: bool = False
    added: int = 0
    updated: int = 0
    removed: int = 0
    kept: list[str] = field(default_factory=list)
    """Rows and values the user changed, left as they are."""
    filled: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _row_key(row: dict[str, Any], t: Targets) -> tuple[str, str]:
    method = as_text(row.get(t.columns["http-method"].key)).strip().upper()
    path = as_text(row.get(t.columns["path"].key)).strip().strip("`").strip()
    return method, path


def _row_of(operation: Operation, t: Targets) -> dict[str, str]:
    values = {"http-method": operation.method, "path": operation.path, "purpose": operation.purpose,
              "request": operation.request, "response": operation.response}
    row = {column.key: "" for column in t.endpoints.children}
    for meaning, column in t.columns.items():
        row[column.key] = values.get(meaning, "")
    return row


def _row_text(row: dict[str, Any], columns: list[str]) -> tuple[str, ...]:
    """A row as comparable text, column by column."""
    return tuple(as_text(row.get(column)) for column in columns)


def _record(draft: Draft, name: str) -> CommentedMap:
    meta = bookkeeping(draft)
    records = meta.get(RECORD_KEY)
    if not isinstance(records, list):
        records = CommentedSeq()
        meta[RECORD_KEY] = records
    for record in records:
        if isinstance(record, dict) and str(record.get("integration", "")).casefold() == name.casefold():
            return record
    record = CommentedMap([("integration", name)])
    records.append(record)
    return record


def fill(draft: Draft, spec: dict[str, Any], name: str, source: str) -> Outcome:
    """Put what the spec says into the integration called ``name`` (created if missing)."""
    t = targets(draft.schema)
    outcome = Outcome(name)
    found = operations(spec)
    group_path = t.group.path
    items = draft.items(group_path)
    index = next((i for i, item in enumerate(items) if isinstance(item, dict)
                  and as_text(item.get(t.title.key)).strip().casefold() == name.strip().casefold()), None)
    if index is None:
        index = draft.append_item(group_path)
        draft.set_value(f"{group_path}.{index}.{t.title.key}", name)
        outcome.created = True
    item_path = f"{group_path}.{index}"
    record = _record(draft, name)
    before = to_plain(record)
    record["source"] = source
    info = _deref(spec.get("info")) or {}
    record["api"] = f"{info.get('title', '')} {info.get('version', '')}".strip()

    # Scalar fields: filled when empty or still what the last import wrote.
    previous_values = record.get("values") if isinstance(record.get("values"), dict) else {}
    new_values = CommentedMap()
    wanted = {"base-url": base_url(spec), "authentication": authentication(spec, t.values.get("authentication")),
              "data-format": data_format(found), "integration-type": "REST API"}
    missing = {"base-url": "the spec has no servers: base URL left as it is",
               "authentication": "the spec defines no security schemes: authentication left as it is"}
    for meaning, node in t.values.items():
        value = wanted.get(meaning, "")
        relative = t.relative(node)
        if not value:
            if meaning in missing:
                outcome.notes.append(missing[meaning])
            continue
        if node.kind == "choice":
            value = choice_match(node, value) or value
        if meaning == "base-url" and not urlsplit(value).scheme:
            outcome.notes.append(f"the server URL {value!r} is relative to where the spec is served: "
                                 "make it absolute in the draft")
        path = f"{item_path}.{relative}"
        current = draft.get(path)
        ours = relative in previous_values and as_text(current) == as_text(previous_values.get(relative))
        if meaning == "integration-type" and not (is_blank(current) or ours):
            continue  # the user's own type: nothing to say
        if is_blank(current) or ours or as_text(current) == value:
            if draft.set_value(path, value):
                outcome.filled.append(node.label)
            new_values[relative] = _text(value)
        else:
            outcome.kept.append(f"{node.label} (yours differs from the spec's {value!r})")
            if relative in previous_values:
                new_values[relative] = previous_values[relative]
    record["values"] = new_values

    # Endpoint rows: ours (unchanged since written) are updated, the user's are kept, none duplicated.
    rows_path = f"{item_path}.{t.relative(t.endpoints)}"
    rows = draft.items(rows_path)
    columns = [column.key for column in t.endpoints.children]
    previous_rows = {_row_text(r, columns) for r in record.get("rows") or () if isinstance(r, dict)}
    generated = {(op.method, op.path): _row_of(op, t) for op in found}
    written: list[dict[str, str]] = []
    taken: set[tuple[str, str]] = set()
    position = 0
    while position < len(rows):
        row = rows[position]
        key = _row_key(row, t) if isinstance(row, dict) else ("", "")
        ours = isinstance(row, dict) and _row_text(row, columns) in previous_rows
        if ours and key in generated and key not in taken:
            new = generated[key]
            if _row_text(row, columns) != _row_text(new, columns):
                for column, value in new.items():
                    draft.set_value(f"{rows_path}.{position}.{column}", value)
                outcome.updated += 1
            written.append(new)
            taken.add(key)
        elif ours:
            draft.remove_item(rows_path, position)  # gone from the spec (or a duplicate of ours)
            outcome.removed += 1
            continue
        elif key in generated:
            taken.add(key)  # the user's row for this endpoint: theirs wins, no second row
            outcome.kept.append(f"{key[0]} {key[1]} row")
        position += 1
    for key, new in generated.items():
        if key not in taken:
            draft.append_item(rows_path, CommentedMap(new))
            written.append(new)
            outcome.added += 1
    record["rows"] = CommentedSeq(CommentedMap(row) for row in written)
    if to_plain(record) != before:
        draft.changed = True  # the record alone changed (the spec moved, say): still worth saving
    return outcome


def source_name(spec_path: Path, draft_path: Path) -> str:
    """The spec's path as the draft should remember it: relative to the draft's folder when possible."""
    try:
        return Path(os.path.relpath(spec_path.resolve(), draft_path.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        return str(spec_path.resolve())


def load(spec_path: Path) -> dict[str, Any]:
    """Read, validate and resolve a spec; any problem is an InputError naming the file."""
    spec, text = read_spec(spec_path)
    validate(spec, text, spec_path)
    return resolve_refs(spec, spec_path)


def report(outcome: Outcome) -> list[str]:
    """What an import did, one line each, for the terminal."""
    rows = f"{outcome.added} endpoint rows added, {outcome.updated} updated, {outcome.removed} removed"
    lines = [f"{'Created' if outcome.created else 'Updated'} integration {outcome.integration!r}: {rows}"]
    if outcome.filled:
        lines.append(f"  filled: {', '.join(outcome.filled)}")
    lines += [f"  kept as you wrote it: {kept}" for kept in outcome.kept]
    lines += [f"  note: {note}" for note in outcome.notes]
    return lines
