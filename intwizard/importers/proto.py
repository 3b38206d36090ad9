"""Fill an integration from a Protocol Buffers file's gRPC services (``.proto``).

Parsed with proto-schema-parser (pure Python, ANTLR's protobuf grammar); a syntax error is reported
with its line and column. One endpoint row per rpc: ``UNARY``, ``SERVER STREAM``, ``CLIENT STREAM`` or
``BIDI STREAM``, the endpoint ``/package.Service/Method``, the purpose from the rpc's leading comment,
the request and response message names (``stream Point``). The data format is a JSON sketch of the
first rpc's request and response messages: nested messages and enums resolved, ``import``s of files in
the same folder followed (others, such as ``google/protobuf/...``, are named by their type).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intwizard.errors import InputError
from intwizard.importers.contract import PROTO, Contract, Row

_SKETCH_DEPTH = 6
_MAX_IMPORTS = 64


class _SyntaxError(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _raise_on_errors(recognizer: Any) -> None:
    from antlr4.error.ErrorListener import ErrorListener

    class Raising(ErrorListener):
        def syntaxError(self, recognizer: Any, offending: Any, line: int, column: int, msg: str, e: Any) -> None:
            raise _SyntaxError(line, column + 1, msg)

    recognizer.removeErrorListeners()
    recognizer.addErrorListener(Raising())


def parse(text: str, path: Path) -> Any:
    """The file's AST; a syntax error is an InputError with the line and column."""
    from proto_schema_parser.parser import Parser

    try:
        return Parser(setup_lexer=_raise_on_errors, setup_parser=_raise_on_errors).parse(text)
    except _SyntaxError as exc:
        raise InputError(f"invalid .proto: {exc.message}", path=path, line=exc.line, column=exc.column) from None
    except RecursionError:
        raise InputError("invalid .proto: nested too deeply", path=path) from None


@dataclass
class _Types:
    """Messages and enums by full name (``routeguide.Point``, ``shop.Order.Status``)."""

    messages: dict[str, Any] = field(default_factory=dict)
    enums: dict[str, Any] = field(default_factory=dict)

    def add(self, elements: list[Any], scope: str) -> None:
        from proto_schema_parser import ast

        for element in elements:
            if isinstance(element, ast.Message):
                name = f"{scope}.{element.name}" if scope else element.name
                self.messages[name] = element
                self.add(element.elements, name)
            elif isinstance(element, ast.Enum):
                self.enums[f"{scope}.{element.name}" if scope else element.name] = element

    def resolve(self, name: str, scope: str) -> tuple[str, Any, str]:
        """(full name, the message or enum, 'message' | 'enum' | '') for a type named inside ``scope``."""
        if name.startswith("."):
            candidates = [name[1:]]
        else:
            parts = scope.split(".") if scope else []
            candidates = [".".join([*parts[:i], name]) for i in range(len(parts), -1, -1)]
        for candidate in candidates:
            if candidate in self.messages:
                return candidate, self.messages[candidate], "message"
            if candidate in self.enums:
                return candidate, self.enums[candidate], "enum"
        return name, None, ""


def _package(file: Any) -> str:
    from proto_schema_parser import ast

    return next((e.name for e in file.file_elements if isinstance(e, ast.Package)), "")


def _load_types(path: Path, file: Any, types: _Types, seen: set[Path]) -> None:
    """Add the file's types, and those of the files it imports from the same folder."""
    from proto_schema_parser import ast

    seen.add(path.resolve())
    types.add(file.file_elements, _package(file))
    folder = path.resolve().parent
    for element in file.file_elements:
        if not isinstance(element, ast.Import):
            continue
        target = (folder / element.name).resolve()
        if target in seen or not target.is_file() or not target.is_relative_to(folder):
            continue  # outside the folder (google/protobuf/...) or already read: named by its type only
        if len(seen) >= _MAX_IMPORTS:
            raise InputError(f"more than {_MAX_IMPORTS} imported files", path=path)
        from intwizard.core.store import read_file

        imported = target
        _load_types(imported, parse(read_file(imported).text, imported), types, seen)


def _comment_text(comments: list[str]) -> str:
    lines = []
    for comment in comments:
        text = comment.strip()
        if text.startswith("/*"):
            text = text[2:].removesuffix("*/")
            lines += [line.strip().lstrip("*").strip() for line in text.splitlines()]
        else:
            lines.append(text.removeprefix("//").strip())
    return next((line for line in lines if line), "")


def _sketch(types: _Types, name: str, scope: str, depth: int = 0, seen: tuple[str, ...] = ()) -> Any:
    full, found, kind = types.resolve(name, scope)
    if kind == "enum":
        from proto_schema_parser import ast

        return " | ".join(v.name for v in found.elements if isinstance(v, ast.EnumValue))
    if kind != "message":
        return name  # a scalar (string, int32 ...) or a type from outside the folder
    if full in seen:
        return f"{full.rsplit('.', 1)[-1]} (recursive)"
    if depth > _SKETCH_DEPTH:
        return "object"
    return _fields(types, found.elements, full, depth, (*seen, full))


def _fields(types: _Types, elements: list[Any], scope: str, depth: int, seen: tuple[str, ...]) -> dict[str, Any]:
    from proto_schema_parser import ast

    shape: dict[str, Any] = {}
    for element in elements:
        if isinstance(element, ast.Field):
            value = _sketch(types, element.type, scope, depth + 1, seen)
            repeated = element.cardinality is not None and element.cardinality.name == "REPEATED"
            shape[element.name] = [value] if repeated else value
        elif isinstance(element, ast.MapField):
            shape[element.name] = {f"<{element.key_type}>": _sketch(types, element.value_type, scope, depth + 1, seen)}
        elif isinstance(element, ast.OneOf):
            shape.update(_fields(types, element.elements, scope, depth, seen))
    return shape


def _method(request_stream: bool, response_stream: bool) -> str:
    if request_stream and response_stream:
        return "BIDI STREAM"
    return "CLIENT STREAM" if request_stream else "SERVER STREAM" if response_stream else "UNARY"


def _rpc_line(text: str, service: str, method: str) -> int:
    start = re.search(rf"\bservice\s+{re.escape(service)}\b", text)
    found = re.search(rf"\brpc\s+{re.escape(method)}\s*\(", text[start.end() if start else 0:])
    if not found:
        return 0
    offset = (start.end() if start else 0) + found.start()
    return text.count("\n", 0, offset) + 1


def load_proto(path: Path, text: str) -> Contract:
    """Read a .proto file (and the files it imports from its folder) and summarise its services."""
    from proto_schema_parser import ast

    file = parse(text, path)
    types = _Types()
    _load_types(path, file, types, set())
    package = _package(file)
    rows: list[Row] = []
    first: tuple[Any, Any] | None = None
    services = [e for e in file.file_elements if isinstance(e, ast.Service)]
    for service in services:
        comments: list[str] = []
        for element in service.elements:
            if isinstance(element, ast.Comment):
                if not element.inline:
                    comments.append(element.text)
                continue
            if not isinstance(element, ast.Method):
                comments = []
                continue
            request, response = element.input_type, element.output_type
            endpoint = f"/{package + '.' if package else ''}{service.name}/{element.name}"
            rows.append(Row(_method(request.stream, response.stream), endpoint, _comment_text(comments),
                            ("stream " if request.stream else "") + request.type,
                            ("stream " if response.stream else "") + response.type,
                            _rpc_line(text, service.name, element.name)))
            comments = []
            if first is None:
                first = (request.type, response.type)
    data_format = ""
    if first is not None:
        data_format = json.dumps({"request_format": _sketch(types, first[0], package),
                                  "response_format": _sketch(types, first[1], package)}, indent=2,
                                 ensure_ascii=False)
    notes = [] if rows else ["the .proto file defines no service with an rpc: no endpoint rows"]
    api = ", ".join(f"{package + '.' if package else ''}{s.name}" for s in services) or path.name
    return Contract(PROTO, api, rows, data_format=data_format, notes=notes)
