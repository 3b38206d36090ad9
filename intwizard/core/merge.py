"""A three-way merge of drafts that understands the spec: ``intwizard merge-driver %O %A %B %P`` for git.

git merges lines; two people adding different endpoints at the end of the same table, or editing two
fields of one integration, collide there. This merge walks the base (%O), ours (%A) and theirs (%B)
through the schema instead:

- integrations (group entries) are matched by their title field, table rows by their identifying
  columns (the table's ``identity`` in the schema, else the first column), then by position; so
  entries added on both sides, or reordered on one, do not conflict;
- each of theirs' changes is applied to ours' round-trip tree as an edit (through the Draft API) and
  written by the same save as ``intwizard set``, so the file keeps %A's comments and formatting;
  whole-line comments theirs added are carried over;
- a real conflict (one value changed differently on both sides, or changed on one side and deleted on
  the other) is written with standard conflict markers around that value's lines only: the merge is
  rendered once taking ours and once taking theirs at every conflict, and only the lines where the two
  renderings differ get markers.

:func:`find_conflicts` reads such markers back, so ``check`` and ``resume`` can name each conflicting
field and its line instead of failing on a YAML syntax error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intwizard.core.draft import META_KEY, Draft, PathError, resolve, value_at
from intwizard.core.schema import Node, Schema
from intwizard.core.spec_diff import SEP, entry_name, match, row_name, same_content, title_of
from intwizard.core.values import as_list, as_mapping, as_text, is_blank
from intwizard.core.yamlio import to_plain, to_tree
from intwizard.errors import InputError

OURS_MARK, BASE_MARK, SPLIT_MARK, THEIRS_MARK = "<<<<<<<", "|||||||", "=======", ">>>>>>>"
_MARKER = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?:[ \t].*)?$")


@dataclass(frozen=True)
class Conflict:
    """One value both sides changed differently (None on a side: that side deleted it)."""

    path: str
    where: tuple[str, ...]
    ours: Any
    theirs: Any

    @property
    def label(self) -> str:
        return SEP.join(self.where)


def _norm(value: Any) -> Any:
    """A value compared for equality: plain containers, dates as text, blank as nothing."""
    value = to_plain(value)
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and not value.strip():
        return None
    return value


def same(a: Any, b: Any) -> bool:
    return bool(_norm(a) == _norm(b))


@dataclass
class _Merger:
    """Applies theirs' changes (base -> theirs) to ours' tree; at a conflict takes ours or theirs."""

    draft: Draft
    take_theirs: bool
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def schema(self) -> Schema:
        return self.draft.schema

    # -- reading and writing ours ---------------------------------------------------------------

    def lookup(self, path: str) -> Any:
        return value_at(self.draft.data, path.split("."))

    def put(self, path: str, value: Any) -> None:
        """Set a value the way ``intwizard set`` does (keeping the author's quoting); keys the template
        does not know are set in their mapping directly."""
        try:
            resolve(self.schema, path)
        except PathError:
            parent_path, _, key = path.rpartition(".")
            parent = self.lookup(parent_path) if parent_path else self.draft.data
            if isinstance(parent, dict):
                if value is None:
                    parent.pop(key, None)
                else:
                    parent[key] = to_tree(value, blocks=True)
                self.draft.changed = True
            return
        if value is None:
            value = ""
        self.draft.set_value(path, to_tree(value, blocks=True) if isinstance(value, dict | list) else value)

    def conflict(self, path: str, where: tuple[str, ...], ours: Any, theirs: Any) -> bool:
        """Record a conflict; True when this rendering takes theirs there."""
        self.conflicts.append(Conflict(path, where, to_plain(ours), to_plain(theirs)))
        return self.take_theirs

    # -- the walk -------------------------------------------------------------------------------

    def run(self, base: dict[str, Any], theirs: dict[str, Any]) -> None:
        for section in self.schema.sections:
            self.node(section, base.get(section.key), theirs.get(section.key), section.key, ())
        known = {section.key for section in self.schema.sections}
        for key in _keys(base, theirs):
            if key not in known:
                self.generic(base.get(key), theirs.get(key), str(key), (str(key),), quiet=key == META_KEY)

    def node(self, node: Node, base: Any, theirs: Any, path: str, where: tuple[str, ...]) -> None:
        here = (*where, node.label)
        if node.kind == "section":
            self.fields(node.children, as_mapping(base), as_mapping(theirs), path, here)
        elif node.kind == "group":
            self.entries(node, as_list(base), as_list(theirs), path, where)
        elif node.kind == "table":
            self.entries(node, as_list(base), as_list(theirs), path, here)
        elif node.kind == "list":
            self.items(base, theirs, path, here)
        elif node.kind == "checklist":
            for item in node.children:
                self.scalar(as_mapping(base).get(item.key), as_mapping(theirs).get(item.key), f"{path}.{item.key}",
                            (*here, item.label))
            self.unknown(node.children, as_mapping(base), as_mapping(theirs), path, here)
        elif node.kind == "signoff":
            for role in node.roles:
                b, t = as_mapping(as_mapping(base).get(role.key)), as_mapping(as_mapping(theirs).get(role.key))
                for part in node.children:
                    self.scalar(b.get(part.key), t.get(part.key), f"{path}.{role.key}.{part.key}",
                                (*here, role.label, part.label))
            self.unknown(node.roles, as_mapping(base), as_mapping(theirs), path, here)
        elif node.auto == "updated":
            self.latest(base, theirs, path)
        else:
            self.scalar(base, theirs, path, here)

    def fields(self, nodes: tuple[Node, ...], base: dict[Any, Any], theirs: dict[Any, Any],
               path: str, where: tuple[str, ...]) -> None:
        for child in nodes:
            self.node(child, base.get(child.key), theirs.get(child.key), f"{path}.{child.key}", where)
        self.unknown(nodes, base, theirs, path, where)

    def unknown(self, nodes: tuple[Node, ...], base: dict[Any, Any], theirs: dict[Any, Any],
                path: str, where: tuple[str, ...]) -> None:
        known = {child.key for child in nodes}
        for key in _keys(base, theirs):
            if key not in known:
                self.generic(base.get(key), theirs.get(key), f"{path}.{key}", (*where, str(key)))

    def scalar(self, base: Any, theirs: Any, path: str, where: tuple[str, ...]) -> None:
        ours = self.lookup(path)
        if same(theirs, base) or same(ours, theirs):
            return
        if same(ours, base) or self.conflict(path, where, ours, theirs):
            self.put(path, theirs)

    def latest(self, base: Any, theirs: Any, path: str) -> None:
        """A date intwizard sets on every save: the later of the two, never a conflict."""
        ours = self.lookup(path)
        if not is_blank(theirs) and (is_blank(ours) or as_text(theirs) > as_text(ours)):
            self.put(path, theirs)

    def generic(self, base: Any, theirs: Any, path: str, where: tuple[str, ...], quiet: bool = False) -> None:
        """Keys the template does not know (and intwizard's own bookkeeping, ``quiet``: a conflict
        there keeps ours without markers)."""
        ours = self.lookup(path)
        if isinstance(ours, dict) and isinstance(theirs, dict) and isinstance(base, dict | None):
            for key in _keys(as_mapping(base), theirs):
                self.generic(as_mapping(base).get(key), theirs.get(key), f"{path}.{key}", (*where, str(key)), quiet)
            return
        if same(theirs, base) or same(ours, theirs):
            return
        if same(ours, base) or (not quiet and self.conflict(path, where, ours, theirs)):
            self.put(path, theirs)

    def items(self, base: Any, theirs: Any, path: str, where: tuple[str, ...]) -> None:
        """A bullet list: theirs' added lines go in after the line before them, removed ones go."""
        ours = self.lookup(path)
        if same(theirs, base) or same(ours, theirs):
            return
        if not isinstance(ours, list) or same(ours, base):
            self.put(path, theirs)
            return
        b, t = [_norm(v) for v in as_list(base)], [_norm(v) for v in as_list(theirs)]
        for index in range(len(ours) - 1, -1, -1):
            if _norm(ours[index]) in b and _norm(ours[index]) not in t:
                del ours[index]
                self.draft.changed = True
        for position, item in enumerate(as_list(theirs)):
            if _norm(item) in b or _norm(item) in [_norm(v) for v in ours]:
                continue
            before = [_norm(v) for v in as_list(theirs)[:position]]
            at = max((i + 1 for i, v in enumerate(ours) if _norm(v) in before), default=0)
            ours.insert(at, to_tree(item, blocks=True))
            self.draft.changed = True

    def entries(self, node: Node, base: list[Any], theirs: list[Any], path: str, where: tuple[str, ...]) -> None:
        """Integrations or table rows, matched by identity on each side against the base."""
        ours_list = self.lookup(path)
        if not isinstance(ours_list, list):
            if not is_blank(ours_list) and not same(ours_list, base):
                if not same(theirs, base) and self.conflict(path, where, ours_list, theirs):
                    self.put(path, theirs)
                return
            if not same(theirs, base):
                self.put(path, theirs)
            return
        ours = list(ours_list)
        if node.kind == "group":
            def key(item: Any) -> str:
                return " ".join(title_of(node, item).split()).casefold()

            def alike(a: Any, b: Any) -> bool:
                return same_content(node, a, b)

            by_position: Callable[[Any, Any], bool] | None = alike
        else:
            def key(item: Any) -> str:
                return " ".join(row_name(node, item).split()).casefold()

            by_position = None
        ours_of = {b: o for b, o in match(base, ours, key, by_position=by_position) if b is not None and o is not None}
        theirs_of = {b: t for b, t in match(base, theirs, key, by_position=by_position)
                     if b is not None and t is not None}
        base_of_theirs = {t: b for b, t in theirs_of.items()}
        placed: dict[int, Any] = {}  # theirs index -> the ours entry that stands for it
        inserts: list[int] = []
        deletes: list[Any] = []
        ours_added = [o for o in range(len(ours)) if o not in ours_of.values()]
        for t_index, t_item in enumerate(theirs):
            b_index = base_of_theirs.get(t_index)
            if b_index is not None:
                o_index = ours_of.get(b_index)
                if o_index is not None:
                    placed[t_index] = ours[o_index]
                    self.entry(node, base[b_index], t_item, f"{path}.{o_index}", where, o_index, ours[o_index])
                elif not same(t_item, base[b_index]):
                    name = self.name(node, b_index, t_item)
                    if self.conflict(f"{path}.{b_index}", (*where, name), None, t_item):
                        inserts.append(t_index)
                continue
            twin = next((o for o in ours_added if key(ours[o]) and key(ours[o]) == key(t_item)), None)
            if twin is not None:  # both added the same entry: merge them field by field
                ours_added.remove(twin)
                placed[t_index] = ours[twin]
                self.entry(node, {}, t_item, f"{path}.{twin}", where, twin, ours[twin])
            else:
                inserts.append(t_index)
        for b_index, b_item in enumerate(base):
            if b_index in theirs_of or b_index not in ours_of:
                continue
            o_item = ours[ours_of[b_index]]
            if same(o_item, b_item):
                deletes.append(o_item)
            else:
                name = self.name(node, ours_of[b_index], o_item)
                if self.conflict(f"{path}.{ours_of[b_index]}", (*where, name), o_item, None):
                    deletes.append(o_item)
        for item in deletes:
            index = next(i for i, candidate in enumerate(ours_list) if candidate is item)
            self.draft.remove_item(path, index)
        for t_index in inserts:
            before = next((placed[i] for i in range(t_index - 1, -1, -1) if i in placed), None)
            at = next((i + 1 for i, candidate in enumerate(ours_list) if candidate is before), 0)
            new_item = to_tree(theirs[t_index], blocks=True)
            self.draft.insert_item(path, at, new_item)
            placed[t_index] = new_item
        if _in_order(ours_of) and not _in_order(theirs_of):
            self.reorder(path, ours_list, placed)

    def reorder(self, path: str, ours_list: list[Any], placed: dict[int, Any]) -> None:
        """Theirs reordered entries ours left in place: put them in theirs' order (an entry only ours
        has stays after the entry before it), moving each through the Draft so comments go along."""
        rank = {id(item): t_index for t_index, item in placed.items()}
        keys: list[float] = []
        last = -1.0
        for item in ours_list:
            last = float(rank[id(item)]) if id(item) in rank else last + 1e-3
            keys.append(last)
        for end in range(len(keys) - 1, 0, -1):  # a bubble sort: each move is one step of move_item
            for index in range(end):
                if keys[index] > keys[index + 1]:
                    self.draft.move_item(path, index, 1)
                    keys[index], keys[index + 1] = keys[index + 1], keys[index]

    def name(self, node: Node, index: int, item: Any) -> str:
        return entry_name(node, index, item) if node.kind == "group" else f"row {row_name(node, item) or index + 1}"

    def entry(self, node: Node, base: Any, theirs: Any, path: str, where: tuple[str, ...], index: int,
              ours: Any) -> None:
        here = (*where, self.name(node, index, ours))
        if node.kind == "group":
            self.fields(node.children, as_mapping(base), as_mapping(theirs), path, here)
        else:
            for column in node.children:
                self.scalar(as_mapping(base).get(column.key), as_mapping(theirs).get(column.key),
                            f"{path}.{column.key}", (*here, column.label))
            self.unknown(node.children, as_mapping(base), as_mapping(theirs), path, here)


def _in_order(pairs: dict[int, int]) -> bool:
    """Whether the matched entries (base index -> index on one side) keep the base's order."""
    sides = [pairs[b] for b in sorted(pairs)]
    return sides == sorted(sides)


def _keys(*mappings: dict[Any, Any]) -> list[Any]:
    seen: dict[Any, None] = {}
    for mapping in mappings:
        for key in mapping:
            seen.setdefault(key, None)
    return list(seen)


# -- comments theirs added --------------------------------------------------------------------------


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def carry_comments(base: str, theirs: str, merged: str) -> str:
    """``merged`` with the whole-line comments theirs added to the base, each after the line it
    followed in theirs (found in ``merged`` by the base line before it)."""
    base_lines, their_lines = base.splitlines(keepends=True), theirs.splitlines(keepends=True)
    merged_lines = merged.splitlines(keepends=True)
    to_merged = {}
    for tag, b1, b2, m1, _m2 in difflib.SequenceMatcher(None, base_lines, merged_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            for offset in range(b2 - b1):
                to_merged[b1 + offset] = m1 + offset
    additions: list[tuple[int, list[str]]] = []
    for tag, b1, _b2, t1, t2 in difflib.SequenceMatcher(None, base_lines, their_lines, autojunk=False).get_opcodes():
        if tag not in ("insert", "replace"):
            continue
        comments = [line for line in their_lines[t1:t2] if _is_comment(line)]
        if not comments or (tag == "replace" and any(not _is_comment(line) and line.strip()
                                                     for line in their_lines[t1:t2])):
            continue
        if comments and any(line in merged_lines for line in comments):
            continue  # already there (ours added the same comment)
        anchor = to_merged.get(b1 - 1) if b1 > 0 else -1
        if anchor is None:
            continue
        additions.append((anchor + 1, [c if c.endswith("\n") else c + "\n" for c in comments]))
    for at, lines in sorted(additions, reverse=True):
        merged_lines[at:at] = lines
    return "".join(merged_lines)


# -- conflict markers ------------------------------------------------------------------------------


def mark(ours: str, theirs: str) -> str:
    """One text with conflict markers only where ``ours`` and ``theirs`` differ."""
    ours_lines, their_lines = ours.splitlines(keepends=True), theirs.splitlines(keepends=True)
    out: list[str] = []
    for tag, o1, o2, t1, t2 in difflib.SequenceMatcher(None, ours_lines, their_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(ours_lines[o1:o2])
            continue
        out.append(f"{OURS_MARK} ours\n")
        out.extend(_ended(ours_lines[o1:o2]))
        out.append(f"{SPLIT_MARK}\n")
        out.extend(_ended(their_lines[t1:t2]))
        out.append(f"{THEIRS_MARK} theirs\n")
    return "".join(out)


def _ended(lines: list[str]) -> list[str]:
    return [line if line.endswith("\n") else line + "\n" for line in lines]


@dataclass(frozen=True)
class Marked:
    """A conflict block found in a file: its first line (1-based, the ``<<<<<<<`` line) and both sides."""

    line: int
    ours: tuple[str, ...]
    theirs: tuple[str, ...]
    path: str = ""
    label: str = ""


def has_markers(text: str) -> bool:
    """Whether the text holds a complete conflict block (``<<<<<<<`` ... ``=======`` ... ``>>>>>>>``)."""
    return bool(_blocks(text.splitlines(keepends=True)))


def _blocks(lines: list[str]) -> list[tuple[int, int, int, int, int]]:
    """(start, base, split, end) line indexes of each block; base == split when there is no base part."""
    found = []
    index = 0
    while index < len(lines):
        if lines[index].startswith(OURS_MARK) and _MARKER.match(lines[index].rstrip("\r\n")):
            start, base, split = index, -1, -1
            probe = index + 1
            while probe < len(lines):
                text = lines[probe].rstrip("\r\n")
                if base < 0 and split < 0 and text.startswith(BASE_MARK) and _MARKER.match(text):
                    base = probe
                elif split < 0 and text == SPLIT_MARK:
                    split = probe
                elif split >= 0 and text.startswith(THEIRS_MARK) and _MARKER.match(text):
                    found.append((start, base if base >= 0 else split, split, probe, 0))
                    index = probe
                    break
                probe += 1
        index += 1
    return found


def resolve_text(text: str, choose: Callable[[int, list[str], list[str]], list[str]]) -> str:
    """The text with each conflict block replaced by ``choose(number, ours, theirs)``'s lines."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    cursor = 0
    for number, (start, base, split, end, _) in enumerate(_blocks(lines)):
        out.extend(lines[cursor:start])
        out.extend(choose(number, lines[start + 1:base], lines[split + 1:end]))
        cursor = end + 1
    out.extend(lines[cursor:])
    return "".join(out)


def find_conflicts(text: str, schema: Schema | None = None) -> list[Marked]:
    """The conflict blocks in a draft's text, each named by the field it is in (when the text with
    one side taken reads as YAML)."""
    lines = text.splitlines(keepends=True)
    blocks = _blocks(lines)
    ours_text = resolve_text(text, lambda _n, ours, _theirs: ours)
    theirs_text = resolve_text(text, lambda _n, _ours, theirs: theirs)
    places = {side: _tree_of(resolved) for side, resolved in (("ours", ours_text), ("theirs", theirs_text))}
    found = []
    shift_ours = shift_theirs = 0
    for start, base, split, end, _ in blocks:
        ours, theirs = lines[start + 1:base], lines[split + 1:end]
        at_ours, at_theirs = start - shift_ours, start - shift_theirs
        shift_ours += (end - start + 1) - len(ours)
        shift_theirs += (end - start + 1) - len(theirs)
        side, at = ("ours", at_ours) if ours else ("theirs", at_theirs)
        tree = places[side]
        path = _path_at(tree, at) if tree is not None else ""
        if not path and tree is not None and side == "ours":
            path = _path_at(tree, max(at - 1, 0))
        label = _label(schema, tree, path) if schema is not None and tree is not None and path else ""
        found.append(Marked(start + 1, tuple(ours), tuple(theirs), path, label))
    return found


def _tree_of(text: str) -> Any:
    from intwizard.core.yamlio import load_roundtrip_text

    try:
        return load_roundtrip_text(text)
    except InputError:
        return None


def _path_at(tree: Any, line: int) -> str:
    """The dotted path of the deepest value starting at or before ``line`` (0-based)."""
    parts: list[str] = []
    node = tree
    while isinstance(node, dict | list) and len(node):
        best = None
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            try:
                lc = getattr(node, "lc")  # noqa: B009 - ruamel's line/column record (typed: node is dict | list)
                start = lc.key(key)[0] if isinstance(node, dict) else lc.item(key)[0]
            except (AttributeError, KeyError, IndexError, TypeError):
                continue
            if start <= line:
                best = (key, value)
            else:
                break
        if best is None:
            break
        parts.append(str(best[0]))
        node = best[1]
    return ".".join(parts)


def _label(schema: Schema, tree: Any, path: str) -> str:
    """Labels for a draft path (``Integration 1 (Paylane) › Connection Details › Rate Limits``)."""
    from intwizard.core.yamlio import to_plain

    data = to_plain(tree) if isinstance(tree, dict) else {}
    labels: list[str] = []
    nodes: tuple[Node, ...] = schema.sections
    current: Node | None = None
    value: Any = data
    parts = path.split(".")
    index = 0
    while index < len(parts):
        part = parts[index]
        if current is not None and current.kind in ("group", "table", "list") and part.isdigit():
            item = as_list(value)[int(part)] if int(part) < len(as_list(value)) else {}
            if current.kind == "group":
                if labels:
                    labels.pop()  # "Integration 1 (name)" says which group
                labels.append(entry_name(current, int(part), item))
            elif current.kind == "table":
                labels.append(f"row {row_name(current, item) or int(part) + 1}")
            else:
                labels.append(f"item {int(part) + 1}")
            nodes, value, current = current.children, item, None
            index += 1
            continue
        node = next((candidate for candidate in nodes if candidate.key == part), None)
        if node is None and current is not None and current.kind == "signoff":
            node = next((role for role in current.roles if role.key == part), None)
        if node is None:
            labels.extend(parts[index:])
            break
        labels.append(node.label)
        value = as_mapping(value).get(part)
        nodes = current.children if node.kind == "role" and current is not None else node.children
        current = node
        index += 1
    return SEP.join(labels)


# -- the driver -------------------------------------------------------------------------------------


@dataclass
class MergeResult:
    text: str
    """The merged draft (with conflict markers where ``marked``)."""
    conflicts: list[Conflict]
    marked: bool
    source: Any = None
    """How ours was read (its line ends and byte order mark), to write the result the same way."""

    def encoded(self) -> bytes:
        return self.source.encode(self.text) if self.source is not None else self.text.encode("utf-8")


def _today(*values: Any) -> dt.date:
    dates = []
    for value in values:
        with contextlib.suppress(ValueError):
            dates.append(dt.date.fromisoformat(as_text(value)))
    return max(dates) if dates else dt.date.today()


def merge_drafts(schema: Schema, base_path: Path, ours_path: Path, theirs_path: Path) -> MergeResult:
    """Merge theirs into ours (the files as git hands them over); nothing is written here."""
    from intwizard.core.migrations import upgrade
    from intwizard.core.store import open_draft, read_file, read_plain

    # No common ancestor (both branches added the file): git hands over an empty base.
    base = read_plain(base_path) if read_file(base_path).text.strip() else {}
    theirs = read_plain(theirs_path)
    upgrade(base, schema)
    upgrade(theirs, schema)
    updated = schema.auto_field("updated")
    texts = []
    conflicts: list[Conflict] = []
    source = None
    for take_theirs in (False, True):
        draft_file = open_draft(ours_path, schema, baseline=True)
        merger = _Merger(draft_file.draft, take_theirs)
        merger.run(base, theirs)
        # Sign-offs theirs made come with their own fingerprints (merged with the bookkeeping): the
        # merge itself signs nothing, so the save must not fingerprint the merged content for them.
        draft_file.draft.edited.clear()
        conflicts = merger.conflicts
        today = _today(merger.lookup(updated.path), _value_at(theirs, updated.path)) if updated else None
        text = draft_file.render(today=today)
        texts.append(draft_file.source.text if text is None else text)
        source = draft_file.source
    base_text, theirs_text = read_file(base_path).text, read_file(theirs_path).text
    ours_text, other_text = (carry_comments(base_text, theirs_text, text) for text in texts)
    if ours_text == other_text:
        return MergeResult(ours_text, conflicts, False, source)
    return MergeResult(mark(ours_text, other_text), conflicts, True, source)


def _value_at(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = as_mapping(data).get(part)
    return data


# -- a file with markers, read by check and resume ---------------------------------------------------


def _snippet(lines: tuple[str, ...], width: int = 70) -> str:
    text = " / ".join(line.strip() for line in lines if line.strip()) or "(nothing: deleted on this side)"
    return text if len(text) <= width else text[: width - 1] + "…"


class ConflictMarkersError(InputError):
    """The file holds git's conflict markers: each conflict is named with its line, not a YAML error."""

    def __init__(self, path: Path, text: str, schema: Schema | None = None) -> None:
        self.text = text
        self.marked = find_conflicts(text, schema)
        count = len(self.marked)
        lines = [f"{count} unresolved merge conflict{'s' if count != 1 else ''} (git's {OURS_MARK} markers); "
                 f"keep one side of each and delete the markers, or run `intwizard resume {path}`:"]
        for block in self.marked:
            name = block.label or block.path or "(a part that does not read as YAML)"
            lines.append(f"  {path}:{block.line}: {name}: ours {_snippet(block.ours)!r}, "
                         f"theirs {_snippet(block.theirs)!r}")
        super().__init__("\n".join(lines), path=path, line=self.marked[0].line if self.marked else 0)

    def labelled(self, schema: Schema) -> ConflictMarkersError:
        """The same error with each conflict named by the schema's labels."""
        assert self.path is not None
        return ConflictMarkersError(self.path, self.text, schema)


def refuse_markers(path: Path, text: str) -> None:
    """Raise :class:`ConflictMarkersError` if ``text`` holds conflict markers (a quick look first)."""
    if (OURS_MARK in text) and has_markers(text):
        raise ConflictMarkersError(path, text)
