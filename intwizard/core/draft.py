"""The draft: a view over the ruamel ``CommentedMap`` read from the YAML file, edited in place.

Paths are dotted keys with list indexes, e.g. ``external_system_integrations.0.connection_details.base_url``.
Every edit goes through :meth:`Draft.set` (or the list helpers), which checks the path against the
schema and keeps the author's comments and formatting: containers are mutated in place, never
replaced by plain dicts and lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple, cast

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    PlainScalarString,
    SingleQuotedScalarString,
)

from intwizard.core.schema import NOT_APPLICABLE, Node, Schema
from intwizard.core.yamlio import block_text, to_plain, to_tree
from intwizard.errors import InputError

#: The top-level key holding intwizard's own bookkeeping (format and template version).
META_KEY = "intwizard"
#: What an import kept aside (``intwizard.unmapped``): a list of {where, line, text, path, after}. Its
#: pieces are edited (``intwizard.unmapped.N.text``) and removed like the template's lists.
KEPT_PATH = f"{META_KEY}.unmapped"
#: A kept piece's place while its row or integration is deleted (``removed: <its path>``): the export
#: writes it at the end of its section; undoing the deletion puts it back.
REMOVED_KEY = "removed"


def _kept_text_path(path: str) -> int | None:
    """The index N of ``intwizard.unmapped.N.text``, else None."""
    parts = path.split(".")
    if len(parts) == 4 and ".".join(parts[:2]) == KEPT_PATH and parts[2].isdigit() and parts[3] == "text":
        return int(parts[2])
    return None
FORMAT_VERSION = 1


class PathError(InputError):
    """A dotted path that names nothing in the template."""


class ShapeError(PathError):
    """The path is right, but the draft holds something else there (a list or text where a mapping
    belongs); the file is left as it is."""


class Step(NamedTuple):
    """One resolved part of a path: the schema node reached, and the list index if it was one."""

    node: Node
    position: int | None = None  # (not ``index``: a tuple's method)


def value_at(data: Any, parts: list[str]) -> Any:
    """The value under ``parts`` (dotted path's keys and list indexes) in ``data``; None where missing."""
    value: Any = data
    for part in parts:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _split(path: str) -> list[str]:
    parts = path.strip().split(".")
    if not path.strip() or any(not part for part in parts):
        raise PathError(f"{path!r} is not a dotted path (e.g. meta.author)")
    return parts


def resolve(schema: Schema, path: str) -> list[Step]:
    """Check ``path`` against the schema and return the nodes it walks through."""
    parts = _split(path)
    steps: list[Step] = []
    options: tuple[Node, ...] = schema.sections
    current: Node | None = None
    i = 0
    while i < len(parts):
        part = parts[i]
        if current is not None and current.kind in ("group", "table", "list"):
            if not part.isdigit():
                raise PathError(f"{'.'.join(parts[:i])} is a list: the next part must be an index, not {part!r}")
            index = int(part)
            if current.kind == "list":
                steps.append(Step(current, index))
                if i != len(parts) - 1:
                    raise PathError(f"{path!r}: list items have no parts")
                return steps
            steps.append(Step(current, index))
            options = current.children
            current = None
            i += 1
            continue
        node = next((candidate for candidate in options if candidate.key == part), None)
        if node is None and current is not None and current.kind == "signoff":
            node = next((role for role in current.roles if role.key == part), None)
        if node is None:
            where = ".".join(parts[:i]) or "the draft"
            known = ", ".join(candidate.key for candidate in options) or "none"
            raise PathError(f"unknown key {part!r} in {where} (known: {known})")
        steps.append(Step(node))
        current = node
        if node.kind == "role":
            options = _signoff_of(steps).children
        elif node.kind not in ("group", "table", "list"):
            options = node.children
        i += 1
    return steps


def _signoff_of(steps: list[Step]) -> Node:
    return steps[-2].node


def _styled_like(old: Any, new: Any) -> Any:
    """Keep the author's quoting when a quoted value is replaced by another line of text."""
    if isinstance(new, str) and "\n" not in new and isinstance(
        old, SingleQuotedScalarString | DoubleQuotedScalarString
    ):
        # An empty old value's quotes ('') are YAML's only way to write nothing, not the author's
        # style; ruamel would carry them over to the new value unless told it is plain.
        return type(old)(new) if old else PlainScalarString(new)
    if isinstance(new, str):
        return block_text(new)
    return new


def skeleton(node: Node) -> Any:
    """An empty value of the node's kind with the template's defaults, as ruamel containers."""
    if node.kind in ("section",):
        return CommentedMap((child.key, skeleton(child)) for child in node.children)
    if node.kind in ("group",):
        return CommentedSeq()
    if node.kind == "checklist":
        return CommentedMap((item.key, False) for item in node.children)
    if node.kind == "signoff":
        return CommentedMap(
            (role.key, CommentedMap((part.key, "") for part in node.children)) for role in node.roles
        )
    if node.kind == "table":
        return CommentedSeq(
            CommentedMap((column.key, block_text(str(row.get(column.key, "")))) for column in node.children)
            for row in node.default or ()
        )
    if node.kind == "list":
        return CommentedSeq(block_text(str(item)) for item in node.default or ())
    if node.kind == "date":
        return ""
    return block_text(str(node.default)) if node.default is not None else ""


def group_item(node: Node) -> CommentedMap:
    """A new entry of a repeatable group (one integration), with the template's defaults."""
    return CommentedMap((child.key, skeleton(child)) for child in node.children)


def table_row(node: Node) -> CommentedMap:
    return CommentedMap((column.key, "") for column in node.children)


def _new_item(node: Node) -> Any:
    if node.kind == "group":
        return group_item(node)
    if node.kind == "table":
        return table_row(node)
    return ""


def insert_ordered(mapping: CommentedMap, siblings: tuple[Node, ...], key: str, value: Any) -> None:
    """Add a missing key where the template puts it: before the first key the template puts after it.

    Keys the template does not know keep their place.
    """
    order = {node.key: position for position, node in enumerate(siblings)}
    rank = order.get(key, len(order))
    for index, existing in enumerate(mapping):
        if order.get(existing, -1) > rank:
            mapping.insert(index, key, value)
            return
    mapping[key] = value


class Draft:
    """A draft being edited: the round-trip data, its schema, and whether it changed."""

    def __init__(self, data: CommentedMap, schema: Schema) -> None:
        self.data = data
        self.schema = schema
        self.changed = False
        self.edited: set[str] = set()
        """Paths set since the draft was read (a new sign-off is fingerprinted at the save: signoffs.py)."""

    # -- creation -----------------------------------------------------------------------------

    @classmethod
    def new(cls, schema: Schema, *, today: dt.date | None = None, hint: str = "") -> Draft:
        """A draft with every key of the template, its defaults, and today's date as created."""
        data = CommentedMap()
        data[META_KEY] = CommentedMap(
            [("format", FORMAT_VERSION), ("template", schema.name), ("template_version", schema.version)]
        )
        for section in schema.sections:
            data[section.key] = skeleton(section)
        draft = cls(data, schema)
        draft.set_header(hint)
        day = today or dt.date.today()
        for auto in ("created", "updated"):
            node = schema.auto_field(auto)
            if node is not None:
                draft.set_value(node.path, day)
        draft.changed = False
        return draft

    def set_header(self, hint: str = "") -> None:
        """The comment at the top of a new draft: what the file is, and ``hint`` (how to pick it up again:
        :func:`intwizard.cli.words.header_hint`, as the front ends word it)."""
        header = (
            f"{self.schema.document_title} spec draft, written by intwizard. Edit it here or in the wizard;\n"
            "comments and formatting you add are kept."
        )
        if hint:
            header += f"\n{hint}"
        self.data.yaml_set_start_comment(header)

    # -- reading ------------------------------------------------------------------------------

    def get(self, path: str) -> Any:
        """The value at ``path`` (None when the draft does not have it yet)."""
        if path != KEPT_PATH and _kept_text_path(path) is None:
            resolve(self.schema, path)
        return value_at(self.data, _split(path))

    @property
    def title(self) -> str:
        node = self.schema.title_field
        value = self.get(node.path) if node else None
        return str(value).strip() if value else ""

    # -- writing ------------------------------------------------------------------------------

    def set(self, path: str, text: str) -> bool:
        """Parse ``text`` for the field at ``path`` (refusing a wrong value) and store it."""
        from intwizard.core.values import ValueProblem, parse

        steps = resolve(self.schema, path)
        try:
            value = parse(steps[-1].node, text)
        except ValueProblem as exc:
            raise InputError(f"{path}: {exc}") from None
        return self._store(path, steps, value)

    def set_value(self, path: str, value: Any) -> bool:
        """Store ``value`` as given (the wizard keeps wrong values, flagged, rather than lose them)."""
        index = _kept_text_path(path)
        if index is not None:  # the text of a piece an import kept aside
            piece = self.kept()[index]
            if _same(piece.get("text"), value):
                return False
            piece["text"] = block_text(as_text_value(value))
            self.changed = True
            return True
        return self._store(path, resolve(self.schema, path), value)

    def kept(self) -> CommentedSeq:
        """The pieces an import kept aside (``intwizard.unmapped``); an empty list when there are none."""
        meta = self.data.get(META_KEY)
        found = meta.get("unmapped") if isinstance(meta, dict) else None
        return cast(CommentedSeq, found) if isinstance(found, list) else CommentedSeq()

    def set_not_applicable(self, path: str, reason: str) -> bool:
        """Answer the field, table, list or section at ``path`` "not applicable", because ``reason``.

        A field's or table's value becomes ``{not_applicable: reason}``; a section keeps what its fields
        hold and gains the ``not_applicable`` key first, so nothing written is lost."""
        steps = resolve(self.schema, path)
        node = steps[-1].node
        if steps[-1].position is not None or node.kind in ("check", "role") or node.auto:
            raise InputError(f"{path}: {node.label} cannot be marked not applicable (mark its table, list, "
                             "checklist or section)")
        if not reason.strip():
            raise InputError(f"{path}: say why {node.label} does not apply (a reason after the path)")
        if node.kind == "section":
            section = self.get(path)
            if isinstance(section, CommentedMap):
                if section.get(NOT_APPLICABLE) == reason.strip():
                    return False
                if NOT_APPLICABLE in section:
                    section[NOT_APPLICABLE] = reason.strip()
                else:
                    section.insert(0, NOT_APPLICABLE, reason.strip())
                self.changed = True
                return True
        return self._store(path, steps, CommentedMap([(NOT_APPLICABLE, reason.strip())]))

    def _store(self, path: str, steps: list[Step], value: Any) -> bool:
        stored = self._put(path, steps, value)
        if stored:
            self.edited.add(path)
        return stored

    def _put(self, path: str, steps: list[Step], value: Any) -> bool:
        if isinstance(value, dt.date):
            # A fresh object per field: ruamel writes one object stored twice as an anchor and alias.
            value = dt.date.fromordinal(value.toordinal())
        parts = _split(path)
        container = self._container_for(parts, steps)
        last = parts[-1]
        if isinstance(container, list):
            index = int(last)
            if index == len(container):
                container.append(value if not isinstance(value, str) else block_text(value))
                self.changed = True
                return True
            old = container[index]
            if _same(old, value):
                return False
            container[index] = _styled_like(old, value)
        else:
            old = container.get(last)
            if last in container and _same(old, value):
                return False
            if last in container:
                container[last] = _styled_like(old, value)
            else:
                insert_ordered(container, self._siblings(steps), last, _styled_like(None, value))
        self.changed = True
        return True

    def _siblings(self, steps: list[Step]) -> tuple[Node, ...]:
        """The template's nodes beside the last step, for putting a new key in its place."""
        if len(steps) == 1:
            return self.schema.sections
        parent = steps[-2]
        if parent.position is not None or parent.node.kind not in ("signoff", "role"):
            return parent.node.children
        if parent.node.kind == "signoff":
            return parent.node.roles
        return steps[-3].node.children  # a role's parts are its sign-off's fields

    def _empty(self, steps: list[Step]) -> Any:
        node = steps[-1].node
        if node.kind == "role":
            return CommentedMap((part.key, "") for part in steps[-2].node.children)
        return skeleton(node)

    def _container_for(self, parts: list[str], steps: list[Step]) -> Any:
        """The mapping or list that holds the last part, created (in template order) if missing.

        ``resolve`` gives one step per part, so ``steps[i]`` describes ``parts[i]``.
        """
        container: Any = self.data
        for depth, part in enumerate(parts[:-1]):
            step = steps[depth]
            if step.position is not None:
                if not isinstance(container, list):
                    raise ShapeError(f"{path_text(parts[:depth])} is not a list in the draft")
                _check_index(parts[: depth + 1], container)
                if step.position == len(container):
                    container.append(_new_item(step.node))
                container = container[step.position]
                continue
            if not isinstance(container, dict):
                raise ShapeError(f"{path_text(parts[:depth]) or 'the draft'} is not a mapping in the draft")
            child = container.get(part)
            if isinstance(child, dict) and NOT_APPLICABLE in child:
                # Answering a part of it: it applies after all.
                if step.node.kind == "section":
                    del child[NOT_APPLICABLE]
                else:
                    child = None
            if child is None or (isinstance(child, str) and not child.strip()):
                child = self._empty(steps[: depth + 1])
                if part in container:
                    container[part] = child
                else:
                    insert_ordered(cast(CommentedMap, container), self._siblings(steps[: depth + 1]), part, child)
            container = child
        if steps[-1].position is not None:
            if not isinstance(container, list):
                raise ShapeError(f"{path_text(parts[:-1])} is not a list in the draft")
            _check_index(parts, container)
        elif not isinstance(container, dict):
            raise ShapeError(f"{path_text(parts[:-1]) or 'the draft'} is not a mapping in the draft")
        return container

    # -- lists (tables, groups, bullet lists) ----------------------------------------------------

    def items(self, path: str) -> CommentedSeq:
        """The list at ``path``, created empty (in template order) if the draft lacks it."""
        if path == KEPT_PATH:
            return self.kept()
        steps = resolve(self.schema, path)
        if steps[-1].node.kind not in ("group", "table", "list") or steps[-1].position is not None:
            raise PathError(f"{path} is not a list")
        value = self.get(path)
        if isinstance(value, list):
            return cast(CommentedSeq, value)
        self.set_value(path, CommentedSeq())
        return cast(CommentedSeq, self.get(path))

    def append_item(self, path: str, item: Any | None = None) -> int:
        """Add an entry (a table row, an integration) at the end; returns its index."""
        node = resolve(self.schema, path)[-1].node
        seq = self.items(path)
        seq.append(item if item is not None else _new_item(node))
        self.changed = True
        return len(seq) - 1

    def insert_item(self, path: str, index: int, item: Any) -> None:
        seq = self.items(path)
        seq.insert(index, item)
        self.changed = True
        back = self._detached(f"{path}.{index}")
        self._renumber(path, lambda old: old + 1 if old >= index else old)
        for piece, where in back:  # an entry inserted where one was removed (an undo): its pieces return
            piece.pop(REMOVED_KEY, None)
            piece["path"] = where

    def remove_item(self, path: str, index: int) -> Any:
        seq = self.items(path)
        if not 0 <= index < len(seq):
            raise PathError(f"{path}.{index}: no such entry")
        item = seq[index]
        del seq[index]  # a non-negative index: ruamel keeps the other entries' comments
        self.changed = True
        self._renumber(path, lambda old: None if old == index else old - 1 if old > index else old)
        return item

    def move_item(self, path: str, index: int, offset: int) -> int:
        """Move an entry up (-1) or down (+1); returns its new index."""
        seq = self.items(path)
        target = index + offset
        if not (0 <= index < len(seq) and 0 <= target < len(seq)):
            return index
        item = seq[index]
        del seq[index]
        seq.insert(target, item)
        self.changed = True
        low, high, step = (index + 1, target, -1) if target > index else (target, index - 1, 1)
        self._renumber(path, lambda old: target if old == index else old + step if low <= old <= high else old)
        return target

    def duplicate_item(self, path: str, index: int) -> int:
        seq = self.items(path)
        copy = to_tree(seq[index])
        seq.insert(index + 1, copy)
        self.changed = True
        self._renumber(path, lambda old: old + 1 if old > index else old)
        return index + 1

    def _detached(self, entry: str) -> list[tuple[Any, str]]:
        """The kept pieces that lost their place when the entry at ``entry`` was removed, with that place."""
        meta = self.data.get(META_KEY)
        pieces = meta.get("unmapped") if isinstance(meta, dict) else None
        found: list[tuple[Any, str]] = []
        for piece in pieces if isinstance(pieces, list) else ():
            where = piece.get(REMOVED_KEY) if isinstance(piece, dict) else None
            if isinstance(where, str) and (where == entry or where.startswith(entry + ".")):
                found.append((piece, where))
        return found

    def _renumber(self, path: str, new_index: Callable[[int], int | None]) -> None:
        """Entries of the list at ``path`` moved: the import's kept pieces and layout records that name an
        entry by its index follow it. A piece of an entry removed (``None``) loses its place: the export
        writes it at the end of its section, where it can still be seen (and deleted)."""
        meta = self.data.get(META_KEY)
        if not isinstance(meta, dict):
            return
        prefix = path + "."

        def moved(where: str) -> str | None:
            if not where.startswith(prefix):
                return where
            head, _, rest = where[len(prefix):].partition(".")
            if not head.isdigit():
                return where
            index = new_index(int(head))
            return None if index is None else prefix + str(index) + ("." + rest if rest else "")

        pieces = meta.get("unmapped")
        for piece in pieces if isinstance(pieces, list) else ():
            if not isinstance(piece, dict):
                continue
            for key in ("path", REMOVED_KEY):
                where = piece.get(key)
                if isinstance(where, str) and (new := moved(where)) != where:
                    if new is None:  # its entry is gone: remembered, so undoing the removal puts it back
                        del piece[key]
                        piece[REMOVED_KEY] = where
                    else:
                        piece[key] = new
        layout = meta.get("layout")
        if isinstance(layout, CommentedMap):
            renamed = [(key, moved(key)) for key in list(layout) if isinstance(key, str)]
            changes = {key: new for key, new in renamed if new != key}
            if changes:
                kept = [(changes.get(key, key), value) for key, value in layout.items()]
                for key in list(layout):
                    del layout[key]
                for key, value in kept:
                    if key is not None:
                        layout[key] = value

    # -- views ----------------------------------------------------------------------------------

    def plain(self) -> dict[str, Any]:
        """The draft as plain dicts and lists (for export, checks and previews)."""
        return cast(dict[str, Any], to_plain(self.data))


def as_text_value(value: Any) -> str:
    return "" if value is None else str(value)


def path_text(parts: list[str]) -> str:
    return ".".join(parts)


def _check_index(parts: list[str], container: list[Any]) -> None:
    index = int(parts[-1])
    if index > len(container):
        raise PathError(f"{path_text(parts)}: index {index} is past the end "
                        f"(the list has {len(container)} entries; use {len(container)} to add one)")


def _same(old: Any, new: Any) -> bool:
    if type(old) is bool or type(new) is bool:
        return type(old) is type(new) and old == new
    if isinstance(old, dt.date) or isinstance(new, dt.date):
        return str(old) == str(new)
    return old == new and (old is None) == (new is None)


# -- intwizard's bookkeeping in the draft (importers, sign-offs, diagrams keep records there) ----------


def bookkeeping(draft: Draft) -> CommentedMap:
    """The draft's ``intwizard:`` mapping, created if missing."""
    meta = draft.data.get(META_KEY)
    if not isinstance(meta, dict):
        meta = CommentedMap()
        draft.data.insert(0, META_KEY, meta)
    return cast(CommentedMap, meta)


def bookkeeping_list(draft: Draft, key: str) -> CommentedSeq:
    """The list under ``intwizard.<key>`` (what importers remember between runs), created if missing."""
    meta = bookkeeping(draft)
    found = meta.get(key)
    if not isinstance(found, list):
        found = CommentedSeq()
        meta[key] = found
    return cast(CommentedSeq, found)
