"""Reading one field's blocks into the draft, and keeping whatever fits no field.

:class:`FieldReader` holds an import's state (the draft being filled, the source lines, the pieces
left unplaced) and fills a field from the blocks under its heading: code, tables, lists, checklists,
sign-off and text. Walking the document's sections onto the schema is its subclass's job, in
:mod:`intwizard.importers.markdown_sections`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from markdown_it.token import Token

from intwizard.core.draft import Draft
from intwizard.core.schema import Node, Schema
from intwizard.core.values import is_blank
from intwizard.core.yamlio import to_tree
from intwizard.importers import Unplaced
from intwizard.importers.markdown_labels import LABELLED_KINDS, labelled_runs, match_label
from intwizard.importers.markdown_tree import (
    Block,
    Region,
    fence_info,
    fence_text,
    list_item_blocks,
    list_item_opens,
    paragraph_lines,
    table_alignments,
    table_body,
    table_headers,
)
from intwizard.importers.markdown_values import (
    cell_text,
    code_span_content,
    list_items,
    scalar,
    unescape_html,
    unescape_line,
    unwrap_autolinks,
)


class FieldReader:
    """Fill a new draft's fields from the blocks of one Markdown document."""

    def __init__(self, schema: Schema, text: str, today: dt.date | None = None) -> None:
        self.schema = schema
        self.lines = text.split("\n")
        self.draft = Draft.new(schema, today=today)
        for auto in ("created", "updated"):  # importing is not editing: only the document's dates count
            node = schema.auto_field(auto)
            if node is not None:
                self.draft.set_value(node.path, "")
        self.unplaced: list[Unplaced] = []
        self.anchor: tuple[str, str] | None = None
        """(container path, key of the field last read there): where a piece kept now is written back."""
        self.layout: dict[str, dict[str, Any]] = {}
        """How the document wrote a field the template writes otherwise, by the field's path
        (``intwizard.layout``): a fence's ``language``, a table's column ``align``."""

    # -- bookkeeping --

    def source(self, start: int, end: int) -> str:
        return "\n".join(self.lines[start:end]).strip("\n")

    def keep(self, where: str, start: int, end: int, join: str = "") -> None:
        text = self.source(start, end)
        if text.strip():
            path, after = self.anchor if self.anchor is not None else (None, "")
            self.unplaced.append(Unplaced(where or "document information", start + 1, text, path, after,
                                          join if path is not None else ""))

    def keep_nested(self, where: str, blocks: list[Block]) -> None:
        """Blocks inside a list item whose own line was read into a field (a sub-list, a paragraph under
        ``- **Base URL**: ...`` or a checklist item): written back inside that item."""
        for block in blocks:
            self.keep(where, block.start, block.end, "nested")

    def keep_cell(self, where: str, line: int, text: str, path: str, after: str, join: str, column: str = "",
                  align: str = "") -> None:
        """A header (``join: column``, ``path`` the table's) or cell (``join: cell``, ``path`` the row's) of a
        column the template's table has not: written back as that column, after the column ``after``."""
        self.unplaced.append(Unplaced(where, line, text, path, after, join, column, align))

    def code(self, node: Node, path: str, block: Block) -> None:
        """A code field from its fence; a language other than the template's is recorded for the export."""
        self.put(path, scalar(node, fence_text(block)))
        info = fence_info(block)
        if node.language not in ("", "text") and not info:
            info = "text"  # the document names no language: the export does not claim one
        if info and info != (node.language or "text") and not is_blank(self.draft.get(path)):
            self.layout.setdefault(path, {})["language"] = info

    def keep_block(self, where: str, block: Block) -> None:
        self.keep(where, block.start, block.end)

    def keep_region(self, region: Region) -> None:
        self.keep(region.trail, region.line - 1, region.end)

    def put(self, path: str, value: Any) -> None:
        self.draft.set_value(path, to_tree(value, blocks=True))

    # -- a field under its own heading --

    def body(self, node: Node, path: str, blocks: list[Block], where: str) -> None:
        saved, self.anchor = self.anchor, (path, "")  # kept blocks go back after the field's own
        try:
            self._body(node, path, blocks, where)
        finally:
            self.anchor = saved

    def _body(self, node: Node, path: str, blocks: list[Block], where: str) -> None:
        rest = list(blocks)
        kind = node.kind
        if kind == "code":
            block = next((b for b in rest if b.kind in ("fence", "code_block")), None)
            if block is not None:
                rest.remove(block)
                self.code(node, path, block)
        elif kind == "table":
            block = next((b for b in rest if b.kind == "table"), None)
            if block is not None:
                rest.remove(block)
                self.put(path, self.rows(node, block, where, path))
        elif kind == "list":
            block = next((b for b in rest if b.kind in ("bullet_list", "ordered_list")), None)
            if block is not None:
                rest.remove(block)
                self.put(path, list_items(block, self.lines))
        elif kind == "checklist":
            rest = self.checklist(node, path, rest, where)
        elif kind == "signoff":
            rest = self.signoff(node, path, rest, where)
        elif kind in LABELLED_KINDS:
            texts = [b for b in rest if b.kind != "hr"]
            if texts:
                rest = [b for b in rest if b.kind == "hr"]
                joined = "\n\n".join(
                    "\n".join(unescape_line(line.rstrip()) for line in self.lines[b.start:b.end]) for b in texts
                )
                self.put(path, scalar(node, joined))
        read = [b.start for b in blocks if b not in rest]
        for block in rest:
            # Before the field's own block ("^": right under its heading) or after it.
            self.anchor = (path, "^" if read and block.start < min(read) else "")
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
                target = match_label(inline.content, node.children) if inline is not None and is_task else None
                if target is None:
                    start = item[0].start if item else block.start
                    end = max(b.end for b in item) if item else block.end
                    self.keep(where, start, end, join="item")  # after the item before it
                    continue
                self.anchor = (path, target.key)
                self.keep_nested(where, item[1:])  # its tick is read; what it holds goes back under it
                assert inline is not None  # a target is only matched on an inline
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
                role = match_label(entry.label, node.roles)
                if role is None or role.key in signed:
                    self.keep(where, entry.line, entry.line + len(entry.lines), join="line")
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

    def rows(self, node: Node, block: Block, where: str, path: str) -> list[dict[str, Any]]:
        """The table's rows. A column the template's table has not (or names twice) is kept: its header
        and cells go to ``intwizard.unmapped``, placed after the template column before it; the
        delimiter row's alignments go to ``intwizard.layout``."""
        headers = table_headers(block)
        aligns = table_alignments(block)
        aligns += [""] * (len(headers) - len(aligns))
        columns: list[Node | None] = []
        after: list[str] = []
        last = ""
        for header in headers:
            column = match_label(header, node.children)
            if column is not None and column in columns:
                column = None  # named twice: the first one is the field
            columns.append(column)
            after.append(last)
            last = column.key if column is not None else last
        align = {column.key: how for column, how in zip(columns, aligns, strict=True) if column is not None and how}
        if align:
            self.layout.setdefault(path, {})["align"] = align
        order = [column.key for column in columns if column is not None]
        if order and order != [column.key for column in node.children]:
            self.layout.setdefault(path, {})["columns"] = order  # another order, or columns left out: kept
        for column, header, how, before in zip(columns, headers, aligns, after, strict=True):
            if column is None:
                self.keep_cell(f"{where} > {header}", block.start + 1, _kept_cell(header) or header, path, before,
                               "column", align=how)
        rows: list[dict[str, Any]] = []
        for line, cells in table_body(block):
            row: dict[str, Any] = {column.key: "" for column in node.children}
            extra: list[tuple[str, str, str]] = []
            for column, header, cell, before in zip(columns, headers, cells, after, strict=False):
                text = cell_text(cell)
                if column is None:
                    if text:
                        extra.append((header, before, _kept_cell(text)))
                    continue
                if column.format != "code" or code_span_content(text) is None:
                    text = text.replace("\\\\|", "\\|")  # the author's own \| (the export doubles its backslash)
                row[column.key] = scalar(column, text)
            if any(not is_blank(value) for value in row.values()) or extra:
                for header, before, text in extra:
                    self.keep_cell(f"{where} > row {len(rows) + 1} > {header}", line + 1, text,
                                   f"{path}.{len(rows)}", before, "cell", column=_kept_cell(header) or header)
                rows.append(row)
        return rows


def _kept_cell(text: str) -> str:
    """A kept cell's text as the export's cells undo it (the author's ``\\|``, autolinks, ``&lt;``)."""
    return unescape_html(unwrap_autolinks(text.replace("\\\\|", "\\|")))
