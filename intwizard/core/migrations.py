"""Upgrade a draft made with an older version of its template, in memory.

A template folder may hold ``migrations.yaml`` beside ``schema.yaml``: one step per version, each
moving (renaming) keys. A draft records the template and version it was made with under the
``intwizard:`` key; when that version is older, the steps run on the loaded data, keys keep their
place and their comments, and the file is written in the new format only when it is next saved.
Read-only commands (export, check) upgrade the plain data the same way and write nothing.

    # migrations.yaml
    steps:
      - from: 0                      # takes a version 0 draft to version 1
        move:
          - {from: section.old_name, to: section.new_name}
          - {from: group.*.old_parent.key, to: group.*.new_parent.key}

``*`` stands for every entry of a list; source and target share everything up to their last ``*``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from intwizard.core.draft import FORMAT_VERSION, META_KEY, insert_ordered
from intwizard.core.schema import Node, Schema
from intwizard.errors import InputError

MIGRATIONS_FILE = "migrations.yaml"


# The steps' records are named tuples, not frozen dataclasses: making a dataclass costs every start of
# every command (which all import this module) half a millisecond, and these are only read.
class Move(NamedTuple):
    source: str
    target: str

    @property
    def split(self) -> tuple[list[str], list[str], list[str]]:
        """(shared prefix up to the last ``*``, rest of the source, rest of the target)."""
        source, target = self.source.split("."), self.target.split(".")
        cut = max((i + 1 for i, part in enumerate(source) if part == "*"), default=0)
        return source[:cut], source[cut:], target[cut:]


class Step(NamedTuple):
    version: int
    """The version this step starts from; it ends at ``version + 1``."""
    moves: tuple[Move, ...]


@dataclass
class Upgrade:
    """What :func:`upgrade` did to a draft (``notes``) and what the user should know (``warnings``)."""

    from_version: int | None = None
    to_version: int | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    bookkeeping: list[str] = field(default_factory=list)
    """intwizard's own records brought to the current format (``intwizard.openapi`` -> ``sources``)."""

    @property
    def changed(self) -> bool:
        return bool(self.bookkeeping) or (self.to_version is not None and self.to_version != self.from_version)


class MigrationError(InputError):
    """``migrations.yaml`` is malformed."""


def _line(raw: Any) -> int:
    lc = getattr(raw, "lc", None)
    return lc.line + 1 if lc is not None else 0


def _path(raw: Any, what: str, file: Path, line: int) -> str:
    text = str(raw or "").strip()
    parts = text.split(".")
    if not text or any(not part for part in parts):
        raise MigrationError(f"{what} must be a dotted path, got {raw!r}", path=file, line=line)
    return text


@lru_cache(maxsize=8)
def load_steps(template_dir: Path) -> dict[int, Step]:
    """The template's upgrade steps by starting version ({} when it has no ``migrations.yaml``)."""
    from intwizard.core.store import read_file
    from intwizard.core.yamlio import check_structure, load_roundtrip_text

    file = template_dir / MIGRATIONS_FILE
    if not file.exists():
        return {}
    try:
        # A regular file of bounded size only, like a draft.
        text = read_file(file, "a migrations file").text
    except InputError as exc:
        raise MigrationError(f"cannot read: {exc.message}", path=file) from None
    data = load_roundtrip_text(text, file)
    check_structure(data, file, "migrations file")  # the draft's limits: an alias bomb is refused, not expanded
    raw_steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(raw_steps, list):
        raise MigrationError("expected a mapping with a 'steps' list", path=file, line=1)
    steps: dict[int, Step] = {}
    for raw in raw_steps:
        line = _line(raw)
        if not isinstance(raw, dict) or not isinstance(raw.get("from"), int) or isinstance(raw.get("from"), bool):
            raise MigrationError("each step needs 'from: <version number>'", path=file, line=line)
        version = raw["from"]
        if version in steps:
            raise MigrationError(f"two steps from version {version}", path=file, line=line)
        raw_moves = raw.get("move") or []
        if not isinstance(raw_moves, list):
            raise MigrationError("'move' must be a list of {from: PATH, to: PATH}", path=file, line=line)
        moves = []
        for raw_move in raw_moves:
            move_line = _line(raw_move) or line
            if not isinstance(raw_move, dict) or set(raw_move) != {"from", "to"}:
                raise MigrationError("each move is {from: PATH, to: PATH}", path=file, line=move_line)
            move = Move(_path(raw_move["from"], "from", file, move_line), _path(raw_move["to"], "to", file, move_line))
            prefix, source_rest, target_rest = move.split
            if move.target.split(".")[: len(prefix)] != prefix or not source_rest or not target_rest \
                    or "*" in target_rest:
                raise MigrationError(f"{move.source} -> {move.target}: both paths must share everything up to "
                                     "their last '*' and name a key after it", path=file, line=move_line)
            moves.append(move)
        steps[version] = Step(version, tuple(moves))
    return steps


def _containers(data: Any, prefix: list[str]) -> list[dict[Any, Any]]:
    """The mappings a shared prefix (with ``*``) leads to."""
    found = [data]
    for part in prefix:
        following: list[Any] = []
        for value in found:
            if part == "*":
                following.extend(value if isinstance(value, list) else [])
            elif isinstance(value, dict) and part in value:
                following.append(value[part])
        found = following
    return [value for value in found if isinstance(value, dict)]


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _rename_in_place(mapping: dict[Any, Any], old: str, new: str) -> None:
    """Give a key a new name where it stands, with its comments."""
    keys = list(mapping)
    position = keys.index(old)
    value = mapping[old]
    if isinstance(mapping, CommentedMap):
        comment = mapping.ca.items.pop(old, None)
        if new in mapping:
            mapping.ca.items.pop(new, None)
            del mapping[new]
            position = list(mapping).index(old)
        del mapping[old]
        mapping.insert(position, new, value)
        if comment is not None:
            mapping.ca.items[new] = comment
        return
    items = [(new if key == old else key, mapping[key]) for key in keys if key != new]
    mapping.clear()
    mapping.update(items)


def _place(mapping: dict[Any, Any], key: str, value: Any, siblings: tuple[Node, ...]) -> None:
    """Set ``key``, adding it where the template puts it when it is new."""
    if key in mapping or not isinstance(mapping, CommentedMap):
        mapping[key] = value
    else:
        insert_ordered(mapping, siblings, key, value)


def _siblings(schema: Schema | None, parts: list[str]) -> tuple[Node, ...]:
    """The template's nodes inside the mapping at ``parts`` (list indexes as ``*``)."""
    if schema is None:
        return ()
    path = ".".join(part for part in parts if part != "*")
    if not path:
        return schema.sections
    node = schema.node(path)
    return node.children if node is not None else ()


def _drop_emptied(container: dict[Any, Any], parts: list[str]) -> None:
    """Remove the mappings a move left empty (``connection: {}``), innermost first."""
    for depth in range(len(parts), 0, -1):
        parent: Any = container
        for part in parts[: depth - 1]:
            parent = parent.get(part)
        if parent.get(parts[depth - 1]) != {}:
            return
        if isinstance(parent, CommentedMap):
            parent.ca.items.pop(parts[depth - 1], None)
        del parent[parts[depth - 1]]


def _move_in(container: dict[Any, Any], source: list[str], target: list[str], prefix: list[str],
             schema: Schema | None) -> bool:
    """Move ``source`` to ``target`` inside one mapping; False when there was nothing to move."""
    parent: Any = container
    for part in source[:-1]:
        parent = parent.get(part) if isinstance(parent, dict) else None
    old = source[-1]
    if not isinstance(parent, dict) or old not in parent:
        return False
    destination: Any = container
    for depth, part in enumerate(target[:-1]):
        child = destination.get(part)
        if not isinstance(child, dict):
            if not _blank(child):
                return False  # something else lives there: leave the old key for the user to see
            child = CommentedMap() if isinstance(destination, CommentedMap) else {}
            _place(destination, part, child, _siblings(schema, prefix + target[:depth]))
        destination = child
    new = target[-1]
    if new in destination and not _blank(destination[new]):
        return False  # both old and new keys are filled in: never overwrite an answer
    if destination is parent:
        _rename_in_place(parent, old, new)
        return True
    comment = parent.ca.items.pop(old, None) if isinstance(parent, CommentedMap) else None
    _place(destination, new, parent.pop(old), _siblings(schema, prefix + target[:-1]))
    if comment is not None and isinstance(destination, CommentedMap):
        destination.ca.items[new] = comment
    _drop_emptied(container, source[:-1])
    return True


def apply_step(data: dict[Any, Any], step: Step, schema: Schema | None = None) -> list[str]:
    """Run one step's moves on the draft's data; returns a note per move that moved something.
    With the schema, keys the moves create go where the template puts them."""
    notes = []
    for move in step.moves:
        prefix, source, target = move.split
        moved = sum(_move_in(container, source, target, prefix, schema) for container in _containers(data, prefix))
        if moved:
            notes.append(f"{move.source} -> {move.target}")
    return notes


#: Source records an older intwizard kept under ``intwizard.openapi``: ``source`` is now ``path``.
_OLD_OPENAPI_KEY, SOURCES_KEY = "openapi", "sources"


def upgrade_sources(meta: dict[Any, Any]) -> list[str]:
    """Move the OpenAPI import records of an older intwizard (``intwizard.openapi``) to the records every
    kind of contract shares (``intwizard.sources``), in place, with their comments. Their digest is
    unknown (empty), so the next ``check --sources`` compares the source in full."""
    old = meta.get(_OLD_OPENAPI_KEY)
    if not isinstance(old, list):
        return []
    moved = []
    for record in old:
        if not isinstance(record, dict):
            continue
        entry = CommentedMap() if isinstance(record, CommentedMap) else {}
        entry["path"] = record.get("source", "")
        entry["kind"] = "openapi"
        entry["digest"] = ""
        for key, value in record.items():
            if key != "source":
                entry[key] = value
        if isinstance(record, CommentedMap) and isinstance(entry, CommentedMap):
            for key, comment in record.ca.items.items():
                entry.ca.items["path" if key == "source" else key] = comment
        moved.append(entry)
    target = meta.get(SOURCES_KEY)
    if isinstance(target, list):
        target.extend(moved)
        if isinstance(meta, CommentedMap):
            meta.ca.items.pop(_OLD_OPENAPI_KEY, None)
        del meta[_OLD_OPENAPI_KEY]
    else:
        meta[_OLD_OPENAPI_KEY] = CommentedSeq(moved) if isinstance(old, CommentedSeq) else moved
        _rename_in_place(meta, _OLD_OPENAPI_KEY, SOURCES_KEY)
    return [f"intwizard.{_OLD_OPENAPI_KEY} -> intwizard.{SOURCES_KEY} ({len(moved)} source"
            f"{'' if len(moved) == 1 else 's'})"]


def upgrade(data: dict[Any, Any], schema: Schema) -> Upgrade:
    """Bring a draft (round-trip or plain data) up to the schema's template version, in place."""
    result = Upgrade()
    meta = data.get(META_KEY)
    if not isinstance(meta, dict):
        return result  # written by hand without intwizard's record: read as it is
    result.bookkeeping = upgrade_sources(meta)
    fmt = meta.get("format")
    if isinstance(fmt, int) and fmt > FORMAT_VERSION:
        result.warnings.append(f"written by a newer intwizard (draft format {fmt}; this one reads {FORMAT_VERSION})")
    name, version = meta.get("template"), meta.get("template_version")
    if name is not None and str(name) != schema.name:
        result.warnings.append(f"made with template {name!r}, read with template {schema.name!r}")
        return result
    if not isinstance(version, int) or isinstance(version, bool) or version == schema.version:
        return result
    if version > schema.version:
        result.warnings.append(f"made with template version {version}, newer than this one ({schema.version}); "
                               "keys it added are kept as written")
        return result
    steps = load_steps(schema.path.parent)
    result.from_version = version
    current = version
    while current < schema.version:
        step = steps.get(current)
        if step is None:
            result.warnings.append(f"made with template version {current}; there is no upgrade from it to "
                                   f"{current + 1}, so it is read as it is")
            break
        result.notes += apply_step(data, step, schema)
        current += 1
    if current != version:
        meta["template_version"] = current
        result.to_version = current
    return result


def upgrade_draft(draft: Any) -> Upgrade:
    """Upgrade an opened :class:`~intwizard.core.draft.Draft`; if anything moved, it counts as changed, so the
    next save writes the new format (and nothing is written before)."""
    result = upgrade(draft.data, draft.schema)
    if result.changed:
        draft.changed = True
    return result
