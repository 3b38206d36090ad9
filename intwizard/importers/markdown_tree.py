"""The Markdown document as markdown-it sees it: top-level blocks under a tree of heading regions.

The rest of the importer works on these blocks (paragraphs, lists, tables, fences) and their source
lines, so this is the one place that walks markdown-it's flat token stream and its nesting.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """CommonMark plus GFM tables and task lists: what the export writes and what people type."""
    return MarkdownIt("commonmark").enable("table").use(tasklists_plugin)


# -- the document as blocks and heading regions ------------------------------------------------------


@dataclass
class Block:
    """One top-level block (paragraph, list, table, fence ...) with its tokens and source lines."""

    tokens: list[Token]
    start: int
    end: int

    @property
    def kind(self) -> str:
        return self.tokens[0].type.removesuffix("_open")


@dataclass
class Region:
    """A heading and what follows it up to the next heading of the same or a higher level."""

    title: str
    level: int
    line: int
    trail: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Region] = field(default_factory=list)
    end: int = 0


def regions(text: str) -> Region:
    """The document as a tree of heading regions; the root holds what comes before any heading."""
    tokens = parser().parse(text)
    root = Region(title="", level=0, line=0, trail="")
    stack = [root]
    total = len(text.split("\n"))
    i = 0
    while i < len(tokens):
        token = tokens[i]
        j = i
        depth: int = token.nesting
        while depth > 0:
            j += 1
            depth += tokens[j].nesting
        span = tokens[i : j + 1]
        start, end = token.map or (0, 0)
        if token.type == "heading_open":
            level = int(token.tag[1:])
            while stack[-1].level >= level:
                stack.pop().end = start
            parent = stack[-1]
            title = span[1].content.strip()
            # The document title (level 1) says nothing about where a piece sits: left out of trails.
            trail = "" if level == 1 else f"{parent.trail} > {title}" if parent.trail else title
            region = Region(title=title, level=level, line=start + 1, trail=trail)
            parent.children.append(region)
            stack.append(region)
        else:
            stack[-1].blocks.append(Block(span, start, end))
        i = j + 1
    for region in stack:
        region.end = total
    return root


# -- what a block holds -------------------------------------------------------------------------------


def paragraph_lines(block: Block) -> list[str]:
    """A paragraph's source lines (the inline content markdown-it gathered, indentation trimmed)."""
    inline = next(token for token in block.tokens if token.type == "inline")
    return inline.content.split("\n")


def fence_text(block: Block) -> str:
    return block.tokens[0].content.strip("\n")


def _children_blocks(tokens: list[Token], base_level: int) -> list[Block]:
    """The blocks directly inside a container token span (one nesting level below ``base_level``)."""
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.level != base_level + 1 or token.nesting < 0:
            i += 1
            continue
        j = i
        depth: int = token.nesting
        while depth > 0:
            j += 1
            depth += tokens[j].nesting
        start, end = token.map or (0, 0)
        blocks.append(Block(tokens[i : j + 1], start, end))
        i = j + 1
    return blocks


def list_item_opens(block: Block) -> list[Token]:
    level = block.tokens[0].level
    return [t for t in block.tokens if t.type == "list_item_open" and t.level == level + 1]


def list_item_blocks(block: Block) -> Iterator[list[Block]]:
    """For each item of a list, the blocks it holds."""
    level = block.tokens[0].level
    opens = [k for k, t in enumerate(block.tokens) if t.type == "list_item_open" and t.level == level + 1]
    for k in opens:
        depth, j = 0, k
        while True:
            depth += block.tokens[j].nesting
            if depth == 0:
                break
            j += 1
        yield _children_blocks(block.tokens[k + 1 : j], level + 1)


def table_headers(block: Block) -> list[str]:
    headers: list[str] = []
    in_head = False
    for token in block.tokens:
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            break
        elif in_head and token.type == "inline":
            headers.append(token.content.strip())
    return headers


def table_alignments(block: Block) -> list[str]:
    """Each header's alignment as the delimiter row says it (``:---:``): "left", "center", "right" or ""."""
    found: list[str] = []
    for token in block.tokens:
        if token.type == "th_open":
            style = str(token.attrs.get("style", ""))
            found.append(style.removeprefix("text-align:") if style.startswith("text-align:") else "")
        elif token.type == "thead_close":
            break
    return found


def fence_info(block: Block) -> str:
    """A fence's info string (``jsonc``); "" for an indented code block or a fence without one."""
    return block.tokens[0].info.strip() if block.kind == "fence" else ""


def table_body(block: Block) -> Iterator[tuple[int, list[Token]]]:
    """Each body row's source line and its cells' inline tokens."""
    row: list[Token] | None = None
    line = 0
    in_body = False
    for token in block.tokens:
        if token.type == "tbody_open":
            in_body = True
        elif in_body and token.type == "tr_open":
            row = []
            line = (token.map or (block.start, 0))[0]
        elif in_body and token.type == "tr_close" and row is not None:
            yield line, row
            row = None
        elif row is not None and token.type == "inline":
            row.append(token)
