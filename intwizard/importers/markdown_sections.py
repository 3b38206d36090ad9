"""Laying the document's structure onto the schema's: title, sections, their fields, repeated groups.

A heading is matched to a section or field by its label, and a section's paragraphs, labelled
lists, fences and tables go to the fields they name. Whatever matches nothing (or repeats a heading
already used) is kept as unplaced, with the trail of headings it sat under.
"""

from __future__ import annotations

from typing import Any

from intwizard.core.draft import Draft, group_item
from intwizard.core.schema import Node
from intwizard.core.values import is_blank
from intwizard.core.yamlio import to_plain
from intwizard.importers import keep_layout, keep_unplaced
from intwizard.importers.markdown_fields import FieldReader
from intwizard.importers.markdown_labels import (
    LABELLED_KINDS,
    Labelled,
    item_title,
    label_of,
    labelled_runs,
    match_label,
    norm_label,
    table_for_headers,
)
from intwizard.importers.markdown_tree import Block, Region, list_item_blocks, paragraph_lines, regions
from intwizard.importers.markdown_values import list_items, scalar, unescape_line


class MarkdownImporter(FieldReader):
    """Fill a new draft from one Markdown document."""

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
        self.anchor = ("", front[0].key if front else "")  # an unknown section goes after the one before it
        for region in candidates:
            section = match_label(region.title, [s for s in self.schema.sections if s.heading])
            if section is None or section.key in seen:
                self.keep_region(region)
                continue
            seen.add(section.key)
            self.node(section, section.key, region)
            self.anchor = ("", section.key)
        keep_unplaced(self.draft, self.unplaced)
        keep_layout(self.draft, self.layout)
        self.draft.changed = False
        return self.draft

    def title(self, region: Region) -> None:
        node = self.schema.title_field
        if node is None:
            return
        text = region.title
        prefix = self.schema.document_title
        if norm_label(text[: len(prefix)]) == norm_label(prefix):
            text = text[len(prefix) :].lstrip().lstrip("-–—:").strip()
        self.put(node.path, scalar(node, text))

    def node(self, node: Node, path: str, region: Region) -> None:
        if node.kind == "section":
            self.container(node, path, region.blocks, region.children, region.trail)
        elif node.kind == "group":
            self.group(node, path, region)
        else:
            self.body(node, path, region.blocks, region.trail)
            saved, self.anchor = self.anchor, (path, "")  # after the field's own block
            for child in region.children:
                self.keep_region(child)
            self.anchor = saved

    # -- a section's fields --

    def container(self, node: Node, path: str, blocks: list[Block], subregions: list[Region], where: str) -> None:
        saved, self.anchor = self.anchor, (path, "")
        try:
            self._container(node, path, blocks, subregions, where)
        finally:
            self.anchor = saved

    def follows(self, path: str, key: str) -> None:
        """What is kept from now on in ``path`` goes back after the field ``key``."""
        self.anchor = (path, key)

    def _container(self, node: Node, path: str, blocks: list[Block], subregions: list[Region], where: str) -> None:
        fields = node.children
        labelled = [f for f in fields if not f.heading and f.style in ("inline", "bullet", "labelled")
                    and (f.kind in LABELLED_KINDS or f.kind == "list")]
        bare_text = next((f for f in fields if f.style == "bare" and f.kind == "text" and not f.heading), None)
        bare_code = [f for f in fields if f.style == "bare" and f.kind == "code" and not f.heading]
        loose: list[str] = []
        pending_list: Node | None = None

        taken: set[str] = set()

        def take(entry: Labelled, join: str = "") -> Node | None:
            target = match_label(entry.label, labelled)
            if target is None or target.key in taken:  # unknown, or said twice: the first one counts
                self.keep(where, entry.line, entry.line + len(entry.lines), join)
                return None
            taken.add(target.key)
            self.follows(path, target.key)
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
                for number, entry in enumerate(entries):
                    # A label line after one the paragraph already had continues that paragraph.
                    pending_list = take(entry, "line" if number or before else "")
            elif kind == "bullet_list" and self.opens_with_label(block, labelled):
                for number, item in enumerate(list_item_blocks(block)):
                    lines = paragraph_lines(item[0]) if item and item[0].kind == "paragraph" else []
                    before, entries = labelled_runs(lines, item[0].start if item else block.start)
                    if before or len(entries) != 1 or len(item) > 1:
                        known = [entry for entry in entries if match_label(entry.label, labelled) is not None]
                        start = item[0].start if item else block.start
                        end = max(b.end for b in item) if item else block.end
                        if not known:  # a list item of its own: it goes back into the list after the item before it
                            self.keep(where, start, end, "item" if number else "")
                            continue
                        if before:  # lines of the item before its first label
                            self.keep(where, start, start + len(before), "item" if number else "")
                        for entry in entries:
                            take(entry, "item" if number or before else "")
                        self.keep_nested(where, item[1:])  # what the item holds goes back under it
                    else:
                        take(entries[0], "item" if number else "")
            elif kind in ("fence", "code_block") and bare_code:
                target = bare_code.pop(0)
                self.code(target, f"{path}.{target.key}", block)
                self.follows(path, target.key)
            elif kind == "table" and (table := table_for_headers(fields, block)) is not None:
                self.put(f"{path}.{table.key}", self.rows(table, block, where, f"{path}.{table.key}"))
                self.follows(path, table.key)
            elif bare_text is not None and kind != "hr":
                loose.append("\n".join(unescape_line(line.rstrip()) for line in self.lines[block.start:block.end]))
            else:
                self.keep_block(where, block)
        if bare_text is not None and loose:
            self.put(f"{path}.{bare_text.key}", scalar(bare_text, "\n\n".join(loose)))
        headed = [f for f in fields if f.heading or f.kind == "section"]
        done: set[str] = set()
        for region in subregions:
            heading = match_label(region.title, headed)
            if heading is None or heading.key in done:
                self.keep_region(region)
                continue
            done.add(heading.key)
            self.node(heading, f"{path}.{heading.key}", region)
            self.follows(path, heading.key)

    def opens_with_label(self, block: Block, labelled: list[Node]) -> bool:
        """A bullet list of ``**Label**: value`` items (its first item names a field), not free text."""
        first = next(iter(list_item_blocks(block)), [])
        if not first or first[0].kind != "paragraph":
            return False
        found = label_of(paragraph_lines(first[0])[0].strip())
        return found is not None and (match_label(found[0], labelled) is not None or not labelled)

    # -- repeated sections --

    def group(self, node: Node, path: str, region: Region) -> None:
        saved, self.anchor = self.anchor, (path, "")  # before its first entry
        for block in region.blocks:
            if not self.is_repeat_hint(node, block):
                self.keep_block(region.trail, block)
        self.anchor = saved
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
        return norm_label(text) in (norm_label(f"[{node.repeat_hint}]"), norm_label(node.repeat_hint))

    @staticmethod
    def untouched(node: Node, item: Any) -> bool:
        """Nothing in the entry differs from a new one (or everything in it is blank)."""
        return to_plain(item) == to_plain(group_item(node)) or _all_blank(to_plain(item))


def _all_blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_all_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_all_blank(v) for v in value)
    return is_blank(value) or value is False
