"""Matching what the author wrote to the schema: headings, ``**Label**: value`` lines, item titles.

The labels come from ``schema.yaml`` (nothing here names a field) and compare without regard to
case, spacing or a trailing colon, so a hand-written spec matches as well as an exported one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from intwizard.core.schema import Node
from intwizard.importers.markdown_tree import Block, parser, table_headers
from intwizard.importers.markdown_values import strip_break, unescape_line

#: The field kinds a ``**Label**: value`` line (or the text under a field's heading) can fill.
LABELLED_KINDS = ("line", "text", "choice", "date")


def norm_label(text: str) -> str:
    """Labels compare without regard to case, spacing or a trailing colon."""
    return " ".join(text.replace("\\", "").split()).rstrip(":").strip().casefold()


def match_label(title: str, nodes: Iterable[Node]) -> Node | None:
    """The first of ``nodes`` whose label is ``title`` (compared as :func:`norm_label` does)."""
    wanted = norm_label(title)
    return next((node for node in nodes if norm_label(node.label) == wanted), None)


def table_for_headers(fields: tuple[Node, ...], block: Block) -> Node | None:
    """The table field that has a column named by one of the headers of the table ``block``."""
    headers = {norm_label(h) for h in table_headers(block)}
    return next((f for f in fields if f.kind == "table" and {norm_label(c.label) for c in f.children} & headers),
                None)


@dataclass
class Labelled:
    """``**Label**: value`` (the value possibly going on over following lines)."""

    label: str
    lines: list[str]
    line: int

    @property
    def value(self) -> str:
        return "\n".join(self.lines).strip()


def label_of(line: str) -> tuple[str, str] | None:
    """``(label, rest)`` if the line opens with a bold label and a colon, judged by the token stream."""
    children = [c for c in parser().parseInline(line)[0].children or () if c.type != "text" or c.content]
    if len(children) < 3 or children[0].type != "strong_open":
        return None
    close = next((k for k, child in enumerate(children) if child.type == "strong_close"), None)
    if close is None:
        return None
    label = "".join(child.content for child in children[1:close]).strip()
    markup = children[0].markup
    after_open = line.index(markup) + len(markup)
    end = line.find(markup, after_open)
    inner = line[after_open:end]
    rest = line[end + len(markup) :]
    if label.endswith(":") and inner.rstrip().endswith(":"):
        return label[:-1].strip(), rest.strip()
    if rest.startswith(":"):
        return label, rest[1:].strip()
    return None


def labelled_runs(lines: list[str], first_line: int) -> tuple[list[str], list[Labelled]]:
    """Split lines into those before any label and ``**Label**: value`` entries (continuations joined)."""
    loose: list[str] = []
    entries: list[Labelled] = []
    for offset, raw in enumerate(lines):
        line = strip_break(raw) if offset < len(lines) - 1 else raw.rstrip()
        found = label_of(line.strip())
        if found is not None:
            entries.append(Labelled(found[0], [found[1]], first_line + offset))
        elif entries:
            entries[-1].lines.append(unescape_line(line.strip()))
        else:
            loose.append(raw)
    return loose, entries


def item_title(node: Node, heading: str) -> str:
    """``Integration 2: Stripe`` -> ``Stripe`` (the label and number come from the schema)."""
    text = heading.strip()
    label = node.item_label
    if label and norm_label(text[: len(label)]) == norm_label(label):
        rest = text[len(label) :]
        number, colon, title = rest.partition(":")
        if colon and (not number.strip() or number.strip().isalnum()):
            return title.strip()
    return text
