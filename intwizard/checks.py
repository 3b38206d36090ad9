"""Findings about a draft: what is missing, wrong or left as a placeholder.

One list, many consumers: ``intwizard check`` prints it, the wizard's sidebar marks each section
empty / partial / complete from it, and the prompt mode summarises it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from intwizard.draft import META_KEY
from intwizard.schema import Node, Schema
from intwizard.values import as_text, is_blank, problem

ERROR = "error"
WARNING = "warning"
EMPTY, PARTIAL, COMPLETE = "empty", "partial", "complete"
_BRACKETED = re.compile(r"^\[[^\[\]]+\]$")


@dataclass(frozen=True)
class Finding:
    """One thing to fix (``error``: blocks the spec) or to look at (``warning``)."""

    section: str
    path: str
    message: str
    severity: str = ERROR
    rule: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, str]:
        return {"section": self.section, "path": self.path, "severity": self.severity, "rule": self.rule,
                "message": self.message}


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def placeholder_left(node: Node, value: Any) -> bool:
    """The template's own placeholder typed back (``[Name]``), or any lone ``[hint]``."""
    text = as_text(value).strip()
    return bool(text) and (text == node.placeholder.strip() and _BRACKETED.match(text) is not None
                           or (node.kind in ("line", "choice") and _BRACKETED.match(text) is not None))


class _Walker:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.found: list[Finding] = []
        self.section = ""

    def add(self, path: str, message: str, severity: str = ERROR, rule: str = "") -> None:
        self.found.append(Finding(self.section, path, message, severity, rule))

    def node(self, node: Node, value: Any, path: str) -> None:
        kind = node.kind
        wrong = problem(node, value)
        if wrong:
            self.add(path, f"{node.label}: {wrong}", rule="invalid")
            return
        if node.is_scalar:
            if is_blank(value):
                if node.required:
                    self.add(path, f"{node.label} is required", rule="required")
            elif placeholder_left(node, value):
                self.add(path, f"{node.label} still holds the placeholder {as_text(value).strip()!r}",
                         rule="placeholder")
            return
        if kind == "section":
            self.mapping(node.children, _mapping(value), path)
        elif kind == "group":
            for index, item in enumerate(value or []):
                if not isinstance(item, dict):
                    self.add(f"{path}.{index}", f"{node.item_label} {index + 1}: expected a mapping", rule="invalid")
                    continue
                self.mapping(node.children, item, f"{path}.{index}")
        elif kind == "table":
            if is_blank(value) and node.required:
                self.add(path, f"{node.label} has no rows", rule="empty-table")
            for index, row in enumerate(value or []):
                if not isinstance(row, dict):
                    self.add(f"{path}.{index}", f"{node.label} row {index + 1}: expected a mapping", rule="invalid")
                    continue
                self.mapping(node.children, row, f"{path}.{index}", row_label=f"{node.label} row {index + 1}")
        elif kind == "checklist":
            ticks = _mapping(value)
            for item in node.children:
                if item.key in ticks and not isinstance(ticks[item.key], bool):
                    self.add(f"{path}.{item.key}", f"{item.label}: expected true or false", rule="invalid")
        elif kind == "signoff":
            signed = _mapping(value)
            for role in node.roles:
                parts = signed.get(role.key)
                if parts is not None and not isinstance(parts, dict):
                    self.add(f"{path}.{role.key}", f"{role.label}: expected name, date and decision", rule="invalid")
                    continue
                for part in node.children:
                    part_value = _mapping(parts).get(part.key)
                    wrong_part = problem(part, part_value)
                    if wrong_part:
                        self.add(f"{path}.{role.key}.{part.key}", f"{role.label} {part.label}: {wrong_part}",
                                 rule="invalid")
        elif kind == "list" and node.required and is_blank(value):
            self.add(path, f"{node.label} is empty", rule="required")

    def mapping(self, nodes: tuple[Node, ...], values: dict, path: str, row_label: str = "") -> None:
        known = {node.key for node in nodes}
        for node in nodes:
            child_path = f"{path}.{node.key}" if path else node.key
            value = values.get(node.key)
            if row_label and node.is_scalar:
                if is_blank(value) and node.required:
                    self.add(child_path, f"{row_label}: {node.label} is required", rule="required")
                    continue
                wrong = problem(node, value)
                if wrong:
                    self.add(child_path, f"{row_label}: {node.label}: {wrong}", rule="invalid")
                continue
            self.node(node, value, child_path)
        for key in values:
            if key not in known:
                self.add(f"{path}.{key}" if path else str(key), f"unknown key {key!r} (kept as written)",
                         WARNING, rule="unknown-key")


def findings(schema: Schema, data: dict[str, Any]) -> list[Finding]:
    """Everything to fix or look at in a draft, in template order."""
    walker = _Walker(schema)
    for section in schema.sections:
        walker.section = section.key
        walker.node(section, data.get(section.key), section.key)
    walker.section = ""
    known = {section.key for section in schema.sections} | {META_KEY}
    for key in data:
        if key not in known:
            walker.add(str(key), f"unknown section {key!r} (kept as written)", WARNING, rule="unknown-key")
    return walker.found


def _answered_leaves(node: Node, value: Any) -> Iterator[bool]:
    """For every field a person answers: is it answered (not blank, not just the template default)?"""
    if node.auto:
        return
    if node.is_scalar or node.kind == "list":
        yield not is_blank(value) and value != node.default
    elif node.kind == "section":
        values = _mapping(value)
        for child in node.children:
            yield from _answered_leaves(child, values.get(child.key))
    elif node.kind in ("group", "table"):
        yield not is_blank(value) and value != node.default
    elif node.kind == "checklist":
        yield any(v is True for v in _mapping(value).values())
    elif node.kind == "signoff":
        yield any(not is_blank(part) for parts in _mapping(value).values() for part in _mapping(parts).values())


def section_status(schema: Schema, data: dict[str, Any], section_key: str,
                   found: list[Finding] | None = None) -> str:
    """``empty`` (nothing answered), ``complete`` (answered, nothing blocking) or ``partial``."""
    section = schema.section(section_key)
    if section is None:
        return EMPTY
    answered = list(_answered_leaves(section, data.get(section_key)))
    if not any(answered):
        return EMPTY
    found = findings(schema, data) if found is None else found
    if any(f.blocking and f.section == section_key for f in found):
        return PARTIAL
    return COMPLETE


def statuses(schema: Schema, data: dict[str, Any]) -> dict[str, str]:
    """Every section's status, computing the findings once."""
    found = findings(schema, data)
    return {section.key: section_status(schema, data, section.key, found) for section in schema.sections}
