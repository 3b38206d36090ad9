"""The Integration Overview Diagram, drawn in ASCII from the draft.

This system (the feature) sits in a box in the middle; the entries of the template's repeatable
groups (external systems, internal services) sit on either side, each joined to it by an arrow
labelled with the integration's type. The arrow shows which way data flows when the integration has
an endpoints table: only reads (GET) point in, only writes point out, both or unknown point both ways.

Everything is found through the schema: groups by kind, types and endpoint methods by ``meaning``,
and the field the diagram is written to by ``meaning: diagram``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intwizard.core.draft import Draft
from intwizard.core.schema import Node, Schema
from intwizard.core.values import as_text, is_blank
from intwizard.errors import InputError

#: Where intwizard remembers (a digest of) the diagram it last wrote, to tell it from one drawn by hand.
RECORD_KEY = "diagram_sha256"
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_BOX_TEXT = 24


@dataclass(frozen=True)
class Link:
    name: str
    kind: str
    direction: str
    """``in`` (data flows to this system), ``out``, or ``both``."""


@dataclass(frozen=True)
class Side:
    label: str
    links: tuple[Link, ...]


def _direction(item: dict[str, Any], group: Node) -> str:
    table = next((node for node in group.children if node.meaning == "endpoints"), None)
    column = next((c for c in table.children if c.meaning == "http-method"), None) if table else None
    rows = item.get(table.key) if table is not None else None
    if column is None or not isinstance(rows, list):
        return "both"
    methods = {as_text(row.get(column.key)).strip().upper() for row in rows if isinstance(row, dict)} - {""}
    if not methods:
        return "both"
    if methods <= _READS:
        return "in"
    if not methods & _READS:
        return "out"
    return "both"


def sides(schema: Schema, data: dict[str, Any]) -> list[Side]:
    """One side per repeatable group of the template (external, internal), in template order."""
    found = []
    for group in schema.sections:
        if group.kind != "group":
            continue
        title = group.child(group.title_field)
        kind = next((node for node in group.children if node.meaning == "integration-type"), None)
        links: list[Link] = []
        items = data.get(group.key)
        for item in items if isinstance(items, list) else ():
            if not isinstance(item, dict):
                continue
            name = as_text(item.get(title.key)).strip() if title else ""
            label = as_text(item.get(kind.key)).strip() if kind else ""
            links.append(Link(" ".join((name or f"{group.item_label} {len(links) + 1}").split()),
                              " ".join(label.split()), _direction(item, group)))
        found.append(Side(group.label, tuple(links)))
    return found


def _arrow(link: Link, width: int) -> str:
    """``<--- REST API --->`` padded to ``width``, for a link drawn to the right of this system."""
    left = "<" if link.direction in ("in", "both") else "-"
    right = ">" if link.direction in ("out", "both") else "-"
    middle = f" {link.kind} " if link.kind else ""
    dashes = width - 2 - len(middle)
    return left + "-" * (dashes // 2) + middle + "-" * (dashes - dashes // 2) + right


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        while len(word) > width:
            lines.append(word[:width])
            word = word[width:]
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def draw(schema: Schema, data: dict[str, Any]) -> str:
    """The diagram as text: this system in the middle, the integrations left and right of it."""
    title_node = schema.title_field
    meta = data.get(title_node.path.split(".")[0]) if title_node else None
    name = as_text(meta.get(title_node.key)).strip() if isinstance(meta, dict) and title_node else ""
    groups = sides(schema, data)
    right = [g for i, g in enumerate(groups) if i % 2 == 0]
    left = [g for i, g in enumerate(groups) if i % 2 == 1]
    right_links = [link for g in right for link in g.links]
    left_links = [link for g in left for link in g.links]
    inner = max([_BOX_TEXT, *(len(w) for w in (name or "This System").split())])
    box_lines = [*_wrap(name, inner), "(this system)"] if name else ["This System"]
    rows = max(len(right_links), len(left_links), len(box_lines))
    arrow = max([10, *(len(link.kind) + 8 for link in left_links + right_links)])
    names_left = [f"[{link.name}]" for link in left_links]
    left_width = max([0, *(len(n) for n in names_left)])
    box_width = inner + 4
    lead = left_width + (arrow + 2 if left_links else 0)

    def box_row(text: str) -> str:
        return "| " + text.center(inner) + " |"

    out: list[str] = []
    header_left = " / ".join(g.label for g in left)
    header_right = " / ".join(g.label for g in right)
    if header_left or header_right:
        out.append((header_left.ljust(lead) if left_links else " " * lead) + " " * box_width
                   + (" " + header_right if right_links else ""))
    border = " " * lead + "+" + "-" * (box_width - 2) + "+"
    out.append(border)
    top = (rows - len(box_lines)) // 2
    for row in range(rows):
        text = box_lines[row - top] if 0 <= row - top < len(box_lines) else ""
        line = ""
        if left_links:
            if row < len(left_links):
                link = left_links[row]
                # On the left the arrow reads towards this system: flip which end is which.
                flipped = Link(link.name, link.kind, {"in": "out", "out": "in"}.get(link.direction, "both"))
                line = names_left[row].rjust(left_width) + " " + _arrow(flipped, arrow) + " "
            else:
                line = " " * lead
        line += box_row(text)
        if row < len(right_links):
            link = right_links[row]
            line += " " + _arrow(link, arrow) + " " + f"[{link.name}]"
        out.append(line.rstrip())
    out.append(border)
    if not left_links and not right_links:
        out.append(" " * lead + "(no integrations yet)")
    out.append("")
    out.append("Arrows point the way data flows, judged from the endpoints' methods (GET in, others out);")
    out.append("both ways when an integration lists both or none.")
    return "\n".join(line.rstrip() for line in out)


def target(schema: Schema) -> Node:
    """The field the diagram is written to (``meaning: diagram`` in the schema)."""
    node = next((node for node in schema.walk() if node.meaning == "diagram"), None)
    if node is None:
        raise InputError("the template has no diagram field (a field with `meaning: diagram`)", path=schema.path)
    return node


def digest(text: str) -> str:
    """A short fingerprint of a diagram's text (trailing spaces ignored)."""
    lines = "\n".join(line.rstrip() for line in text.strip("\n").splitlines())
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()[:16]


def hand_drawn(node: Node, current: Any, last_written: Any) -> bool:
    """True if the field holds a diagram someone drew (not empty, not the template's, not ours)."""
    text = as_text(current)
    if is_blank(text):
        return False
    known = {digest(node.placeholder), digest(as_text(node.default)), digest(as_text(node.example))}
    return digest(text) not in known and digest(text) != as_text(last_written)


def write_into(draft: Draft, *, force: bool = False, where: Path | None = None,
               kind: str = "ascii") -> tuple[str, bool]:
    """Draw the diagram (``ascii``, or ``mermaid``: a ```mermaid block) and put it into the draft's
    diagram field; returns it and whether it changed.

    A diagram someone drew by hand is only replaced with ``force`` (the save keeps the old file as .bak).
    """
    from intwizard.core.draft import bookkeeping

    node = target(draft.schema)
    if kind == "mermaid":
        from intwizard.core import diagram_mermaid

        text = diagram_mermaid.fenced(diagram_mermaid.draw(draft.schema, draft.plain()))
    else:
        text = draw(draft.schema, draft.plain())
    meta = bookkeeping(draft)
    if not force and hand_drawn(node, draft.get(node.path), meta.get(RECORD_KEY)):
        raise InputError(f"{node.path} holds a diagram drawn by hand; --force replaces it", path=where)
    changed = draft.set_value(node.path, text)
    if meta.get(RECORD_KEY) != digest(text):
        meta[RECORD_KEY] = digest(text)
        changed = draft.changed = True
    return text, changed
