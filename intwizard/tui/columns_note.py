"""The line under a table that is wider than its place: how many columns it has and which are in
view, so a hidden column is never a surprise. Empty (one blank line) when every column shows."""

from __future__ import annotations

from textual.widgets import DataTable, Static


def columns_in_view(table: DataTable) -> tuple[int, int, int]:
    """(first, last, total): the 1-based numbers of the columns wholly in view, and how many there are."""
    widths = [column.get_render_width(table) for column in table.columns.values()]
    left, right = table.scroll_x, table.scroll_x + table.scrollable_content_region.width
    first = last = 0
    position = 0
    for number, width in enumerate(widths, 1):
        if position >= left and position + width <= right:
            first = first or number
            last = number
        position += width
    return first, last, len(widths)


class ColumnsNote(Static):
    """Says "columns 1-3 of 4 in view: ←/→ scroll" while some column is out of view."""

    def __init__(self, table: DataTable) -> None:
        super().__init__("", classes="columns-note")
        self.table = table

    def on_mount(self) -> None:
        self.watch(self.table, "scroll_x", self.recount, init=False)
        self.watch(self.table, "virtual_size", self.recount, init=False)

    def on_resize(self) -> None:
        self.recount()

    def recount(self, *_: object) -> None:
        self.call_after_refresh(self._recount)  # once the table has its width

    def _recount(self) -> None:
        if not self.table.scrollable_content_region.width:
            return
        first, last, total = columns_in_view(self.table)
        if total and (first, last) != (1, total):
            shown = f"column {first}" if first == last else f"columns {first}-{last}"
            more = "◀ ▶" if first > 1 and last < total else ("▶" if last < total else "◀")
            self.update(f"{more} {shown} of {total} in view: ←/→ scroll the table")
            self.display = True
        else:
            self.display = False
