"""Loading an OpenAPI spec: read (YAML or JSON), validate, resolve its ``$ref``s.

Validation uses openapi-spec-validator and reports the first errors with their line; ``$ref``s are
resolved with jsonref from local files only, so a spec never makes intwizard reach the network.
The resolved spec holds jsonref proxies: :func:`deref` and :func:`ref_name` are how the rest of
the importer looks through them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import jsonref
from ruamel.yaml.nodes import MappingNode, SequenceNode

from intwizard.core.yamlio import to_plain
from intwizard.errors import InputError

MAX_ERRORS = 3


def plain(value: Any) -> Any:
    """Keys as strings (YAML reads ``200:`` as a number) and dates as text, as JSON would have them."""
    return to_plain(value, text=True)


def parse_document(text: str, path: Path) -> Any:
    """A YAML or JSON document's plain data, within the limits drafts have (nesting depth, aliases
    expanding past a bound)."""
    from intwizard.core.yamlio import check_structure, load_plain_text

    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno, column=exc.colno) from None
        except RecursionError:
            raise InputError("the JSON is nested too deeply", path=path) from None
    else:
        data = load_plain_text(text, path)
    check_structure(data, path, "document")
    return data


def read_document(path: Path, what: str) -> tuple[dict[str, Any], str]:
    """A YAML or JSON contract as plain data (a mapping at the top), and its text (for error positions)."""
    from intwizard.core.store import read_file

    text = read_file(path, f"an {what} document").text
    data = parse_document(text, path)
    if not isinstance(data, dict):
        raise InputError(f"not an {what} document (expected a mapping at the top)", path=path, line=1)
    return data, text


def read_spec(path: Path, parsed: tuple[Any, str] | None = None) -> tuple[dict[str, Any], str]:
    """The spec as plain data, and its text (for error positions); ``parsed``: the document's data and
    text when they were read already."""
    data, text = parsed if parsed is not None else read_document(path, "OpenAPI")
    if not isinstance(data, dict):
        raise InputError("not an OpenAPI document (expected a mapping at the top)", path=path, line=1)
    version = str(data.get("openapi", ""))
    if not version:
        hint = " (Swagger 2.0: convert it to OpenAPI 3 first)" if "swagger" in data else ""
        raise InputError(f"not an OpenAPI 3 document: no 'openapi' version{hint}", path=path, line=1)
    if not (version.startswith("3.0") or version.startswith("3.1")):
        raise InputError(f"OpenAPI {version} is not supported (3.0 and 3.1 are)", path=path, line=1)
    return plain(data), text


def remote_refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and urlsplit(ref).scheme not in ("", "file"):
            yield ref
        for item in value.values():
            yield from remote_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from remote_refs(item)


def position(text: str, path: Path, keys: list[Any]) -> tuple[int, int]:
    """Line and column of the value at ``keys`` (as deep as the document has them), 0 when unknown."""
    from intwizard.core.yamlio import load_roundtrip_text

    try:
        node = load_roundtrip_text(text, path)
    except InputError:
        return 0, 0
    line = column = 0
    for key in keys:
        try:
            if isinstance(node, dict):
                key = next((k for k in node if str(k) == str(key)), key)
                line, column = getattr(node, "lc").key(key)  # noqa: B009 - ruamel's record; a plain dict has none
                node = node[key]
            elif isinstance(node, list):
                line, column = getattr(node, "lc").item(int(key))  # noqa: B009
                node = node[int(key)]
            else:
                break
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            break
    return (line + 1, column + 1) if keys else (0, 0)


#: Folders besides a spec's own that its ``$ref``s may point into (``--refs-under DIR``).
EXTRA_REF_ROOTS: list[Path] = []


def _ref_file(uri: str, spec_path: Path) -> Path:
    """The file a ``$ref`` names, if it may be read: a local file under the spec's own folder (or one
    of EXTRA_REF_ROOTS) once symlinks are resolved. Never the network, never ``/etc/passwd``."""
    parts = urlsplit(uri)
    if parts.scheme not in ("", "file"):
        raise InputError(f"remote $ref {uri!r} is not fetched; save it next to the spec and refer to the file",
                         path=spec_path)
    target = Path(unquote(parts.path))
    real = Path(os.path.realpath(target))
    roots = [Path(os.path.realpath(spec_path.parent)), *(Path(os.path.realpath(root)) for root in EXTRA_REF_ROOTS)]
    if not any(real.is_relative_to(root) for root in roots):
        raise InputError(f"$ref to {target} is outside the spec's folder ({roots[0]}); not read. Copy the file "
                         "beside the spec, or allow its folder with --refs-under DIR", path=spec_path)
    return real


def _ref_loader(spec_path: Path) -> Any:
    """A loader for referenced files (jsonref's and the validator's): files allowed by _ref_file, read
    like drafts (regular files only, size-bounded, the same structure limits); an error names the
    file and where in it, never quotes its contents."""
    cache: dict[Path, Any] = {}

    def load(uri: str) -> Any:
        from intwizard.core.store import read_file

        target = _ref_file(uri, spec_path)
        if target not in cache:
            cache[target] = plain(parse_document(read_file(target, "a referenced document").text, target))
        return cache[target]

    return load


def check_refs(spec: Any, spec_path: Path) -> None:
    """Read every file the spec's ``$ref``s reach (and theirs), refusing what may not be read, before
    anything else follows them (the validator would read any file, and wait forever on a FIFO)."""
    load = _ref_loader(spec_path)
    seen: set[Path] = set()
    pending = [(spec, spec_path)]
    while pending:
        document, where = pending.pop()
        for ref in _refs(document):
            file_part = ref.split("#", 1)[0]
            if not file_part:
                continue
            uri = file_part if urlsplit(file_part).scheme else str(where.parent / unquote(file_part))
            target = _ref_file(uri, spec_path)
            if target in seen:
                continue
            seen.add(target)
            pending.append((load(uri), target))


def _refs(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def validate(spec: dict[str, Any], text: str, path: Path) -> None:
    """Raise an InputError listing the spec's first errors (with their location) if it is invalid."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    remote = next(remote_refs(spec), None)
    if remote is not None:
        raise InputError(f"remote $ref {remote!r} is not fetched; save it next to the spec and refer to the file",
                         path=path)
    check_refs(spec, path)
    base = OpenAPIV31SpecValidator if str(spec["openapi"]).startswith("3.1") else OpenAPIV30SpecValidator
    local = type(f"Local{base.__name__}", (base,), {"resolver_handlers": {"file": _ref_loader(path)}})
    try:
        errors = list(islice(local(spec, base_uri=path.resolve().as_uri()).iter_errors(), MAX_ERRORS))
    except InputError:
        raise
    except Exception as exc:  # the validator's own failures (an unresolvable $ref, say) are the spec's fault
        raise InputError(f"invalid OpenAPI document: {_short(str(exc))}", path=path) from None
    if errors:
        raise invalid("OpenAPI", errors, text, path)


def _short(message: str, limit: int = 160) -> str:
    """A validator's message cut short: it quotes the offending value, which may be a whole file."""
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def invalid(what: str, errors: list[Any], text: str, path: Path) -> InputError:
    """An InputError listing a document's first schema errors, each with its line, and where it is."""
    lines = []
    first_line = first_column = 0
    for error in errors:
        keys = list(getattr(error, "absolute_path", ()) or ())
        line, column = position(text, path, keys)
        if not first_line:
            first_line, first_column = line, column
        where = " > ".join(str(k) for k in keys) or "(top level)"
        at = f"line {line}, " if line else ""
        lines.append(f"  {at}at {where}: {_short(error.message)}")
    return InputError(f"invalid {what} document:\n" + "\n".join(lines), path=path, line=first_line,
                      column=first_column)


def resolve_refs(spec: dict[str, Any], path: Path) -> dict[str, Any]:
    """The spec with every ``$ref`` resolved (lazily: recursive schemas stay finite)."""
    try:
        resolved = jsonref.replace_refs(spec, base_uri=path.resolve().as_uri(), loader=_ref_loader(path),
                                        merge_props=True, proxies=True, lazy_load=True)
        return cast(dict[str, Any], resolved)
    except jsonref.JsonRefError as exc:
        raise InputError(f"cannot resolve $ref {exc.reference!r}: {exc.message}", path=path) from None


def load(spec_path: Path) -> dict[str, Any]:
    """Read, validate and resolve a spec; any problem is an InputError naming the file."""
    spec, text = read_spec(spec_path)
    validate(spec, text, spec_path)
    return resolve_refs(spec, spec_path)


class Locator:
    """Lines of places in a YAML or JSON document, from one parse (to nodes) made when first asked."""

    def __init__(self, text: str, path: Path) -> None:
        self.text, self.path = text, path
        self._tree: Any = None
        self._parsed = False

    def line(self, keys: list[Any]) -> int:
        """The 1-based line of the value at ``keys`` (as deep as the document has them), 0 when unknown."""
        if not self._parsed:
            from ruamel.yaml import YAML
            from ruamel.yaml.error import YAMLError

            self._parsed = True
            try:  # the node tree only (no values built, aliases not expanded): the C parser where there is one
                self._tree = YAML(typ="safe").compose(self.text)
            except (YAMLError, RecursionError):
                self._tree = None
        node, line = self._tree, 0
        for key in keys:
            if isinstance(node, MappingNode):
                pair = next(((k, v) for k, v in node.value if str(getattr(k, "value", "")) == str(key)), None)
                if pair is None:
                    break
                line = pair[0].start_mark.line + 1
                node = pair[1]
            elif isinstance(node, SequenceNode) and str(key).isdigit() and int(key) < len(node.value):
                node = node.value[int(key)]
                line = node.start_mark.line + 1
            else:
                break
        return line


# -- looking through the resolved spec's references -----------------------------------------------------


def ref_name(value: Any) -> str:
    """The component name a ``$ref`` points to (``Pet`` for ``#/components/schemas/Pet``), '' if none."""
    if isinstance(value, jsonref.JsonRef):
        ref = str(value.__reference__.get("$ref", ""))
        return ref.rsplit("/", 1)[-1]
    return ""


def deref(value: Any) -> Any:
    """What a jsonref proxy stands for (anything else as it is); resolved here, so errors surface here."""
    try:
        return value.__subject__ if isinstance(value, jsonref.JsonRef) else value
    except jsonref.JsonRefError as exc:
        raise InputError(f"cannot resolve $ref {exc.reference!r}: {exc.message}") from None
