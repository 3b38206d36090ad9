"""What changed between two versions of a draft, by section and field label: ``intwizard diff``.

A line diff of the YAML says ``-    rate_limits: 600`` / ``+    rate_limits: 1200``; this says
``Integration 1 (Paylane Payments API) › Connection Details › Rate Limits: 600 → 1200``. Both versions
are walked through the schema: group entries (integrations) are matched by their title field, table rows
by their identifying columns (the table's ``identity`` in the schema, else its first column), then by
position, so a reordering reads as a move and not as everything changed.

Also the canonical, label-per-line rendering git's diff driver uses (``intwizard diff --textconv``), so
``git diff`` and ``git log -p`` show labelled lines. No field of the template is named here.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from intwizard.core.draft import META_KEY
from intwizard.core.schema import Node, Schema
from intwizard.core.values import as_list, as_mapping, as_text, is_blank

ARROW = "→"
SEP = " › "
EMPTY = "(empty)"

CHANGED, ADDED, REMOVED, RENAMED, MOVED = "changed", "added", "removed", "renamed", "moved"


@dataclass(frozen=True)
class Change:
    """One difference, named by the labels leading to it (``where``) and the draft path."""

    where: tuple[str, ...]
    path: str
    kind: str
    old: str = ""
    new: str = ""
    lines: tuple[str, ...] = ()
    """For multi-line text: a small line diff (``- old`` / ``+ new`` / ``  same``); for an added or
    removed entry or row: its answered fields, one per line."""
    cells: tuple[tuple[str, str, str], ...] = ()
    """For a changed table row: (column label, old, new) of each changed cell."""

    @property
    def label(self) -> str:
        return SEP.join(self.where)

    def as_dict(self) -> dict[str, Any]:
        return {"where": list(self.where), "label": self.label, "path": self.path, "kind": self.kind,
                "old": self.old, "new": self.new, "lines": list(self.lines),
                "cells": [{"column": c, "old": o, "new": n} for c, o, n in self.cells]}


# -- matching entries and rows ------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def match(old: list[Any], new: list[Any], key: Callable[[Any], str], *,
          by_position: Callable[[Any, Any], bool] | None = None) -> list[tuple[int | None, int | None]]:
    """Pairs (old index, new index) of the same entry; None on one side for an entry only the other has.

    Entries are the same when their keys are equal (first unused one). Of the rest, an entry whose key
    is blank on one side, or that is at the same index and ``by_position(old, new)`` (integrations: a
    renamed one keeps most of its content), or that is named almost alike is the same entry edited.
    Ordered as the new list, each removed entry after the entry that came before it in the old one.
    """
    old_keys = [key(item) for item in old]
    new_keys = [key(item) for item in new]
    pairs: dict[int, int] = {}
    used: set[int] = set()
    by_key: dict[str, list[int]] = {}
    for index, k in enumerate(old_keys):
        if k:
            by_key.setdefault(k, []).append(index)
    for index, k in enumerate(new_keys):
        for candidate in by_key.get(k, []) if k else []:
            if candidate not in used:
                pairs[index] = candidate
                used.add(candidate)
                break
    # What is left on both sides: the same entry edited when at the same index, or named alike.
    left_old = [o for o in range(len(old)) if o not in used and old_keys[o] not in new_keys]
    for index in range(len(new)):
        if index in pairs or (new_keys[index] in old_keys and new_keys[index]):
            continue
        for candidate in left_old:
            same_place = candidate == index and (not new_keys[index] or not old_keys[candidate] or (
                by_position is not None and by_position(old[candidate], new[index])))
            if same_place or (new_keys[index] and old_keys[candidate] and difflib.SequenceMatcher(
                    None, new_keys[index], old_keys[candidate]).ratio() >= (0.6 if by_position else 0.85)):
                pairs[index] = candidate
                used.add(candidate)
                left_old.remove(candidate)
                break
    ordered: list[tuple[float, int | None, int | None]] = [(n, o, n) for n, o in pairs.items()]
    old_to_new = {o: n for n, o in pairs.items()}
    for o in range(len(old)):
        if o in used:
            continue
        before = [old_to_new[p] for p in range(o) if p in old_to_new]
        ordered.append(((max(before) if before else -1) + 0.5 + o / (10 * (len(old) + 1)), o, None))
    for n in range(len(new)):
        if n not in pairs:
            ordered.append((n, None, n))
    ordered.sort(key=lambda item: item[0])
    return [(o, n) for _pos, o, n in ordered]


def moved(pairs: list[tuple[int | None, int | None]]) -> set[int]:
    """New indexes of matched entries whose order changed (not in the longest run kept in order)."""
    matched = [(o, n) for o, n in pairs if o is not None and n is not None]
    if not matched:
        return set()
    olds = [o for o, _n in matched]
    # Longest increasing subsequence of the old indexes, in new order: those stayed in place.
    best: list[int] = [1] * len(olds)
    prev: list[int] = [-1] * len(olds)
    for i in range(len(olds)):
        for j in range(i):
            if olds[j] < olds[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    i = max(range(len(olds)), key=lambda k: best[k])
    kept: set[int] = set()
    while i != -1:
        kept.add(i)
        i = prev[i]
    return {matched[i][1] for i in range(len(matched)) if i not in kept}


def same_content(group: Node, old: Any, new: Any) -> bool:
    """Whether two entries share most of their answers (apart from the title): one entry renamed."""
    a, b = _without(old, group.title_field), _without(new, group.title_field)
    keys = [key for key in set(a) | set(b) if not (is_blank(a.get(key)) and is_blank(b.get(key)))]
    return bool(keys) and sum(a.get(key) == b.get(key) for key in keys) * 2 >= len(keys)


def title_of(group: Node, item: Any) -> str:
    """An entry's title (its ``title_field``), on one line."""
    if not isinstance(item, dict) or not group.title_field:
        return ""
    return " ".join(as_text(item.get(group.title_field)).split())


def row_name(table: Node, row: Any) -> str:
    """A row's name: its identifying cells, joined by spaces (``POST /refunds``)."""
    if not isinstance(row, dict):
        return ""
    return " ".join(" ".join(as_text(row.get(column.key)).split()) for column in table.identity_columns).strip()


def entry_name(group: Node, index: int, item: Any) -> str:
    title = title_of(group, item)
    name = f"{group.item_label} {group.entry_number(index)}"
    return f"{name} ({title})" if title else name


# -- leaf values --------------------------------------------------------------------------------------


def text_of(value: Any) -> str:
    """A value as a person reads it: text as typed, lists one item a line, mappings as YAML-ish lines."""
    if isinstance(value, list):
        return "\n".join(text_of(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {text_of(v)}" for k, v in value.items())
    return as_text(value).strip("\n")


def _line_diff(old: str, new: str) -> tuple[str, ...]:
    lines: list[str] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), n=1, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if lines:
                lines.append("…")
            continue
        lines.append(f"{line[0]} {line[1:]}".rstrip())
    return tuple(lines)


def _display(text: str) -> str:
    return text if text else EMPTY


# -- the walk -----------------------------------------------------------------------------------------


@dataclass
class _Differ:
    schema: Schema
    changes: list[Change] = field(default_factory=list)

    def scalar(self, where: tuple[str, ...], path: str, old: Any, new: Any) -> None:
        before, after = text_of(old), text_of(new)
        if before.strip() == after.strip() and before.rstrip() == after.rstrip():
            return
        if "\n" in before.strip() or "\n" in after.strip():
            self.changes.append(Change(where, path, CHANGED, before, after, _line_diff(before, after)))
        else:
            self.changes.append(Change(where, path, CHANGED, before.strip(), after.strip()))

    def node(self, node: Node, old: Any, new: Any, where: tuple[str, ...], path: str) -> None:
        kind = node.kind
        here = (*where, node.label)
        if node.is_scalar or (kind == "list" and not (isinstance(old, list) or isinstance(new, list))):
            self.scalar(here, path, old, new)
        elif kind == "list":
            self.scalar(here, path, [text_of(v) for v in as_list(old)], [text_of(v) for v in as_list(new)])
        elif kind == "section":
            self.fields(node.children, as_mapping(old), as_mapping(new), here, path)
        elif kind == "group":
            self.group(node, as_list(old), as_list(new), where, path)
        elif kind == "table":
            self.table(node, as_list(old), as_list(new), here, path)
        elif kind == "checklist":
            before, after = as_mapping(old), as_mapping(new)
            for item in node.children:
                was, now = before.get(item.key) is True, after.get(item.key) is True
                if was != now:
                    self.changes.append(Change((*here, item.label), f"{path}.{item.key}", CHANGED,
                                               "ticked" if was else "not ticked", "ticked" if now else "not ticked"))
            self.unknown(before, after, {item.key for item in node.children}, here, path)
        elif kind == "signoff":
            before, after = as_mapping(old), as_mapping(new)
            for role in node.roles:
                parts_old, parts_new = as_mapping(before.get(role.key)), as_mapping(after.get(role.key))
                for part in node.children:
                    self.scalar((*here, role.label, part.label), f"{path}.{role.key}.{part.key}",
                                parts_old.get(part.key), parts_new.get(part.key))
            self.unknown(before, after, {role.key for role in node.roles}, here, path)

    def fields(self, nodes: tuple[Node, ...], old: dict[Any, Any], new: dict[Any, Any],
               where: tuple[str, ...], path: str) -> None:
        for child in nodes:
            child_path = f"{path}.{child.key}" if path else child.key
            self.node(child, old.get(child.key), new.get(child.key), where, child_path)
        self.unknown(old, new, {child.key for child in nodes}, where, path)

    def unknown(self, old: dict[Any, Any], new: dict[Any, Any],
                known: set[str], where: tuple[str, ...], path: str) -> None:
        """Keys the template does not know: compared as text, named by the key itself."""
        keys = [k for k in old if k not in known] + [k for k in new if k not in known and k not in old]
        for key in keys:
            if path == "" and key == META_KEY:
                continue
            self.scalar((*where, str(key)), f"{path}.{key}" if path else str(key), old.get(key), new.get(key))

    def group(self, group: Node, old: list[Any], new: list[Any], where: tuple[str, ...], path: str) -> None:
        pairs = match(old, new, lambda item: _key(title_of(group, item)),
                      by_position=lambda a, b: same_content(group, a, b))
        shifted = moved(pairs)
        for o, n in pairs:
            if n is None:
                assert o is not None
                name = entry_name(group, o, old[o])
                self.changes.append(Change((*where, name), f"{path}.{o}", REMOVED, title_of(group, old[o]),
                                           lines=tuple(lines_of(group.children, as_mapping(old[o])))))
                continue
            name = entry_name(group, n, new[n])
            if o is None:
                self.changes.append(Change((*where, name), f"{path}.{n}", ADDED, new=title_of(group, new[n]),
                                           lines=tuple(lines_of(group.children, as_mapping(new[n])))))
                continue
            before, after = title_of(group, old[o]), title_of(group, new[n])
            if before != after:
                self.changes.append(Change((*where, name), f"{path}.{n}.{group.title_field}", RENAMED,
                                           before or EMPTY, after or EMPTY))
            if n in shifted:
                self.changes.append(Change((*where, name), f"{path}.{n}", MOVED,
                                           f"{group.item_label} {group.entry_number(o)}",
                                           f"{group.item_label} {group.entry_number(n)}"))
            children = tuple(child for child in group.children if child.key != group.title_field)
            self.fields(children, _without(old[o], group.title_field), _without(new[n], group.title_field),
                        (*where, name), f"{path}.{n}")

    def table(self, table: Node, old: list[Any], new: list[Any], where: tuple[str, ...], path: str) -> None:
        pairs = match(old, new, lambda row: _key(row_name(table, row)))
        shifted = moved(pairs)
        for o, n in pairs:
            index = n if n is not None else o
            assert index is not None  # match() never pairs None with None
            row = new[index] if n is not None else old[index]
            name = f"row {row_name(table, row) or index + 1}"
            if o is None or n is None:
                self.changes.append(Change((*where, name), f"{path}.{index}", ADDED if o is None else REMOVED,
                                           new=row_name(table, row) if o is None else "",
                                           old=row_name(table, row) if n is None else "",
                                           lines=tuple(_cells(table, as_mapping(row)))))
                continue
            cells = []
            before, after = as_mapping(old[o]), as_mapping(new[n])
            for column in table.children:
                a, b = text_of(before.get(column.key)).strip(), text_of(after.get(column.key)).strip()
                if a != b:
                    cells.append((column.label, a, b))
            for key in [k for k in before if table.child(str(k)) is None] + [
                    k for k in after if table.child(str(k)) is None and k not in before]:
                a, b = text_of(before.get(key)).strip(), text_of(after.get(key)).strip()
                if a != b:
                    cells.append((str(key), a, b))
            if cells:
                self.changes.append(Change((*where, name), f"{path}.{n}", CHANGED, cells=tuple(cells)))
            if n in shifted:
                self.changes.append(Change((*where, name), f"{path}.{n}", MOVED, f"row {o + 1}", f"row {n + 1}"))


def _without(item: Any, key: str) -> dict[Any, Any]:
    return {k: v for k, v in as_mapping(item).items() if k != key}


def _cells(table: Node, row: dict[Any, Any]) -> Iterator[str]:
    for column in table.children:
        text = text_of(row.get(column.key)).strip()
        if text:
            yield f"{column.label}: {text}"


def lines_of(nodes: tuple[Node, ...], values: dict[Any, Any], where: tuple[str, ...] = ()) -> Iterator[str]:
    """The answered fields under ``nodes``, one ``Label › Label: value`` line each (for added entries)."""
    for node in nodes:
        value = values.get(node.key)
        if is_blank(value):
            continue
        here = (*where, node.label)
        if node.kind == "section":
            yield from lines_of(node.children, as_mapping(value), here)
        elif node.kind == "table":
            for row in as_list(value):
                yield f"{SEP.join(here)}: row {row_name(node, row)}"
        else:
            text = text_of(value).strip("\n")
            if "\n" in text:
                yield f"{SEP.join(here)}:"
                yield from (f"  | {line}".rstrip() for line in text.splitlines())
            else:
                yield f"{SEP.join(here)}: {text.strip()}"


def diff(schema: Schema, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every difference from ``old`` to ``new``, in document order."""
    differ = _Differ(schema)
    old, new = as_mapping(old), as_mapping(new)
    for section in schema.sections:
        if section.kind == "group":
            differ.group(section, as_list(old.get(section.key)), as_list(new.get(section.key)), (), section.key)
        else:
            differ.node(section, old.get(section.key), new.get(section.key), (), section.key)
    differ.unknown(old, new, {section.key for section in schema.sections}, (), "")
    return differ.changes


# -- formats ------------------------------------------------------------------------------------------


def _summary(change: Change) -> str:
    if change.kind == ADDED:
        return f"added{f' ({change.new})' if change.new and change.where[-1].find(change.new) < 0 else ''}"
    if change.kind == REMOVED:
        return "removed"
    if change.kind == RENAMED:
        return f"renamed: {change.old} {ARROW} {change.new}"
    if change.kind == MOVED:
        return f"moved: {change.old} {ARROW} {change.new}"
    if change.cells:
        return "; ".join(f"{label}: {_display(a)} {ARROW} {_display(b)}" for label, a, b in change.cells)
    if change.lines:
        return "changed"
    return f"{_display(change.old)} {ARROW} {_display(change.new)}"


def format_text(changes: list[Change]) -> str:
    out = []
    for change in changes:
        out.append(f"{change.label}: {_summary(change)}")
        out.extend(f"    {line}" for line in change.lines)
    return "\n".join(out) + ("\n" if out else "")


def format_markdown(changes: list[Change], title: str = "") -> str:
    """A bullet per change (multi-line text as a ``diff`` block under it): for a pull-request comment."""
    from intwizard.core.markdown import code_span, inline

    out = [f"### {inline(title)}", ""] if title else []
    if not changes:
        return "\n".join([*out, "No changes."]) + "\n"
    for change in changes:
        where = inline(change.label)
        if change.kind == CHANGED and not change.cells and not change.lines:
            out.append(f"- **{where}**: {code_span(change.old) if change.old else '*empty*'} {ARROW} "
                       f"{code_span(change.new) if change.new else '*empty*'}")
        elif change.cells:
            out.append(f"- **{where}**: " + "; ".join(
                f"{inline(label)}: {code_span(a) if a else '*empty*'} {ARROW} {code_span(b) if b else '*empty*'}"
                for label, a, b in change.cells))
        else:
            out.append(f"- **{where}**: {inline(_summary(change))}")
        if change.lines:
            fence = "`" * max(3, _longest_backticks(change.lines) + 1)
            language = "diff" if change.kind == CHANGED else "text"
            out += ["", f"  {fence}{language}", *(f"  {line}" for line in change.lines), f"  {fence}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _longest_backticks(lines: tuple[str, ...]) -> int:
    longest = 0
    for line in lines:
        run = 0
        for char in line:
            run = run + 1 if char == "`" else 0
            longest = max(longest, run)
    return longest


def format_json(changes: list[Change], old: str, new: str) -> str:
    return json.dumps({"old": old, "new": new, "changed": bool(changes),
                       "changes": [change.as_dict() for change in changes]}, indent=2, ensure_ascii=False) + "\n"


# -- the canonical rendering (git's textconv) ---------------------------------------------------------


def canonical(schema: Schema, data: dict[str, Any]) -> str:
    """Every answer on a line of its own, named by its labels, in document order.

    Group entries are named by their title rather than their number, and rows by their identifying
    cells, so inserting an integration or a row changes only its own lines in ``git diff``.
    Multi-line text follows its label, each line indented with ``| ``. Empty fields are left out.
    """
    data = as_mapping(data)
    out: list[str] = []
    for section in schema.sections:
        _canonical(section, data.get(section.key), (), out)
    for key, value in data.items():
        if key != META_KEY and schema.section(str(key)) is None:
            _canonical_text((str(key),), value, out)
    return "\n".join(out) + ("\n" if out else "")


def _canonical_text(where: tuple[str, ...], value: Any, out: list[str]) -> None:
    text = text_of(value).strip("\n")
    if not text.strip():
        return
    label = SEP.join(where)
    if "\n" in text:
        out.append(f"{label}:")
        out.extend(f"    | {line}".rstrip() for line in text.splitlines())
    else:
        out.append(f"{label}: {text.strip()}")


def _canonical(node: Node, value: Any, where: tuple[str, ...], out: list[str]) -> None:
    here = (*where, node.label)
    if node.is_scalar or node.kind == "list":
        _canonical_text(here, value, out)
    elif node.kind == "section":
        values = as_mapping(value)
        for child in node.children:
            _canonical(child, values.get(child.key), here, out)
        for key, extra in values.items():
            if node.child(str(key)) is None:
                _canonical_text((*here, str(key)), extra, out)
    elif node.kind == "group":
        for index, item in enumerate(as_list(value)):
            title = title_of(node, item) or f"{node.item_label} {node.entry_number(index)}"
            values = as_mapping(item)
            for child in node.children:
                _canonical(child, values.get(child.key), (*here, title), out)
    elif node.kind == "table":
        for index, row in enumerate(as_list(value)):
            name = row_name(node, row) or f"row {index + 1}"
            cells = as_mapping(row)
            for column in node.children:
                _canonical_text((*here, name, column.label), cells.get(column.key), out)
    elif node.kind == "checklist":
        ticks = as_mapping(value)
        for item in node.children:
            out.append(f"{SEP.join((*here, item.label))}: {'[x]' if ticks.get(item.key) is True else '[ ]'}")
    elif node.kind == "signoff":
        signed = as_mapping(value)
        for role in node.roles:
            parts = as_mapping(signed.get(role.key))
            for part in node.children:
                _canonical_text((*here, role.label, part.label), parts.get(part.key), out)
