"""Mermaid flowcharts (which GitHub renders): the overview of one draft, and the catalogue's map.

``intwizard diagram DRAFT --format mermaid`` draws what the ASCII diagram draws: this system in the
middle, the first repeatable group (external systems) on its right, the second (internal services) on
its left, each joined by an arrow labelled with the integration's type and pointing the way data flows
(the same judgement as :mod:`intwizard.core.diagram`). Labels are escaped with Mermaid's entity codes, so
no name can break the chart; a test checks the output with Mermaid's own parser.
"""

from __future__ import annotations

from typing import Any

from intwizard.core.diagram import Link, sides
from intwizard.core.schema import Schema
from intwizard.core.values import as_text

FENCE = "```mermaid"

_ENTITIES = (("#", "#35;"), ("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;"),
             ("|", "#124;"))


def label(text: str) -> str:
    """Text for a Mermaid ``"..."`` label: characters Mermaid reads as syntax written as entity codes,
    lines joined by ``<br/>``."""
    lines = []
    for line in as_text(text).splitlines() or [""]:
        line = " ".join(line.split())
        for char, entity in _ENTITIES:
            line = line.replace(char, entity)
        lines.append(line)
    return "<br/>".join(lines)


def node(node_id: str, text: str, shape: str = "[]") -> str:
    return f'{node_id}{shape[0]}"{label(text)}"{shape[1:]}'


def edge(left: str, right: str, text: str, direction: str) -> str:
    """An arrow between ``left`` and ``right`` (in that order, so the layout keeps ``left`` on the left):
    ``right`` (data flows left to right), ``left``, or ``both``."""
    caption = label(text) if text.strip() else ""
    if direction == "left":  # Mermaid has no left-pointing arrow without text: a space stands for none
        return f'{left} <-- "{caption or " "}" --- {right}'
    arrow = "<-->" if direction == "both" else "-->"
    return f'{left} {arrow}|"{caption}"| {right}' if caption else f"{left} {arrow} {right}"


def _flow(link: Link, this_on_left: bool) -> str:
    """Which way the arrow points, for a link drawn with this system on the left (or the right)."""
    if link.direction == "both":
        return "both"
    towards_this = link.direction == "in"
    return ("left" if towards_this else "right") if this_on_left else ("right" if towards_this else "left")


def draw(schema: Schema, data: dict[str, Any]) -> str:
    """The overview as a Mermaid flowchart (left to right), without the fence."""
    title_node = schema.title_field
    meta = data.get(title_node.path.split(".")[0]) if title_node else None
    name = as_text(meta.get(title_node.key)).strip() if isinstance(meta, dict) and title_node else ""
    this = f"{name}\n(this system)" if name else "This System"
    out = ["flowchart LR", f"  {node('this', this)}"]
    groups = sides(schema, data)
    edges = []
    for index, group in enumerate(groups):
        if not group.links:
            continue
        out.append(f'  subgraph g{index}["{label(group.label)}"]')
        for number, link in enumerate(group.links, 1):
            out.append(f"    {node(f'g{index}_{number}', link.name)}")
        out.append("  end")
        right_side = index % 2 == 0
        for number, link in enumerate(group.links, 1):
            other = f"g{index}_{number}"
            if right_side:
                edges.append(f"  {edge('this', other, link.kind, _flow(link, True))}")
            else:
                edges.append(f"  {edge(other, 'this', link.kind, _flow(link, False))}")
    return "\n".join(out + edges) + "\n"


def fenced(text: str) -> str:
    """The chart as a ```mermaid block (what ``--write`` puts into the diagram field)."""
    return f"{FENCE}\n{text.rstrip()}\n```"
