"""The form of one section (or of one entry of a repeatable group), generated from the schema.

Nothing here knows the template's fields: a section's children become field widgets by kind, and a
subsection becomes a subheading followed by its own fields.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from intwizard.schema import Node
from intwizard.tui.fields import make_field, plain_label


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


class SectionForm(Vertical):
    """Fields for ``nodes`` under ``path``, filled from ``values`` (the draft's mapping there)."""

    def __init__(self, nodes: tuple[Node, ...], path: str, values: Any, *, id: str | None = None) -> None:
        super().__init__(classes="section-form", id=id)
        self.nodes = nodes
        self.path = path
        self.values = _mapping(values)

    def compose(self) -> ComposeResult:
        yield from _fields(self.nodes, self.path, self.values, depth=0)


def _fields(nodes: tuple[Node, ...], path: str, values: dict, depth: int) -> ComposeResult:
    for node in nodes:
        child_path = f"{path}.{node.key}" if path else node.key
        value = values.get(node.key)
        if node.kind == "section":
            yield Static(plain_label(node.label), classes=f"subheading depth-{depth}")
            yield from _fields(node.children, child_path, _mapping(value), depth + 1)
        elif node.kind == "group":
            yield Static(plain_label(f"{node.label}: edit it from its own section."), classes="field-help")
        else:
            yield make_field(node, child_path, value)
