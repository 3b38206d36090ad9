"""The contracts a draft was filled from: importing one, refreshing them all, and noticing drift.

Every ``intwizard import-api`` records its source under ``intwizard.sources`` (see
:mod:`~intwizard.importers.contract_fill`): the path relative to the draft, the kind, a digest, the
integration and what the source said. :func:`drift` re-reads each recorded source and compares it with
that record and with the draft: operations the source added, removed or changed that the spec has not
taken in, a changed base URL or authentication, a source that is missing or unreadable. It writes
nothing. :func:`refresh` re-imports every recorded source under the same keep-the-author's-work rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intwizard.core.schema import Schema
from intwizard.core.values import as_mapping, as_text
from intwizard.errors import InputError
from intwizard.importers.contract import KIND_NAMES, Contract, Row, digest, load_contract
from intwizard.importers.contract_fill import (
    ROWS,
    VALUES,
    Outcome,
    Targets,
    fill,
    records,
    row_key,
    row_of,
    row_text,
    source_name,
    targets,
    wanted_values,
)

ERROR = "error"


def source_path(draft_path: Path, recorded: str) -> Path:
    """Where a recorded source is: its path is relative to the draft's folder (or absolute)."""
    path = Path(recorded)
    return path if path.is_absolute() else draft_path.resolve().parent / path


def repository_of(path: Path) -> Path | None:
    """The git work tree holding ``path`` (the nearest folder with ``.git``), None outside one."""
    for folder in path.resolve().parents:
        if (folder / ".git").exists():
            return folder
    return None


def outside_repository(draft_path: Path, source: Path) -> bool:
    """Whether a recorded source lies outside the repository that holds the draft. A draft in a pull
    request could name any file on the machine that checks it; those are not read (a draft outside any
    repository may name any file, as its author chose)."""
    root = repository_of(draft_path)
    return root is not None and not source.resolve().is_relative_to(root)


def read_contract(path: Path, schema: Schema, kind: str | None = None) -> tuple[Contract, str]:
    """A contract file, validated and summarised, and the digest of its bytes."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a contract file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    return load_contract(path, schema, kind), digest(data)


def import_file(draft: Any, draft_path: Path, source: Path, name: str, kind: str | None = None) -> Outcome:
    """Fill the integration ``name`` of an opened draft from the contract file ``source`` (validated first:
    an invalid file raises before the draft is touched)."""
    contract, source_digest = read_contract(source, draft.schema, kind)
    return fill(draft, contract, name, source_name(source, draft_path), source_digest)


# -- drift ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drift:
    """One way a recorded source and the spec disagree."""

    integration: str
    source: str
    """The source's path as recorded (relative to the draft)."""
    what: str
    """``added``, ``removed``, ``changed`` (an operation), ``base-url``, ``authentication``, ``missing``,
    ``unreadable``."""
    message: str
    line: int = 0
    """The line in the source it is about (0 when there is none: a removed operation, a missing file)."""
    operation: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"integration": self.integration, "source": self.source, "drift": self.what,
                "operation": self.operation, "line": self.line, "message": self.message, "severity": ERROR}

    def text(self) -> str:
        at = f"{self.source}:{self.line}" if self.line else self.source
        return f"{self.integration}: {at}: {self.message}"


@dataclass
class SourceState:
    """A recorded source as it is now: matches, or how it drifted."""

    integration: str
    source: str
    kind: str
    drifts: list[Drift] = field(default_factory=list)


def _rows_of_integration(data: dict[str, Any], t: Targets, name: str) -> list[dict[str, Any]]:
    items = data.get(t.group.key) if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and as_text(item.get(t.title.key)).strip().casefold() == name.casefold():
            rows: Any = item
            for part in t.relative(t.endpoints).split("."):
                rows = rows.get(part) if isinstance(rows, dict) else None
            return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
    return []


def _has_integration(data: dict[str, Any], t: Targets, name: str) -> bool:
    items = data.get(t.group.key) if isinstance(data, dict) else None
    return any(isinstance(item, dict) and as_text(item.get(t.title.key)).strip().casefold() == name.casefold()
               for item in (items if isinstance(items, list) else ()))


def _value_of_integration(data: dict[str, Any], t: Targets, name: str, relative: str) -> Any:
    items = data.get(t.group.key) if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and as_text(item.get(t.title.key)).strip().casefold() == name.casefold():
            value: Any = item
            for part in relative.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            return value
    return None


def compare(data: dict[str, Any], record: dict[str, Any], contract: Contract, t: Targets) -> list[Drift]:
    """How the source as it is now (``contract``) differs from what the record says it was, where the
    draft has not taken the change in."""
    name = str(record.get("integration", ""))
    source = str(record.get("path", ""))
    columns = [column.key for column in t.endpoints.children]
    recorded = {row_key(r, t): r for r in record.get(ROWS) or () if isinstance(r, dict)}
    in_draft = {row_key(r, t): r for r in _rows_of_integration(data, t, name)}
    found: list[Drift] = []
    now: dict[tuple[str, str], Row] = {}
    for row in contract.rows:
        now.setdefault(row.key, row)
    for key, row in now.items():
        label = f"{key[0]} {key[1]}"
        generated = row_of(row, t)
        if key not in recorded:
            if key not in in_draft:
                found.append(Drift(name, source, "added", f"operation {label} is in the source but not in the spec",
                                   row.line, label))
        elif row_text(recorded[key], columns) != row_text(generated, columns) \
                and (key not in in_draft or row_text(in_draft[key], columns) != row_text(generated, columns)):
            changes = [f"{column.label} {as_text(recorded[key].get(column.key))!r} -> "
                       f"{as_text(generated.get(column.key))!r}" for column in t.endpoints.children
                       if as_text(recorded[key].get(column.key)) != as_text(generated.get(column.key))]
            found.append(Drift(name, source, "changed", f"operation {label} changed in the source: "
                               + "; ".join(changes), row.line, label))
    for key in recorded:
        if key not in now and key in in_draft:
            label = f"{key[0]} {key[1]}"
            found.append(Drift(name, source, "removed",
                               f"operation {label} is no longer in the source but still in the spec", 0, label))
    previous = as_mapping(record.get(VALUES))
    wanted = wanted_values(t, contract)
    for meaning in ("base-url", "authentication"):
        node = t.values.get(meaning)
        if node is None or not wanted.get(meaning):
            continue
        relative = t.relative(node)
        value = wanted[meaning]
        current = as_text(_value_of_integration(data, t, name, relative))
        if as_text(previous.get(relative)) != value and current != value:
            was = as_text(previous.get(relative))
            found.append(Drift(name, source, meaning,
                               f"{node.label} changed in the source: {value!r}" + (f" (was {was!r})" if was else "")
                               + f", the spec says {current!r}", contract.lines.get(meaning, 0)))
    return found


def drift(draft_path: Path, data: dict[str, Any], schema: Schema) -> list[SourceState]:
    """Every recorded source of a draft's (plain, upgraded) data, re-read and compared; writes nothing."""
    t = targets(schema)
    states = []
    for record in records(data):
        name, recorded, kind = str(record.get("integration", "")), str(record.get("path", "")), str(record.get("kind"))
        state = SourceState(name, recorded, kind)
        states.append(state)
        path = source_path(draft_path, recorded)
        if not _has_integration(data, t, name):
            state.drifts.append(Drift(name, recorded, "missing", f"the spec has no integration {name!r} any more "
                                      f"(renamed or deleted?): import the source again with --integration NAME, "
                                      f"or remove its entry from intwizard.sources"))
            continue
        if recorded and outside_repository(draft_path, path):
            state.drifts.append(Drift(name, recorded, "unreadable", f"not read: {path} is outside the repository "
                                      "that holds the draft"))
            continue
        if not recorded or not path.exists():
            state.drifts.append(Drift(name, recorded, "missing", f"the {KIND_NAMES.get(kind, kind)} source is missing "
                                      f"(looked for {path}); import it again from where it is now"))
            continue
        try:
            raw = path.read_bytes()
            if str(record.get("digest", "")) == digest(raw):
                continue  # unchanged since the spec took it in
            contract = load_contract(path, schema, kind)
        except InputError as exc:
            where = f" (line {exc.line})" if getattr(exc, "line", 0) else ""
            state.drifts.append(Drift(name, recorded, "unreadable", f"cannot read the source{where}: {exc.message}",
                                      getattr(exc, "line", 0) or 0))
            continue
        except OSError as exc:
            state.drifts.append(Drift(name, recorded, "unreadable", f"cannot read the source: {exc.strerror}"))
            continue
        state.drifts += compare(data, record, contract, t)
    return states


# -- refresh --------------------------------------------------------------------------------------------


@dataclass
class Refreshed:
    """What :func:`refresh` did: an outcome per source re-imported, and the sources left alone because
    the integration they filled is gone (renamed or deleted)."""

    done: list[tuple[dict[str, Any], Outcome]] = field(default_factory=list)
    orphans: list[dict[str, Any]] = field(default_factory=list)


def refresh(draft: Any, draft_path: Path) -> Refreshed:
    """Re-import every recorded source of an opened draft. Every source is read and validated first, so
    one that is missing or invalid raises before the draft is touched."""
    result = Refreshed()
    loaded = []
    t = targets(draft.schema)
    for record in records(draft.data):
        recorded = str(record.get("path", ""))
        name = str(record.get("integration", ""))
        if not recorded or not name:
            continue
        if not _has_integration(draft.data, t, name):
            result.orphans.append(record)  # importing it would bring back what the author removed
            continue
        path = source_path(draft_path, recorded)
        if outside_repository(draft_path, path):
            raise InputError(f"the source of {name!r} is outside the repository that holds the draft: not read",
                             path=path)
        contract, source_digest = read_contract(path, draft.schema, str(record.get("kind") or "") or None)
        loaded.append((record, name, path, contract, source_digest))
    for record, name, path, contract, source_digest in loaded:
        result.done.append((record, fill(draft, contract, name, source_name(path, draft_path), source_digest)))
    return result
