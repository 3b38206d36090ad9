"""Load the template's schema file into small immutable records (named tuples).

The schema (``templates/<name>/schema.yaml``) is the one definition of the template: this module only
knows the *kinds* of node, never the template's fields.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple, get_args

from intwizard.core import user_cache
from intwizard.errors import InputError

#: What a node is: the kinds a schema may name, and ``check`` (a checklist's item) and ``role`` (a
#: sign-off's role), which the schema's builder makes itself.
Kind = Literal["section", "group", "line", "text", "code", "choice", "date", "list", "table", "checklist",
               "signoff", "check", "role"]
Style = Literal["inline", "bullet", "labelled", "bare", "title"]
Validator = Literal["", "url", "json"]
Numbering = Literal["arabic", "alpha"]
Auto = Literal["", "created", "updated"]

#: Kinds that hold other nodes.
CONTAINER_KINDS: frozenset[Kind] = frozenset({"section", "group"})
#: Kinds whose value is one scalar.
SCALAR_KINDS: frozenset[Kind] = frozenset({"line", "text", "code", "choice", "date"})
KINDS: frozenset[Kind] = CONTAINER_KINDS | SCALAR_KINDS | frozenset({"list", "table", "checklist", "signoff"})
STYLES: frozenset[Style] = frozenset(get_args(Style))
VALIDATORS: frozenset[Validator] = frozenset({"url", "json"})
NUMBERINGS: frozenset[Numbering] = frozenset(get_args(Numbering))

_ATTRIBUTES = {
    "key", "label", "kind", "hint", "help", "placeholder", "required", "style", "heading", "default",
    "options", "free_text", "format", "validate", "language", "fields", "columns", "items", "roles",
    "item_label", "numbering", "title_field", "repeat_hint", "requires", "sensitive", "auto", "required_at",
    "covers", "meaning", "identity", "contract_values", "example", "na_allowed",
}
AUTOS: frozenset[Auto] = frozenset({"created", "updated"})
#: The key of a "not applicable" answer in a draft (``pci_dss: {not_applicable: reason}``); no node may use it.
NOT_APPLICABLE = "not_applicable"
#: What a node's key may be (checked when the schema is built, not read from the cache: left to ``re``).
_KEY = r"^[a-z][a-z0-9_]*$"


def ordinal(number: int, numbering: str = "arabic") -> str:  # str: the export's Jinja filter takes any
    """1, 2, 3 ... or A, B, ..., Z, AA, AB ... as the template numbers repeated blocks (``number`` 1-based)."""
    if numbering != "alpha":
        return str(number)
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class Node(NamedTuple):
    """One section, field, table column, checklist item or sign-off role of the template.
    (The schema's records are named tuples, not frozen dataclasses: making this one, with its 34
    fields, cost every start 2.5 ms; a named tuple 0.4. Changed copies come from ``_replace``.)"""

    key: str
    label: str
    kind: Kind
    path: str
    """Dotted path from the draft's root, without list indexes (``a.b.c``)."""
    help: str = ""
    hint: str = ""
    """The template's bracketed hint without its brackets (``Base URL``)."""
    placeholder: str = ""
    required: bool = False
    style: Style = "inline"
    heading: bool = False
    default: Any = None
    options: tuple[str, ...] = ()
    free_text: bool = False
    format: str = ""
    validate: Validator = ""
    language: str = ""
    children: tuple[Node, ...] = ()
    """Fields of a section or group, columns of a table, items of a checklist, parts of a sign-off."""
    roles: tuple[Node, ...] = ()
    item_label: str = ""
    numbering: Numbering = "arabic"
    title_field: str = ""
    repeat_hint: str = ""
    requires: tuple[str, ...] = ()
    sensitive: bool = False
    auto: Auto = ""
    """``created`` or ``updated``: a date intwizard fills in itself."""
    required_at: tuple[str, ...] = ()
    """Levels (values of the schema's ``level_field``) at which this node must be filled in."""
    covers: tuple[str, ...] = ()
    """For a table column: groups whose every entry needs a row naming it (by the group's title field)."""
    meaning: str = ""
    """What the field is to intwizard's own tools (OpenAPI import, overview diagram), e.g. ``base-url``."""
    identity: tuple[str, ...] = ()
    """For a table: the columns that together name a row (diff and merge match rows by them)."""
    contract_values: tuple[tuple[str, str], ...] = ()
    """What a contract import writes into this field, by kind of contract (``openapi: REST API``)."""
    example: Any = None
    """The template's example value: offered to the author, never exported or stored by itself."""
    na_allowed: bool = True
    """Whether "not applicable" answers this node where it is required (``na_allowed: false``: it does not)."""
    cell: bool = False
    """A table's column: its value is one cell, which may hold several lines (exported with ``<br>``)."""
    line: int = 0
    """Line of the node in the schema file (1-based), for messages."""

    @property
    def is_container(self) -> bool:
        return self.kind in CONTAINER_KINDS

    @property
    def is_scalar(self) -> bool:
        return self.kind in SCALAR_KINDS

    def required_for(self, level: str | None) -> bool:
        """Required always, or at this level (``SEV-1``) of the spec."""
        return self.required or (level is not None and level in self.required_at)

    @property
    def identity_columns(self) -> tuple[Node, ...]:
        """A table's identifying columns: its ``identity``, else its first column."""
        if self.identity:
            return tuple(column for column in self.children if column.key in self.identity)
        return self.children[:1]

    def entry_number(self, index: int) -> str:
        """The number of a group's entry at ``index`` (0-based) as every front end shows it: 1, 2 or A, B."""
        return ordinal(index + 1, self.numbering)

    def child(self, key: str) -> Node | None:
        for node in self.children:
            if node.key == key:
                return node
        return None

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, in template order."""
        yield self
        for node in self.children:
            yield from node.walk()
        yield from self.roles


class Approval(NamedTuple):
    """What says a spec is approved (the schema's top-level ``approval``), for sign-off fingerprints."""

    status_field: str
    """Path of the choice field saying where review stands (Review Status)."""
    approved: str
    """Its option that claims the spec is approved."""
    decision: str
    """Key of the sign-off part holding each role's decision."""
    approve: str
    """The decision that approves; any other decision (Rejected) does not."""


class Schema(NamedTuple):
    name: str
    version: int
    document_title: str
    sections: tuple[Node, ...]
    path: Path
    by_path: dict[str, Node]
    """Every node by its path (made from ``sections`` by the builder)."""
    level_field: str = ""
    """Path of the choice field whose value ``required_at`` lists name (the SEV level)."""
    approval: Approval | None = None

    @property
    def signoff(self) -> Node | None:
        """The sign-off node (roles signing with name, date and decision), if the template has one."""
        return next((node for node in self.walk() if node.kind == "signoff"), None)

    def section(self, key: str) -> Node | None:
        for node in self.sections:
            if node.key == key:
                return node
        return None

    def node(self, schema_path: str) -> Node | None:
        """The node at a dotted path without list indexes, e.g. ``meta.sev_level``."""
        return self.by_path.get(schema_path)

    def walk(self) -> Iterator[Node]:
        for section in self.sections:
            yield from section.walk()

    def auto_field(self, auto: str) -> Node | None:
        """The date field filled in on creation (``created``) or on every save (``updated``)."""
        return next((node for node in self.walk() if node.auto == auto), None)

    @property
    def title_field(self) -> Node | None:
        """The field that names the document (the feature name)."""
        return next((node for section in self.sections for node in section.children
                     if node.style == "title"), None)


class SchemaError(InputError):
    """The schema file itself is wrong (a custom template with a typo, say)."""


BUILTIN_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def builtin_template_dir(name: str = "integration-points") -> Path:
    """The folder of a built-in template, in a source checkout or an installed wheel."""
    candidates = (
        BUILTIN_TEMPLATES / name,  # source checkout and editable installs
        Path(__file__).resolve().parents[1] / "templates" / name,  # wheels (force-included)
    )
    for candidate in candidates:
        if (candidate / "schema.yaml").is_file():
            return candidate
    raise SchemaError(f"built-in template {name!r} is missing from the installation")


@lru_cache(maxsize=8)
def load_schema(template_dir: Path | None = None) -> Schema:
    """Load and check ``schema.yaml`` from a template folder (the built-in one by default)."""
    folder = template_dir or builtin_template_dir()
    path = folder / "schema.yaml"
    from intwizard.core.store import read_file

    try:
        # A regular file of bounded size only, like a draft (a FIFO would hang, /dev/zero never end).
        text = read_file(path, "a template schema").text
    except InputError as exc:
        raise SchemaError(f"cannot read the template schema: {exc.message}", path=path) from None
    made_from = (path.resolve(), text, *_code_stamp())
    cached = _from_cache(made_from)
    if cached is not None:
        return cached
    from intwizard.core.yamlio import check_structure, load_plain_text, load_roundtrip_text

    plain = load_plain_text(text, path)
    check_structure(plain, path, "template schema")  # the draft's limits: an alias bomb is refused, not expanded
    try:
        schema = _build_schema(plain, path)
    except SchemaError:
        # Parse again, slower, keeping line numbers, so the message points at the mistake.
        schema = _build_schema(load_roundtrip_text(text, path), path)
    # Next time, skip parsing and checking (a tenth of the wizard's start, a sixth of an export's).
    user_cache.write("schema", pickle.dumps(schema), *made_from)
    return schema


def _code_stamp() -> tuple[int, int]:
    """This module's size and time: a new intwizard builds its schema objects anew."""
    info = Path(__file__).stat()
    return info.st_size, info.st_mtime_ns


def _from_cache(made_from: tuple[object, ...]) -> Schema | None:
    data = user_cache.read("schema", *made_from)
    if data is None:
        return None
    try:
        schema = pickle.loads(data)  # the user's own cache folder, written by load_schema
    except Exception:  # any damage to the file means: build it again
        return None
    return schema if isinstance(schema, Schema) else None


def _build_schema(data: Any, path: Path) -> Schema:
    if not isinstance(data, dict):
        raise SchemaError("the schema must be a mapping", path=path, line=1)
    for key in ("template", "version", "sections"):
        if key not in data:
            raise SchemaError(f"the schema has no {key!r}", path=path, line=1)
    sections = data["sections"]
    if not isinstance(sections, list) or not sections:
        raise SchemaError("'sections' must be a non-empty list", path=path, line=_line_of(data, "sections"))
    built = tuple(_build_node(raw, "", path, top=True) for raw in sections)
    by_path: dict[str, Node] = {}
    for section in built:
        for node in section.walk():
            by_path.setdefault(node.path, node)
    _check_unique(built, path)
    level_field = str(data.get("level_field") or "")
    _check_references(built, by_path, level_field, path, _line_of(data, "level_field"))
    approval = _approval(data, by_path, path)
    return Schema(
        name=str(data["template"]),
        version=int(data["version"]),
        document_title=str(data.get("document_title", data["template"])),
        sections=built,
        path=path,
        by_path=by_path,
        level_field=level_field,
        approval=approval,
    )


def _approval(data: Any, by_path: dict[str, Node], path: Path) -> Approval | None:
    raw = data.get("approval")
    if raw is None:
        return None
    line = _line_of(data, "approval")
    keys = ("status_field", "approved", "decision", "approve")
    if not isinstance(raw, dict) or sorted(raw) != sorted(keys):
        raise SchemaError(f"'approval' must be a mapping with {', '.join(keys)}", path=path, line=line)
    approval = Approval(*(str(raw[key]) for key in keys))
    status = by_path.get(approval.status_field)
    if status is None or status.kind != "choice" or approval.approved not in status.options:
        raise SchemaError(f"approval: status_field must name a choice field with the option {approval.approved!r}",
                          path=path, line=line)
    signoffs = [node for node in by_path.values() if node.kind == "signoff"]
    decision = signoffs[0].child(approval.decision) if len(signoffs) == 1 else None
    if decision is None or approval.approve not in decision.options:
        raise SchemaError(f"approval: decision must name a part of the (one) signoff with the option "
                          f"{approval.approve!r}", path=path, line=line)
    return approval


def _check_references(sections: tuple[Node, ...], by_path: dict[str, Node], level_field: str, path: Path,
                      level_line: int) -> None:
    """Paths and levels that nodes name must exist, so a typo in a custom template is caught on load."""
    level = by_path.get(level_field) if level_field else None
    if level_field and (level is None or level.kind != "choice"):
        raise SchemaError(f"level_field {level_field!r} must name a choice field", path=path, line=level_line)
    for section in sections:
        for node in section.walk():
            for target in node.requires:
                if target not in by_path:
                    raise SchemaError(f"{node.key}: requires unknown path {target!r}", path=path, line=node.line)
            for target in node.covers:
                if target not in by_path or by_path[target].kind != "group":
                    raise SchemaError(f"{node.key}: covers {target!r}, which is not a group", path=path,
                                      line=node.line)
            if node.required_at and level is None:
                raise SchemaError(f"{node.key}: required_at needs a top-level level_field", path=path,
                                  line=node.line)
            for value in node.required_at:
                if level is not None and value not in level.options:
                    raise SchemaError(f"{node.key}: required_at level {value!r} is not one of "
                                      f"{', '.join(level.options)}", path=path, line=node.line)


def _line_of(mapping: Any, key: str | None = None) -> int:
    lc = getattr(mapping, "lc", None)
    if lc is None:
        return 0
    if key is not None:
        try:
            return int(lc.key(key)[0]) + 1
        except (KeyError, TypeError):
            pass
    return int(lc.line) + 1


def _fail(message: str, raw: Any, path: Path, key: str | None = None) -> SchemaError:
    return SchemaError(message, path=path, line=_line_of(raw, key))


def _build_node(
    raw: Any, parent_path: str, path: Path, *, top: bool = False, kind: str = "", default_style: str = "inline"
) -> Node:
    from intwizard.core.yamlio import to_plain

    if not isinstance(raw, dict):
        raise _fail("each node must be a mapping with at least 'key' and 'label'", raw, path)
    unknown = sorted(set(raw) - _ATTRIBUTES)
    if unknown:
        raise _fail(f"unknown attribute {unknown[0]!r}", raw, path, unknown[0])
    for required in ("key", "label"):
        if not raw.get(required):
            raise _fail(f"node has no {required!r}", raw, path)
    key = str(raw["key"])
    if not re.match(_KEY, key):
        raise _fail(f"key {key!r} must be snake_case (a-z, 0-9, _)", raw, path, "key")
    if key == NOT_APPLICABLE:
        raise _fail(f"key {key!r} is reserved for not-applicable answers", raw, path, "key")
    node_kind = str(raw.get("kind") or kind or ("section" if top else "line"))
    if node_kind not in KINDS:
        raise _fail(f"unknown kind {node_kind!r} (one of: {', '.join(sorted(KINDS))})", raw, path, "kind")
    # A container's style is the default style of its fields.
    style = str(raw.get("style", default_style))
    if style not in STYLES:
        raise _fail(f"unknown style {style!r} (one of: {', '.join(sorted(STYLES))})", raw, path, "style")
    validate = str(raw.get("validate", "json" if raw.get("language") == "json" else ""))
    if validate and validate not in VALIDATORS:
        raise _fail(f"unknown validator {validate!r}", raw, path, "validate")
    numbering = str(raw.get("numbering", "arabic"))
    if numbering not in NUMBERINGS:
        raise _fail(f"unknown numbering {numbering!r} (arabic or alpha)", raw, path, "numbering")
    auto = str(raw.get("auto", ""))
    if auto and auto not in AUTOS:
        raise _fail(f"unknown auto {auto!r} (created or updated)", raw, path, "auto")
    options = raw.get("options") or ()
    if node_kind == "choice" and not options:
        raise _fail("a choice needs 'options'", raw, path)
    node_path = f"{parent_path}.{key}" if parent_path else key

    children: tuple[Node, ...] = ()
    roles: tuple[Node, ...] = ()
    child_lists = {"section": "fields", "group": "fields", "table": "columns", "checklist": "items",
                   "signoff": "fields"}
    if node_kind in child_lists:
        list_key = child_lists[node_kind]
        raw_children = raw.get(list_key)
        if not isinstance(raw_children, list) or not raw_children:
            raise _fail(f"a {node_kind} needs a non-empty {list_key!r} list", raw, path)
        child_kind = "check" if node_kind == "checklist" else ""
        children = tuple(
            _build_node(child, node_path, path, kind=child_kind, default_style=style) if child_kind != "check"
            else _build_check(child, node_path, path)
            for child in raw_children
        )
        if node_kind == "table":
            children = tuple(child._replace(cell=True) for child in children)
    if node_kind == "signoff":
        raw_roles = raw.get("roles")
        if not isinstance(raw_roles, list) or not raw_roles:
            raise _fail("a signoff needs a non-empty 'roles' list", raw, path)
        roles = tuple(_build_check(role, node_path, path, kind="role") for role in raw_roles)

    hint = str(raw.get("hint", ""))
    if "placeholder" in raw:
        placeholder = str(raw["placeholder"])
    elif hint:
        placeholder = f"[{hint}]"
    elif node_kind == "choice":
        placeholder = "[" + " | ".join(str(o) for o in options) + "]"
    else:
        placeholder = f"[{raw['label']}]"
    help_text = str(raw.get("help") or hint or "")
    if help_text.strip().casefold() == str(raw["label"]).strip().casefold():
        help_text = ""  # a hint that only repeats the label (table columns) helps nobody
    if not help_text and node_kind == "choice":
        help_text = "One of: " + ", ".join(str(o) for o in options) + (" (or your own)" if raw.get("free_text") else "")

    return Node(
        key=key,
        label=str(raw["label"]),
        kind=node_kind,  # narrowed by the checks against KINDS, STYLES ... above
        path=node_path,
        help=help_text,
        hint=hint,
        placeholder=placeholder,
        required=bool(raw.get("required", False)),
        style=style,
        heading=bool(raw.get("heading", top or node_kind in CONTAINER_KINDS)),
        default=to_plain(raw.get("default"), text=True),  # schema defaults are data
        options=tuple(str(o) for o in options),
        free_text=bool(raw.get("free_text", False)),
        format=str(raw.get("format", "")),
        validate=validate,
        language=str(raw.get("language", "")),
        children=children,
        roles=roles,
        item_label=str(raw.get("item_label", raw["label"])),
        numbering=numbering,
        title_field=str(raw.get("title_field", "")),
        repeat_hint=str(raw.get("repeat_hint", "")),
        requires=tuple(str(r) for r in raw.get("requires") or ()),
        sensitive=bool(raw.get("sensitive", False)),
        auto=auto,
        required_at=_strings(raw, "required_at", path),
        covers=_strings(raw, "covers", path),
        meaning=str(raw.get("meaning", "")),
        identity=_identity(raw, node_kind, children, path),
        contract_values=_pairs(raw, "contract_values", path),
        example=to_plain(raw.get("example"), text=True),
        na_allowed=bool(raw.get("na_allowed", True)),
        line=_line_of(raw),
    )


def _identity(raw: Any, kind: str, columns: tuple[Node, ...], path: Path) -> tuple[str, ...]:
    identity = _strings(raw, "identity", path)
    if identity and kind != "table":
        raise _fail("only a table has 'identity' (the columns that name a row)", raw, path, "identity")
    known = {column.key for column in columns}
    for key in identity:
        if key not in known:
            raise _fail(f"identity names {key!r}, which is not one of its columns", raw, path, "identity")
    return identity
def _pairs(raw: Any, key: str, path: Path) -> tuple[tuple[str, str], ...]:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise _fail(f"{key!r} must be a mapping", raw, path, key)
    return tuple((str(name), str(text)) for name, text in value.items())


def _strings(raw: Any, key: str, path: Path) -> tuple[str, ...]:
    value = raw.get(key) or ()
    if not isinstance(value, list | tuple):
        raise _fail(f"{key!r} must be a list", raw, path, key)
    return tuple(str(item) for item in value)


def _build_check(raw: Any, parent_path: str, path: Path, kind: Literal["check", "role"] = "check") -> Node:
    """A checklist item or a sign-off role: a key, a label and (items) the paths it vouches for."""
    if not isinstance(raw, dict) or not raw.get("key") or not raw.get("label"):
        raise _fail(f"each {'item' if kind == 'check' else 'role'} needs 'key' and 'label'", raw, path)
    unknown = sorted(set(raw) - {"key", "label", "requires", "help", "required_at"})
    if unknown:
        raise _fail(f"unknown attribute {unknown[0]!r}", raw, path, unknown[0])
    key = str(raw["key"])
    if not re.match(_KEY, key):
        raise _fail(f"key {key!r} must be snake_case (a-z, 0-9, _)", raw, path, "key")
    return Node(
        key=key,
        label=str(raw["label"]),
        kind=kind,
        path=f"{parent_path}.{key}",
        help=str(raw.get("help", "")),
        requires=_strings(raw, "requires", path),
        required_at=_strings(raw, "required_at", path),
        line=_line_of(raw),
    )


def _check_unique(sections: tuple[Node, ...], path: Path) -> None:
    def check(nodes: tuple[Node, ...]) -> None:
        seen: set[str] = set()
        for node in nodes:
            if node.key in seen:
                raise SchemaError(f"duplicate key {node.key!r}", path=path, line=node.line)
            seen.add(node.key)
            check(node.children)
            check(node.roles)

    check(sections)


