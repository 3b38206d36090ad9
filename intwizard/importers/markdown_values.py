"""What a piece of the document says, as the value a field stores.

The export escapes line starts, links bare URLs and writes code spans and ``<br>`` in table cells;
these functions undo exactly that and read the template's placeholders as empty, so an exported
spec imports back to the draft it came from, and hand-written text is kept as written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from markdown_it.token import Token

from intwizard.core.markdown import code_span, escape_line_start, html_as_text, link_bare_urls
from intwizard.core.schema import Node
from intwizard.importers.markdown_tree import Block, list_item_blocks, list_item_opens, paragraph_lines, parser


def unescape_line(line: str) -> str:
    """Undo the export's escape of a line start that would open a block (``\\#``, ``\\|`` ...)."""
    if line.startswith("\\") and escape_line_start(line[1:]) == line:
        return line[1:]  # exactly the backslash the export would add, and no other
    return line


def strip_break(line: str) -> str:
    """A line without the hard-break marker that ends it (two spaces or a backslash)."""
    if line.endswith("  "):  # the break is the spaces; a backslash before them is text
        return line.rstrip()
    line = line.rstrip()
    return line[:-1].rstrip() if line.endswith("\\") and not line.endswith("\\\\") else line

def _inline_tokens(text: str) -> list[Token]:
    return parser().parseInline(text)[0].children or []


def code_span_content(text: str) -> str | None:
    """The content of ``text`` if it is exactly one code span."""
    children = _inline_tokens(text.strip())
    if len(children) == 1 and children[0].type == "code_inline":
        return children[0].content
    return None


def cell_text(inline: Token) -> str:
    """A table cell as the value it holds: ``<br>`` back to line breaks (``\\|`` markdown-it undid)."""
    content = inline.content
    pieces: list[str] = []
    position = 0
    for child in inline.children or ():
        if child.type == "html_inline" and child.content.replace(" ", "").lower() in ("<br>", "<br/>"):
            found = content.find(child.content, position)
            if found >= 0:
                pieces.append(content[position:found])
                position = found + len(child.content)
    pieces.append(content[position:])
    return "\n".join(piece.strip() for piece in pieces).strip()


def _bracketed(text: str) -> bool:
    """A lone ``[hint]`` as the template writes them (a link ``[a](b)`` is not one)."""
    inner = text[1:-1]
    return len(text) > 2 and text[0] == "[" and text[-1] == "]" and "[" not in inner and "]" not in inner


def _same_text(a: str, b: str) -> bool:
    return [line.rstrip() for line in a.strip().splitlines()] == [line.rstrip() for line in b.strip().splitlines()]


def unwrap_autolinks(text: str) -> str:
    """``<https://x>`` back to the bare URL the export wraps, when the export would wrap it again."""
    tokens = _inline_tokens(text.replace("\n", " "))
    # The link text, not the href: markdown-it percent-encodes the href (é -> %C3%A9).
    urls = [tokens[k + 1].content for k, child in enumerate(tokens[:-1])
            if child.type == "link_open" and child.markup == "autolink"]
    bare = text
    for url in urls:
        bare = bare.replace(f"<{url}>", str(url), 1)
    return bare if bare != text and link_bare_urls(bare) == text else text


def unescape_html(text: str) -> str:
    """``&lt;`` back to the ``<`` the export escapes, when the export would escape it again."""
    if "&lt;" not in text:
        return text
    raw = text.replace("&lt;", "<")
    return raw if html_as_text(raw) == text else text


def scalar(node: Node, text: str) -> Any:
    """The value to store for what the document shows: as written, placeholders read as empty."""
    text = text.strip("\n") if node.kind == "code" else text.strip()  # code keeps its spaces
    inner = code_span_content(text) if node.format == "code" else None
    if inner is not None and code_span(inner.strip()) == text:
        text = inner.strip()  # exactly the code span the export writes around a plain value
    elif node.kind != "code":
        text = unescape_html(unwrap_autolinks(text))
    if not text:
        return ""
    if isinstance(node.example, str) and _same_text(text, node.example):
        return node.example  # the template's example, as the document says (`check` warns about it)
    if _same_text(text, node.placeholder) or (node.kind != "code" and _bracketed(text)):
        return ""
    if node.kind in ("date", "choice") and node.hint and _same_text(text, node.hint):
        return ""  # the template's unfilled YYYY-MM-DD or SEV-X
    if node.kind == "date":
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return text  # kept as written; `check` says what is wrong with it
        return day if day.isoformat() == text else text
    return text


def list_items(block: Block, source: list[str]) -> list[str]:
    """A bullet list's items as lines of text (continuation lines kept as line breaks)."""
    items: list[str] = []
    for item, opening in zip(list_item_blocks(block), list_item_opens(block), strict=True):
        if len(item) == 1 and item[0].kind == "paragraph":
            lines = [strip_break(line) for line in paragraph_lines(item[0])[:-1]] + \
                [paragraph_lines(item[0])[-1].rstrip()]
            # The export escapes a block start on every line of an item (``- \# x``), the first included.
            text = "\n".join(unescape_line(line.strip()) for line in lines)
        else:  # a quote, a nested list ...: the item's own text, nothing dropped
            start, end = opening.map or (block.start, block.end)
            raw = source[start:end]
            first = raw[0].lstrip()[len(opening.markup):].strip() if raw else ""
            text = "\n".join([first, *(line.strip() for line in raw[1:])]).strip()
        if text:
            items.append(unwrap_autolinks(text))
    return items
