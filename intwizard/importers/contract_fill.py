"""Merging what a contract says into the draft's integration, recording the source, reporting the change.

The fields that receive it are found by their ``meaning`` in the schema (:func:`targets`). Each import
records its source under ``intwizard.sources`` (one entry per integration and kind of contract): the
file's path relative to the draft, its kind and digest, the integration, and what the source said
(the values and endpoint rows it offered). A re-run updates the rows and values that are still what
the source said last time, keeps the ones the author added or edited, and adds nothing twice; drift
(:mod:`intwizard.importers.sources`) compares the source as it is now with that record.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from intwizard.core.draft import META_KEY, Draft, bookkeeping_list
from intwizard.core.schema import Node, Schema
from intwizard.core.values import as_text, choice_match, is_blank
from intwizard.core.yamlio import block_text, to_plain
from intwizard.errors import InputError
from intwizard.importers.contract import GRAPHQL, KIND_NAMES, PROTO, Contract, Row

RECORD_KEY = "sources"
#: Where a record keeps what the source said, by field (relative to the integration).
VALUES, ROWS, SHARED = "values", "rows", "shared"


# -- where it goes in the draft -------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """The group and fields an import fills, found by their ``meaning`` in the schema."""

    group: Node
    title: Node
    endpoints: Node
    columns: dict[str, Node]
    values: dict[str, Node]
    """``integration-type``, ``base-url``, ``authentication``, ``data-format`` -> the field."""
    shared: dict[str, Node] = field(default_factory=dict)
    """Fields outside the integration (``message-structure``) -> the field."""

    def relative(self, node: Node) -> str:
        return node.path.removeprefix(self.group.path + ".")


def targets(schema: Schema) -> Targets:
    shared = {node.meaning: node for section in schema.sections for node in section.walk()
              if node.meaning == "message-structure"}
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
        values: dict[str, Node] = {key: nodes[key] for key in ("integration-type", "base-url", "authentication",
                                                             "data-format") if key in nodes}
        return Targets(group, title, endpoints, columns, values, shared)
    raise InputError(f"the template ({schema.path}) has no integration with an endpoints table "
                     "(a group holding a table with `meaning: endpoints`)", path=schema.path)


def integration_index(draft: Draft, t: Targets, name: str) -> int | None:
    """The position of the integration called ``name`` (case-insensitive), None if there is none."""
    return next((i for i, item in enumerate(draft.items(t.group.path)) if isinstance(item, dict)
                 and as_text(item.get(t.title.key)).strip().casefold() == name.strip().casefold()), None)


def type_value(node: Node, contract: Contract) -> str:
    """The integration type for this contract: what it says itself, else the schema's value for its kind."""
    value = contract.type_value or dict(node.contract_values).get(contract.kind, "")
    return choice_match(node, value) or value if value else ""


def wanted_values(t: Targets, contract: Contract) -> dict[str, str]:
    """What the contract offers each value field, by meaning ('' where it says nothing)."""
    type_node = t.values.get("integration-type")
    return {"base-url": contract.base_url, "authentication": contract.authentication,
            "data-format": contract.data_format,
            "integration-type": type_value(type_node, contract) if type_node is not None else "",
            "message-structure": contract.message_structure}


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

    @property
    def changed(self) -> bool:
        return bool(self.created or self.added or self.updated or self.removed or self.filled)


def row_key(row: dict[str, Any], t: Targets) -> tuple[str, str]:
    method = as_text(row.get(t.columns["http-method"].key)).strip().upper()
    path = as_text(row.get(t.columns["path"].key)).strip().strip("`").strip()
    return method, path


def row_of(found: Row, t: Targets) -> dict[str, str]:
    values = {"http-method": found.method, "path": found.path, "purpose": found.purpose,
              "request": found.request, "response": found.response}
    row = {column.key: "" for column in t.endpoints.children}
    for meaning, column in t.columns.items():
        row[column.key] = values.get(meaning, "")
    return row


def row_text(row: dict[str, Any], columns: list[str]) -> tuple[str, ...]:
    """A row as comparable text, column by column."""
    return tuple(as_text(row.get(column)) for column in columns)


def records(data: Any) -> list[Any]:
    """The source records of a draft's data (round-trip or plain), [] without any."""
    meta = data.get(META_KEY) if isinstance(data, dict) else None
    found = meta.get(RECORD_KEY) if isinstance(meta, dict) else None
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def find_record(data: Any, name: str, kind: str) -> Any:
    return next((r for r in records(data) if str(r.get("integration", "")).casefold() == name.casefold()
                 and str(r.get("kind", "")) == kind), None)


def _record(draft: Draft, t: Targets, name: str, kind: str, source: str) -> CommentedMap:
    found = find_record(draft.data, name, kind)
    if found is not None:
        return cast(CommentedMap, found)
    # The same file imported before into an integration that is gone (renamed, say): this is its record now.
    orphan = next((r for r in records(draft.data) if str(r.get("path", "")) == source and str(r.get("kind")) == kind
                   and integration_index(draft, t, str(r.get("integration", ""))) is None), None)
    if orphan is not None:
        return cast(CommentedMap, orphan)
    record = CommentedMap([("path", ""), ("kind", kind), ("digest", ""), ("integration", name)])
    bookkeeping_list(draft, RECORD_KEY).append(record)
    return record


def fill(draft: Draft, contract: Contract, name: str, source: str, source_digest: str = "") -> Outcome:
    """Put what the contract says into the integration called ``name`` (created if missing) and record
    the source (``source``: its path relative to the draft)."""
    t = targets(draft.schema)
    outcome = Outcome(name)
    outcome.notes += contract.notes
    group_path = t.group.path
    record = _record(draft, t, name, contract.kind, source)
    index = integration_index(draft, t, name)
    if index is None:
        index = draft.append_item(group_path)
        draft.set_value(f"{group_path}.{index}.{t.title.key}", name)
        outcome.created = True
    item_path = f"{group_path}.{index}"
    before = to_plain(record)
    record["path"] = source
    record["kind"] = contract.kind
    record["digest"] = source_digest
    record["integration"] = name
    record["api"] = contract.api

    # Scalar fields: filled when empty or still what the source said last time.
    wanted = wanted_values(t, contract)
    what = KIND_NAMES.get(contract.kind, contract.kind)
    missing = {"base-url": f"the {what} file names no server: base URL left as it is",
               "authentication": f"the {what} file defines no security schemes: authentication left as it is"}
    if contract.kind in (PROTO, GRAPHQL):  # the format has no place for them
        missing = {"base-url": f"a {what} schema does not say where the service runs or how callers "
                               "authenticate: fill in Base URL and Authentication yourself"}
    fields = [(meaning, node, f"{item_path}.{t.relative(node)}", t.relative(node), VALUES)
              for meaning, node in t.values.items()]
    fields += [(meaning, node, node.path, node.path, SHARED) for meaning, node in t.shared.items()
               if wanted.get(meaning)]
    seen: dict[str, CommentedMap] = {VALUES: CommentedMap(), SHARED: CommentedMap()}
    for meaning, node, path, key, where in fields:
        previous = record.get(where) if isinstance(record.get(where), dict) else {}
        value = wanted.get(meaning, "")
        if not value:
            if meaning in missing:
                outcome.notes.append(missing[meaning])
            continue
        if node.kind == "choice":
            value = choice_match(node, value) or value
        if meaning == "base-url" and not urlsplit(value).scheme:
            outcome.notes.append(f"the server URL {value!r} is relative to where the spec is served: "
                                 "make it absolute in the draft")
        current = draft.get(path)
        ours = key in previous and as_text(current) == as_text(previous.get(key))
        empty = is_blank(current) or (where == SHARED and as_text(current) == as_text(node.default))
        seen[where][key] = block_text(value)
        if meaning == "integration-type" and not (empty or ours):
            continue  # the user's own type: nothing to say
        if empty or ours or as_text(current) == value:
            if draft.set_value(path, value):
                outcome.filled.append(node.label)
        else:
            theirs = "" if "\n" in value else f" {value!r}"
            outcome.kept.append(f"{node.label} (yours differs from the {what} file's{theirs})")
    record[VALUES] = seen[VALUES]
    if seen[SHARED]:
        record[SHARED] = seen[SHARED]
    elif SHARED in record:
        del record[SHARED]

    # Endpoint rows: ours (unchanged since written) are updated, the user's are kept, none duplicated.
    rows_path = f"{item_path}.{t.relative(t.endpoints)}"
    rows = draft.items(rows_path)
    columns = [column.key for column in t.endpoints.children]
    previous_rows = {row_text(r, columns) for r in record.get(ROWS) or () if isinstance(r, dict)}
    generated: dict[tuple[str, str], dict[str, str]] = {}
    for found in contract.rows:
        generated.setdefault(found.key, row_of(found, t))
    taken: set[tuple[str, str]] = set()
    position = 0
    while position < len(rows):
        row = rows[position]
        endpoint = row_key(row, t) if isinstance(row, dict) else ("", "")
        ours = isinstance(row, dict) and row_text(row, columns) in previous_rows
        if ours and endpoint in generated and endpoint not in taken:
            new = generated[endpoint]
            if row_text(row, columns) != row_text(new, columns):
                for column, value in new.items():
                    draft.set_value(f"{rows_path}.{position}.{column}", value)
                outcome.updated += 1
            taken.add(endpoint)
        elif ours:
            draft.remove_item(rows_path, position)  # gone from the source (or a duplicate of ours)
            outcome.removed += 1
            continue
        elif endpoint in generated:
            if endpoint not in taken:
                outcome.kept.append(f"{endpoint[0]} {endpoint[1]} row")
            taken.add(endpoint)  # the user's row for this endpoint: theirs wins, no second row
        position += 1
    for endpoint, new in generated.items():
        if endpoint not in taken:
            draft.append_item(rows_path, CommentedMap(new))
            outcome.added += 1
    # What the source offered, all of it: the next run and drift compare the source with this.
    record[ROWS] = CommentedSeq(CommentedMap(row) for row in generated.values())
    if to_plain(record) != before:
        draft.changed = True  # the record alone changed (the source moved, say): still worth saving
    return outcome


def source_name(spec_path: Path, draft_path: Path) -> str:
    """The source's path as the draft should remember it: relative to the draft's folder when possible."""
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
