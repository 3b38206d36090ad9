"""Import a Markdown spec that follows the template (hand-written or exported) into a draft.

The document is read as markdown-it's token stream (GFM tables, task lists), cut into a tree of
heading regions, and matched against the schema: section and field headings, ``**Label**:`` lines,
table headers, checklist items and sign-off roles are all looked up by the labels in ``schema.yaml``.
Values are kept as the author wrote them (Markdown source, dates and statuses untouched); the
template's placeholders (``[Name]``, the pre-written examples) read as empty. Whatever fits no
field is kept under ``intwizard.unmapped`` with where it was found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from intwizard.draft import Draft, group_item, to_plain
from intwizard.importers import Unplaced, keep_unplaced
from intwizard.markdown import escape_line_start, link_bare_urls
from intwizard.schema import Node, Schema
from intwizard.values import is_blank

_LABEL_KINDS = ("line", "text", "choice", "date")


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


def _plain_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def _norm(text: str) -> str:
    """Labels compare without regard to case, spacing or a trailing colon."""
    return " ".join(text.replace("\\", "").split()).rstrip(":").strip().casefold()


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
        depth = token.nesting
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


# -- reading values out of blocks --------------------------------------------------------------------


def unescape_line(line: str) -> str:
    """Undo the export's escape of a line start that would open a block (``\\#``, ``\\|`` ...)."""
    if line.startswith("\\") and escape_line_start(line[1:]) == line:
        return line[1:]  # exactly the backslash the export would add, and no other
    return line


def _strip_break(line: str) -> str:
    """A line without the hard-break marker that ends it (two spaces or a backslash)."""
    if line.endswith("  "):  # the break is the spaces; a backslash before them is text
        return line.rstrip()
    line = line.rstrip()
    return line[:-1].rstrip() if line.endswith("\\") and not line.endswith("\\\\") else line


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


def paragraph_lines(block: Block) -> list[str]:
    """A paragraph's source lines (the inline content markdown-it gathered, indentation trimmed)."""
    inline = next(token for token in block.tokens if token.type == "inline")
    return inline.content.split("\n")


def labelled_runs(lines: list[str], first_line: int) -> tuple[list[str], list[Labelled]]:
    """Split lines into those before any label and ``**Label**: value`` entries (continuations joined)."""
    loose: list[str] = []
    entries: list[Labelled] = []
    for offset, raw in enumerate(lines):
        line = _strip_break(raw) if offset < len(lines) - 1 else raw.rstrip()
        found = label_of(line.strip())
        if found is not None:
            entries.append(Labelled(found[0], [found[1]], first_line + offset))
        elif entries:
            entries[-1].lines.append(unescape_line(line.strip()))
        else:
            loose.append(raw)
    return loose, entries


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


def scalar(node: Node, text: str) -> Any:
    """The value to store for what the document shows: as written, placeholders read as empty."""
    text = text.strip("\n") if node.kind == "code" else text.strip()  # code keeps its spaces
    if node.format == "code":
        inner = code_span_content(text)
        if inner is not None:
            text = inner.strip()
    elif node.kind != "code":
        text = unwrap_autolinks(text)
    if not text:
        return ""
    if isinstance(node.default, str) and _same_text(text, node.default):
        return node.default
    if _same_text(text, node.placeholder) or (node.kind != "code" and _bracketed(text)):
        return ""
    if node.kind == "date":
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return text  # kept as written; `check` says what is wrong with it
        return day if day.isoformat() == text else text
    return text


# -- matching regions and blocks to the schema --------------------------------------------------------


class MarkdownImporter:
    """Fill a new draft from one Markdown document."""

    def __init__(self, schema: Schema, text: str, today: dt.date | None = None) -> None:
        self.schema = schema
        self.lines = text.split("\n")
        self.draft = Draft.new(schema, today=today)
        for auto in ("created", "updated"):  # importing is not editing: only the document's dates count
            node = schema.auto_field(auto)
            if node is not None:
                self.draft.set_value(node.path, "")
        self.unplaced: list[Unplaced] = []

    # -- bookkeeping --

    def source(self, start: int, end: int) -> str:
        return "\n".join(self.lines[start:end]).strip("\n")

    def keep(self, where: str, start: int, end: int) -> None:
        text = self.source(start, end)
        if text.strip():
            self.unplaced.append(Unplaced(where or "document information", start + 1, text))

    def keep_block(self, where: str, block: Block) -> None:
        self.keep(where, block.start, block.end)

    def keep_region(self, region: Region) -> None:
        self.keep(region.trail, region.line - 1, region.end)

    def put(self, path: str, value: Any) -> None:
        self.draft.set_value(path, _ruamel(value))

    # -- the document --

    def run(self) -> Draft:
        root = regions("\n".join(self.lines))
        titled = [r for r in root.children if r.level == 1]
        top = titled[0] if titled else None
        candidates: list[Region] = []
        front_blocks = list(root.blocks)
        for region in root.children:
            if region is top:
                front_blocks += region.blocks
                candidates += region.children
            else:
                candidates.append(region)
        if top is not None:
            self.title(top)
        front = [s for s in self.schema.sections if s.kind == "section" and not s.heading]
        if front:
            self.container(front[0], front[0].key, front_blocks, [], "document information")
        else:
            for block in front_blocks:
                self.keep_block("", block)
        seen: set[str] = set()
        for region in candidates:
            section = self.match(region.title, [s for s in self.schema.sections if s.heading])
            if section is None or section.key in seen:
                self.keep_region(region)
                continue
            seen.add(section.key)
            self.node(section, section.key, region)
        keep_unplaced(self.draft, self.unplaced)
        self.draft.changed = False
        return self.draft

    def title(self, region: Region) -> None:
        node = self.schema.title_field
        if node is None:
            return
        text = region.title
        prefix = self.schema.document_title
        if _norm(text[: len(prefix)]) == _norm(prefix):
            text = text[len(prefix) :].lstrip().lstrip("-–—:").strip()
        self.put(node.path, scalar(node, text))

    @staticmethod
    def match(title: str, nodes: Any) -> Node | None:
        wanted = _norm(title)
        return next((node for node in nodes if _norm(node.label) == wanted), None)

    def node(self, node: Node, path: str, region: Region) -> None:
        if node.kind == "section":
            self.container(node, path, region.blocks, region.children, region.trail)
        elif node.kind == "group":
            self.group(node, path, region)
        else:
            self.body(node, path, region.blocks, region.trail)
            for child in region.children:
                self.keep_region(child)

    # -- a section's fields --

    def container(self, node: Node, path: str, blocks: list[Block], subregions: list[Region], where: str) -> None:
        fields = node.children
        labelled = [f for f in fields if not f.heading and f.style in ("inline", "bullet", "labelled")
                    and (f.kind in _LABEL_KINDS or f.kind == "list")]
        bare_text = next((f for f in fields if f.style == "bare" and f.kind == "text" and not f.heading), None)
        bare_code = [f for f in fields if f.style == "bare" and f.kind == "code" and not f.heading]
        loose: list[str] = []
        pending_list: Node | None = None

        taken: set[str] = set()

        def take(entry: Labelled) -> Node | None:
            target = self.match(entry.label, labelled)
            if target is None or target.key in taken:  # unknown, or said twice: the first one counts
                self.keep(where, entry.line, entry.line + len(entry.lines))
                return None
            taken.add(target.key)
            if target.kind == "list":
                if entry.value:
                    self.put(f"{path}.{target.key}", [entry.value])
                    return None
                return target
            self.put(f"{path}.{target.key}", scalar(target, entry.value))
            return None

        for block in blocks:
            kind = block.kind
            if pending_list is not None and kind in ("bullet_list", "ordered_list"):
                self.put(f"{path}.{pending_list.key}", list_items(block, self.lines))
                pending_list = None
                continue
            pending_list = None
            if kind == "paragraph":
                before, entries = labelled_runs(paragraph_lines(block), block.start)
                if before:
                    if bare_text is not None:
                        loose.append("\n".join(unescape_line(line.strip()) for line in before))
                    else:
                        self.keep(where, block.start, block.start + len(before))
                for entry in entries:
                    pending_list = take(entry)
            elif kind == "bullet_list" and self.opens_with_label(block, labelled):
                for item in list_item_blocks(block):
                    lines = paragraph_lines(item[0]) if item and item[0].kind == "paragraph" else []
                    before, entries = labelled_runs(lines, item[0].start if item else block.start)
                    for entry in entries:
                        take(entry)
                    if before or len(entries) != 1 or len(item) > 1:
                        start = item[0].start if item else block.start
                        self.keep(where, start, max(b.end for b in item) if item else block.end)
            elif kind in ("fence", "code_block") and bare_code:
                target = bare_code.pop(0)
                self.put(f"{path}.{target.key}", scalar(target, fence_text(block)))
            elif kind == "table" and (table := self.match_table(fields, block)) is not None:
                self.put(f"{path}.{table.key}", self.rows(table, block, where))
            elif bare_text is not None and kind != "hr":
                loose.append("\n".join(unescape_line(line.rstrip()) for line in self.lines[block.start:block.end]))
            else:
                self.keep_block(where, block)
        if bare_text is not None and loose:
            self.put(f"{path}.{bare_text.key}", scalar(bare_text, "\n\n".join(loose)))
        headed = [f for f in fields if f.heading or f.kind == "section"]
        done: set[str] = set()
        for region in subregions:
            target = self.match(region.title, headed)
            if target is None or target.key in done:
                self.keep_region(region)
                continue
            done.add(target.key)
            self.node(target, f"{path}.{target.key}", region)

    def opens_with_label(self, block: Block, labelled: list[Node]) -> bool:
        """A bullet list of ``**Label**: value`` items (its first item names a field), not free text."""
        first = next(iter(list_item_blocks(block)), [])
        if not first or first[0].kind != "paragraph":
            return False
        found = label_of(paragraph_lines(first[0])[0].strip())
        return found is not None and (self.match(found[0], labelled) is not None or not labelled)

    @staticmethod
    def match_table(fields: tuple[Node, ...], block: Block) -> Node | None:
        headers = {_norm(h) for h in table_headers(block)}
        return next((f for f in fields if f.kind == "table" and {_norm(c.label) for c in f.children} & headers), None)

    # -- a field under its own heading --

    def body(self, node: Node, path: str, blocks: list[Block], where: str) -> None:
        rest = list(blocks)
        kind = node.kind
        if kind == "code":
            block = next((b for b in rest if b.kind in ("fence", "code_block")), None)
            if block is not None:
                rest.remove(block)
                self.put(path, scalar(node, fence_text(block)))
        elif kind == "table":
            block = next((b for b in rest if b.kind == "table"), None)
            if block is not None:
                rest.remove(block)
                self.put(path, self.rows(node, block, where))
        elif kind == "list":
            block = next((b for b in rest if b.kind in ("bullet_list", "ordered_list")), None)
            if block is not None:
                rest.remove(block)
                self.put(path, list_items(block, self.lines))
        elif kind == "checklist":
            rest = self.checklist(node, path, rest, where)
        elif kind == "signoff":
            rest = self.signoff(node, path, rest, where)
        elif kind in _LABEL_KINDS:
            texts = [b for b in rest if b.kind != "hr"]
            if texts:
                rest = [b for b in rest if b.kind == "hr"]
                joined = "\n\n".join(
                    "\n".join(unescape_line(line.rstrip()) for line in self.lines[b.start:b.end]) for b in texts
                )
                self.put(path, scalar(node, joined))
        for block in rest:
            self.keep_block(where, block)

    def checklist(self, node: Node, path: str, blocks: list[Block], where: str) -> list[Block]:
        rest: list[Block] = []
        ticks: dict[str, bool] = {}
        for block in blocks:
            if block.kind != "bullet_list":
                rest.append(block)
                continue
            for item, tokens in zip(list_item_blocks(block), list_item_opens(block), strict=True):
                inline = next((t for t in item[0].tokens if t.type == "inline"), None) if item else None
                is_task = "task-list-item" in str(tokens.attrs.get("class", ""))
                target = self.match(inline.content, node.children) if inline is not None and is_task else None
                if target is None or len(item) > 1:
                    start = item[0].start if item else block.start
                    self.keep(where, start, max(b.end for b in item) if item else block.end)
                    if target is None:
                        continue
                checkbox = (inline.children or [Token("text", "", 0)])[0]
                ticks[target.key] = 'checked="checked"' in checkbox.content
        for key, ticked in ticks.items():
            self.put(f"{path}.{key}", ticked)
        return rest

    def signoff(self, node: Node, path: str, blocks: list[Block], where: str) -> list[Block]:
        rest: list[Block] = []
        signed: set[str] = set()
        for block in blocks:
            if block.kind != "paragraph":
                rest.append(block)
                continue
            before, entries = labelled_runs(paragraph_lines(block), block.start)
            if before:
                self.keep(where, block.start, block.start + len(before))
            for entry in entries:
                role = self.match(entry.label, node.roles)
                if role is None or role.key in signed:
                    self.keep(where, entry.line, entry.line + len(entry.lines))
                    continue
                signed.add(role.key)
                parts = node.children
                values = entry.value.rsplit(" - ", len(parts) - 1) if entry.value else []
                if len(values) < len(parts):
                    values = [entry.value] if entry.value else []  # not split as the template does: keep it whole
                for part, text in zip(parts, values + [""] * (len(parts) - len(values)), strict=True):
                    self.put(f"{path}.{role.key}.{part.key}", scalar(part, text))
        return rest

    # -- tables --

    def rows(self, node: Node, block: Block, where: str) -> list[dict[str, Any]]:
        headers = table_headers(block)
        columns = [self.match(header, node.children) for header in headers]
        rows: list[dict[str, Any]] = []
        for number, (line, cells) in enumerate(table_body(block), start=1):
            row: dict[str, Any] = {column.key: "" for column in node.children}
            for column, header, cell in zip(columns, headers, cells, strict=False):
                text = cell_text(cell)
                if column is None:
                    if text:
                        self.unplaced.append(Unplaced(f"{where} > row {number} > {header}", line + 1, text))
                    continue
                row[column.key] = scalar(column, text)
            if any(not is_blank(value) for value in row.values()):
                rows.append(row)
        return rows

    # -- repeated sections --

    def group(self, node: Node, path: str, region: Region) -> None:
        for block in region.blocks:
            if not self.is_repeat_hint(node, block):
                self.keep_block(region.trail, block)
        title_node = node.child(node.title_field)
        items: list[Any] = []
        for child in region.children:
            index = len(items)
            item_path = f"{path}.{index}"
            self.draft.append_item(path)
            if title_node is not None:
                self.put(f"{item_path}.{title_node.key}", scalar(title_node, item_title(node, child.title)))
            blocks = [b for b in child.blocks if not self.is_repeat_hint(node, b)]
            self.container(node, item_path, blocks, child.children, child.trail)
            item = self.draft.get(item_path)
            if self.untouched(node, item):
                self.draft.remove_item(path, index)  # the template's "[Repeat structure ...]" stand-in
            else:
                items.append(item)

    @staticmethod
    def is_repeat_hint(node: Node, block: Block) -> bool:
        if not node.repeat_hint or block.kind != "paragraph":
            return False
        text = " ".join(paragraph_lines(block)).strip()
        return _norm(text) in (_norm(f"[{node.repeat_hint}]"), _norm(node.repeat_hint))

    @staticmethod
    def untouched(node: Node, item: Any) -> bool:
        """Nothing in the entry differs from a new one (or everything in it is blank)."""
        return to_plain(item) == to_plain(group_item(node)) or _all_blank(to_plain(item))


# -- token helpers --------------------------------------------------------------------------------------


def _all_blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_all_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_all_blank(v) for v in value)
    return is_blank(value) or value is False


def _ruamel(value: Any) -> Any:
    """Plain lists and dicts as ruamel containers, multi-line text as ``|`` blocks."""
    if isinstance(value, dict):
        return CommentedMap((k, _ruamel(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_ruamel(v) for v in value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


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
        depth = token.nesting
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


def list_items(block: Block, source: list[str]) -> list[str]:
    """A bullet list's items as lines of text (continuation lines kept as line breaks)."""
    items: list[str] = []
    for item, opening in zip(list_item_blocks(block), list_item_opens(block), strict=True):
        if len(item) == 1 and item[0].kind == "paragraph":
            lines = [_strip_break(line) for line in paragraph_lines(item[0])[:-1]] + \
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


def item_title(node: Node, heading: str) -> str:
    """``Integration 2: Stripe`` -> ``Stripe`` (the label and number come from the schema)."""
    text = heading.strip()
    label = node.item_label
    if label and _norm(text[: len(label)]) == _norm(label):
        rest = text[len(label) :]
        number, colon, title = rest.partition(":")
        if colon and (not number.strip() or number.strip().isalnum()):
            return title.strip()
    return text


def import_markdown(schema: Schema, text: str, today: dt.date | None = None) -> tuple[Draft, list[Unplaced]]:
    """A new draft holding what the document says, and what could not be placed in a field."""
    importer = MarkdownImporter(schema, text, today=today)
    draft = importer.run()
    return draft, importer.unplaced
