"""Merging what a spec says into the draft's integration, and reporting what changed.

The fields that receive it are found by their ``meaning`` in the schema (:func:`targets`). What an
import wrote is recorded under ``intwizard.openapi``, so a re-run updates those rows and values,
keeps the ones the user added or edited, and adds no duplicates.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from intwizard.draft import Draft, to_plain
from intwizard.errors import InputError
from intwizard.importers import _text, bookkeeping_list
from intwizard.importers.openapi_access import authentication, base_url
from intwizard.importers.openapi_operations import Operation, data_format, operations
from intwizard.importers.openapi_spec import deref
from intwizard.schema import Node, Schema
from intwizard.values import as_text, choice_match, is_blank

RECORD_KEY = "openapi"


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
    records = bookkeeping_list(draft, RECORD_KEY)
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
    info = deref(spec.get("info")) or {}
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


def report(outcome: Outcome) -> list[str]:
    """What an import did, one line each, for the terminal."""
    rows = f"{outcome.added} endpoint rows added, {outcome.updated} updated, {outcome.removed} removed"
    lines = [f"{'Created' if outcome.created else 'Updated'} integration {outcome.integration!r}: {rows}"]
    if outcome.filled:
        lines.append(f"  filled: {', '.join(outcome.filled)}")
    lines += [f"  kept as you wrote it: {kept}" for kept in outcome.kept]
    lines += [f"  note: {note}" for note in outcome.notes]
    return lines
