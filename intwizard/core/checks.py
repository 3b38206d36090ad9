"""Findings about a draft: what is missing, wrong or left as a placeholder.

One list, many consumers: ``intwizard check`` prints it, the wizard's sidebar marks each section
empty / partial / complete from it, and the prompt mode summarises it.

Every rule reads the schema: ``required``, ``required_at`` (with the schema's ``level_field``, the SEV
level), a checklist item's ``requires``, a column's ``covers``. No field of the template is named here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from intwizard.core.draft import META_KEY
from intwizard.core.schema import Node, Schema
from intwizard.core.values import as_mapping, as_text, choice_match, is_blank, not_applicable, problem, same_as_example

ERROR = "error"
WARNING = "warning"
EMPTY, PARTIAL, COMPLETE = "empty", "partial", "complete"
_BRACKETED = re.compile(r"^\[[^\[\]]+\]$")
_INDEX = re.compile(r"\.\d+(?=\.|$)")


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


def schema_path(path: str) -> str:
    """A draft path without its list indexes (``a.0.b`` -> ``a.b``), as the schema names nodes."""
    return _INDEX.sub("", path)


def placeholder_left(node: Node, value: Any) -> bool:
    """The template's own placeholder typed back (``[Name]``), or any lone ``[hint]``."""
    text = as_text(value).strip()
    return bool(text) and ((text == node.placeholder.strip() and _BRACKETED.match(text) is not None)
                           or (node.kind in ("line", "choice") and _BRACKETED.match(text) is not None))


def level_of(schema: Schema, data: dict[str, Any]) -> str | None:
    """The spec's level (``SEV-2``) as the level field's option, or None when unset or unknown."""
    node = schema.node(schema.level_field) if schema.level_field else None
    if node is None:
        return None
    value: Any = data
    for part in node.path.split("."):
        value = as_mapping(value).get(part)
    return choice_match(node, as_text(value)) if not is_blank(value) else None


def values_at(data: Any, path: str) -> Iterator[Any]:
    """Every value at a schema path, through the entries of any group or table on the way."""
    values = [data]
    for part in path.split("."):
        following: list[Any] = []
        for value in values:
            if isinstance(value, list):
                following.extend(as_mapping(item).get(part) for item in value)
            else:
                following.append(as_mapping(value).get(part))
        values = following
    yield from values


class _Walker:
    def __init__(self, schema: Schema, data: dict[str, Any]) -> None:
        self.schema = schema
        self.found: list[Finding] = []
        self.section = ""
        self.level = level_of(schema, data)
        level_node = schema.node(schema.level_field) if schema.level_field else None
        self.level_label = level_node.label if level_node else "level"
        self.prefix = ""
        """Names the group entry being walked ("Integration 2 (Stripe): "), so messages say which."""

    def add(self, path: str, message: str, severity: str = ERROR, rule: str = "") -> None:
        self.found.append(Finding(self.section, path, self.prefix + message, severity, rule))

    def missing(self, node: Node, path: str, what: str, detail: str = "") -> None:
        """Report a blank node that is required, always or at the spec's level (``detail`` goes last)."""
        if node.required:
            self.add(path, what + detail, rule="required" if node.kind != "table" else "empty-table")
        elif node.required_at and self.level in node.required_at:
            self.add(path, f"{what} for {self.level} specs{detail}", rule="required-at")
        elif node.required_at and self.level is None:
            self.add(path, f"{what} if {self.level_label} is {' or '.join(node.required_at)}{detail}", WARNING,
                     rule="required-at")

    def example_left(self, node: Node, path: str) -> None:
        """The template's example kept as the answer: a reader takes it for the design."""
        if node.required_for(self.level):
            self.add(path, f"{node.label} is still the template's example; write this spec's own"
                     f"{f' (required for {self.level} specs)' if not node.required else ''}", rule="example-left")
        else:
            self.add(path, f"{node.label} is still the template's example; make it this spec's own or clear it",
                     WARNING, rule="example-left")

    def not_applicable(self, node: Node, reason: str, path: str) -> None:
        """A "not applicable" answer: fine, unless the template requires this one and allows no N/A."""
        if not node.na_allowed and node.required_for(self.level):
            when = "" if node.required else f" for {self.level} specs"
            self.add(path, f"{node.label} is required{when} and cannot be marked not applicable "
                     "(the template sets na_allowed: false)", rule="na-not-allowed")
        elif not reason:
            self.add(path, f"{node.label} is marked not applicable without a reason; say why", WARNING,
                     rule="na-reason")

    def node(self, node: Node, value: Any, path: str) -> None:
        kind = node.kind
        wrong = problem(node, value)
        if wrong:
            self.add(path, f"{node.label}: {wrong}", rule="invalid")
            return
        reason = not_applicable(value)
        if reason is not None:
            self.not_applicable(node, reason, path)
            return
        if node.is_scalar:
            if is_blank(value):
                self.missing(node, path, f"{node.label} is required")
            elif placeholder_left(node, value):
                self.add(path, f"{node.label} still holds the placeholder {as_text(value).strip()!r}",
                         rule="placeholder")
            elif same_as_example(node, value):
                self.example_left(node, path)
            return
        if kind == "section":
            self.mapping(node.children, as_mapping(value), path)
        elif kind == "group":
            if is_blank(value):
                self.missing(node, path, f"{node.label} has no entries")
            self.group(node, value or [], path)
        elif kind == "table":
            if is_blank(value):
                self.missing(node, path, f"{node.label} has no rows")
            elif same_as_example(node, value):
                self.example_left(node, path)
            for index, row in enumerate(value or []):
                if not isinstance(row, dict):
                    self.add(f"{path}.{index}", f"{node.label} row {index + 1}: expected a mapping", rule="invalid")
                    continue
                self.mapping(node.children, row, f"{path}.{index}", row_label=f"{node.label} row {index + 1}")
        elif kind == "checklist":
            ticks = as_mapping(value)
            for item in node.children:
                if item.key in ticks and not isinstance(ticks[item.key], bool):
                    self.add(f"{path}.{item.key}", f"{item.label}: expected true or false", rule="invalid")
            self.unknown(ticks, {item.key for item in node.children}, path)
        elif kind == "signoff":
            self.signoff(node, as_mapping(value), path)
        elif kind == "list" and is_blank(value):
            self.missing(node, path, f"{node.label} is empty")
        elif kind == "list" and same_as_example(node, value):
            self.example_left(node, path)

    def group(self, node: Node, items: list[Any], path: str) -> None:
        outer = self.prefix
        for index, item in enumerate(items):
            name = f"{node.item_label} {node.entry_number(index)}"
            if not isinstance(item, dict):
                self.add(f"{path}.{index}", f"{name}: expected a mapping", rule="invalid")
                continue
            title = as_text(item.get(node.title_field)).strip() if node.title_field else ""
            self.prefix = f"{outer}{name}{f' ({title})' if title else ''}: "
            self.mapping(node.children, item, f"{path}.{index}")
        self.prefix = outer

    def signoff(self, node: Node, signed: dict[Any, Any], path: str) -> None:
        for role in node.roles:
            parts = signed.get(role.key)
            role_path = f"{path}.{role.key}"
            if parts is not None and not isinstance(parts, dict):
                self.add(role_path, f"{role.label}: expected {', '.join(p.label for p in node.children)}",
                         rule="invalid")
                continue
            parts = as_mapping(parts)
            for part in node.children:
                wrong_part = problem(part, parts.get(part.key))
                if wrong_part:
                    self.add(f"{role_path}.{part.key}", f"{role.label} {part.label}: {wrong_part}", rule="invalid")
            blank = [part for part in node.children if is_blank(parts.get(part.key))]
            dates = [part for part in blank if part.kind == "date"]
            if blank and role.required_at and (self.level in role.required_at or self.level is None):
                self.missing(role, role_path, f"{role.label} sign-off is required",
                             f" (missing: {', '.join(part.label for part in blank)})")
            elif dates and len(blank) < len(node.children):
                self.add(f"{role_path}.{dates[0].key}", f"{role.label} signed without a {dates[0].label.lower()}",
                         rule="signoff-date")
            self.unknown(parts, {part.key for part in node.children}, role_path)
        self.unknown(signed, {role.key for role in node.roles}, path)

    def mapping(self, nodes: tuple[Node, ...], values: dict[Any, Any], path: str, row_label: str = "") -> None:
        for node in nodes:
            child_path = f"{path}.{node.key}" if path else node.key
            value = values.get(node.key)
            if row_label and node.is_scalar:
                if is_blank(value) and node.required:
                    self.add(child_path, f"{row_label}: {node.label} is required", rule="required")
                    continue
                wrong = problem(node, value, in_table=True)
                if wrong:
                    self.add(child_path, f"{row_label}: {node.label}: {wrong}", rule="invalid")
                continue
            self.node(node, value, child_path)
        self.unknown(values, {node.key for node in nodes}, path)

    def unknown(self, values: dict[Any, Any], known: set[str], path: str) -> None:
        for key in values:
            if key in known:
                continue
            guess = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.75)
            hint = f"; did you mean {guess[0]!r}?" if guess else ""
            self.add(f"{path}.{key}" if path else str(key), f"unknown key {key!r} (kept as written{hint})",
                     WARNING, rule="unknown-key")


def _checklist_claims(schema: Schema, data: dict[str, Any], found: list[Finding]) -> list[Finding]:
    """Ticked checklist items whose ``requires`` content is missing (error) or still has errors (warning)."""
    claims: list[Finding] = []
    for node in schema.walk():
        if node.kind != "checklist":
            continue
        section = node.path.split(".", 1)[0]
        for ticks in values_at(data, node.path):
            for item in node.children:
                if as_mapping(ticks).get(item.key) is not True:
                    continue
                for target in item.requires:
                    target_node = schema.node(target)
                    if target_node is None:
                        continue
                    answered = any(any(_answered_leaves(target_node, value)) for value in values_at(data, target))
                    if not answered:
                        claims.append(Finding(section, f"{node.path}.{item.key}",
                                              f"{item.label!r} is ticked, but {target_node.label} is empty",
                                              ERROR, "ticked-missing"))
                        continue
                    problems = [f for f in found if f.blocking and
                                (schema_path(f.path) + ".").startswith(target + ".")]
                    if problems:
                        claims.append(Finding(section, f"{node.path}.{item.key}",
                                              f"{item.label!r} is ticked, but {target_node.label} still has "
                                              f"{len(problems)} problem{'s' if len(problems) > 1 else ''}",
                                              WARNING, "ticked-incomplete"))
    return claims


def _coverage(schema: Schema, data: dict[str, Any]) -> list[Finding]:
    """Entries of a group with no row in a table whose column ``covers`` that group (a warning: an
    integration may rightly need no authentication, but it should say so)."""
    gaps: list[Finding] = []
    for column in schema.walk():
        if not column.covers:
            continue
        table = schema.node(column.path.rsplit(".", 1)[0])
        if table is None:
            continue
        named = [as_text(as_mapping(row).get(column.key)).casefold()
                 for rows in values_at(data, table.path) if isinstance(rows, list) for row in rows]
        if not named:
            continue  # an empty table is reported as such
        for group_path in column.covers:
            group = schema.node(group_path)
            if group is None or not group.title_field:
                continue
            for entries in values_at(data, group_path):
                for entry in entries if isinstance(entries, list) else []:
                    title = as_text(as_mapping(entry).get(group.title_field)).strip()
                    if title and not any(title.casefold() in text for text in named):
                        gaps.append(Finding(table.path.split(".", 1)[0], table.path,
                                            f"{table.label}: no row for {title!r} ({group.label})",
                                            WARNING, "uncovered"))
    return gaps


def findings(schema: Schema, data: dict[str, Any]) -> list[Finding]:
    """Everything to fix or look at in a draft, in template order."""
    if not isinstance(data, dict):
        data = {}
    walker = _Walker(schema, data)
    for section in schema.sections:
        walker.section = section.key
        walker.node(section, data.get(section.key), section.key)
    walker.section = ""
    known = {section.key for section in schema.sections} | {META_KEY}
    for key in data:
        if key not in known:
            guess = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.75)
            hint = f"; did you mean {guess[0]!r}?" if guess else ""
            walker.add(str(key), f"unknown section {key!r} (kept as written{hint})", WARNING, rule="unknown-key")
    found = walker.found
    found += _coverage(schema, data)
    found += _checklist_claims(schema, data, found)
    from intwizard.core.signoffs import findings as signoff_findings

    found += signoff_findings(schema, data)  # stale sign-offs, an approval they do not back
    order = {section.key: index for index, section in enumerate(schema.sections)}
    return sorted(found, key=lambda finding: order.get(finding.section, len(order)))


def _answered_leaves(node: Node, value: Any) -> Iterator[bool]:
    """For every field a person answers: is it answered (not blank, not just the template default)?"""
    if node.auto:
        return
    if not_applicable(value) is not None:
        yield True
    elif node.is_scalar or node.kind == "list":
        yield not is_blank(value) and value != node.default and not same_as_example(node, value)
    elif node.kind == "section":
        values = as_mapping(value)
        for child in node.children:
            yield from _answered_leaves(child, values.get(child.key))
    elif node.kind in ("group", "table"):
        yield not is_blank(value) and value != node.default and not same_as_example(node, value)
    elif node.kind == "checklist":
        yield any(v is True for v in as_mapping(value).values())
    elif node.kind == "signoff":
        yield any(not is_blank(part) for parts in as_mapping(value).values() for part in as_mapping(parts).values())


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
