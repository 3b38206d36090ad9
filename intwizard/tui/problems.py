"""The wizard's "Next problem": the findings of ``intwizard check`` in document order, and the one after
a place in the draft. Core modules only (it runs in a worker thread); the screen moves the cursor.
"""

from __future__ import annotations

from typing import Any

from intwizard.core.checks import Finding, findings, schema_path
from intwizard.core.schema import Node, Schema

#: Past every position inside a field: "after this field" (a table's rows, a sign-off's parts...).
AFTER = 1 << 30


def _children(node: Node | None, parent: Node | None) -> list[Node]:
    if node is None:
        return []
    if node.kind == "role" and parent is not None:
        return list(parent.children)  # a role's parts are its sign-off's fields
    return [*node.children, *node.roles]


def position(schema: Schema, path: str) -> tuple[int, ...]:
    """Where ``path`` is in the document, as a key that sorts in template order (entries and rows
    by index). A part the template does not know sorts after the known ones beside it."""
    key: list[int] = []
    siblings: list[Node] = list(schema.sections)
    node: Node | None = None
    parent: Node | None = None
    for part in path.split("."):
        if part.isdigit():
            key.append(int(part))
            continue
        index = next((i for i, child in enumerate(siblings) if child.key == part), None)
        if index is None:
            key.append(AFTER - 1)
            siblings = []
            continue
        key.append(index)
        parent, node = node, siblings[index]
        siblings = _children(node, parent)
    return tuple(key)


def located(schema: Schema, finding: Finding) -> bool:
    """The finding names a field of the template (not an unknown key kept as written)."""
    return schema.node(schema_path(finding.path)) is not None


def in_order(schema: Schema, data: dict[str, Any]) -> list[Finding]:
    """What ``intwizard check`` reports about fields, in document order."""
    return sorted((f for f in findings(schema, data) if located(schema, f)), key=lambda f: position(schema, f.path))


def next_after(schema: Schema, found: list[Finding], after: tuple[int, ...]) -> tuple[Finding | None, bool]:
    """The first finding past ``after``, else the first of all (``True``: it wrapped round)."""
    for finding in found:
        if position(schema, finding.path) > after:
            return finding, False
    return (found[0], True) if found else (None, False)
