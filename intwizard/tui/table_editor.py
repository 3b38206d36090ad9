"""One table widget for every table of the template, its columns read from the schema.

| Key | Action |
| --- | --- |
| a / insert | Add a row |
| enter / e | Edit the row (in :class:`~intwizard.tui.row_editor.RowEditor`) |
| d | Duplicate the row |
| delete / x | Delete the row |
| ctrl+up / shift+up | Move the row up |
| ctrl+down / shift+down | Move the row down |

The buttons under the table do the same with the mouse (double-click a row to edit it).
Each change posts :class:`~intwizard.tui.messages.Edited` with the op for the draft, and the table
shows the rows the screen hands back (see :mod:`intwizard.tui.list_editor`). To edit a row it posts
:class:`TableEditor.RowEditRequested`, which the screen answers by opening the row editor: the row
editor builds its fields with the form's own widgets, so the table does not import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, DataTable

from intwizard.core.schema import Node
from intwizard.core.values import as_text
from intwizard.tui.columns_note import ColumnsNote
from intwizard.tui.fields import Field, field_id
from intwizard.tui.list_editor import ListEditor
from intwizard.tui.session import Op

#: A cell longer than this is cut in the grid (the row editor shows all of it).
CELL_WIDTH = 24


def plain_rows(value: Any) -> list[dict[str, str]]:
    rows = value if isinstance(value, list) else []
    return [{str(k): as_text(v) for k, v in row.items()} if isinstance(row, dict) else {} for row in rows]


class TableEditor(ListEditor):
    """A DataTable of the rows plus Add / Edit / Duplicate / Delete / Up / Down."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,insert", "add_row", "Add row"),
        Binding("e", "edit_row", "Edit row", show=False),
        Binding("d", "duplicate_row", "Duplicate", show=False),
        Binding("delete,x", "delete_row", "Delete row"),
        Binding("ctrl+up,shift+up", "move_row(-1)", "Move up", show=False),
        Binding("ctrl+down,shift+down", "move_row(1)", "Move down", show=False),
    ]

    @dataclass
    class RowEditRequested(Message):
        """Open the row editor on row ``index`` of the table (None: a new row); the screen calls
        :meth:`answer` with the row saved, or None when the author cancelled."""

        table_editor: TableEditor
        index: int | None
        row: dict[str, str] | None
        """The row as the table shows it (None: a new row)."""
        title: str

        @property
        def control(self) -> TableEditor:
            return self.table_editor

        @property
        def node(self) -> Node:
            """The table's node: its children are the columns."""
            return self.table_editor.node

        def answer(self, row: dict[str, Any] | None) -> None:
            self.table_editor.row_edited(self.index, row)

    def __init__(self, node: Node, path: str, value: Any, *, id: str | None = None) -> None:
        super().__init__(node, path, classes="table-editor", id=id)
        self.rows = plain_rows(value)
        """The rows as the draft last handed them down (never edited here)."""

    def compose(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id=field_id(self.path))
        yield table
        yield ColumnsNote(table)
        with Horizontal(classes="table-buttons"):
            for label, action in (("Add", "add"), ("Edit", "edit"), ("Duplicate", "duplicate"),
                                  ("Delete", "delete"), ("↑", "up"), ("↓", "down")):
                yield Button(label, name=action, compact=True, classes=f"table-button table-{action}")

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        for column in self.node.children:
            self.table.add_column(Text(column.label), key=column.key)
        self.refill()

    def given(self, value: Any) -> None:
        cursor = self.take_cursor()
        rows = plain_rows(value)
        if rows != self.rows:
            self.rows = rows
            self.refill(self.table.cursor_row if cursor is None else cursor)
        elif cursor is not None:
            self.refill(cursor)

    def refill(self, cursor: int | None = None) -> None:
        table = self.table
        table.clear()
        for row in self.rows:
            table.add_row(*(Text(_cut(row.get(c.key, ""))) for c in self.node.children))
        if not self.rows:
            table.add_row(Text("(no rows: a or Add)", style="italic"), *(Text("") for _ in self.node.children[1:]))
        if cursor is not None and self.rows:
            table.move_cursor(row=max(0, min(cursor, len(self.rows) - 1)))

    @property
    def current(self) -> int | None:
        if not self.rows:
            return None
        return max(0, min(self.table.cursor_row, len(self.rows) - 1))

    # -- actions -------------------------------------------------------------------------------------

    def action_add_row(self) -> None:
        self.post_message(self.RowEditRequested(self, None, None, f"New row: {self.node.label}"))

    def action_edit_row(self) -> None:
        index = self.current
        if index is None:
            self.action_add_row()
            return
        self.post_message(self.RowEditRequested(self, index, self.rows[index], f"Row {index + 1}: {self.node.label}"))

    def row_edited(self, index: int | None, row: dict[str, Any] | None) -> None:
        """The row editor's answer for row ``index`` (None: a new row): the row saved, or None."""
        if row is None:
            return
        if index is None:
            self.post_op(Op("append", self.path, row), cursor=len(self.rows))
        else:
            changes = 0
            for column in self.node.children:
                new = row.get(column.key, "")
                if new != self.rows[index].get(column.key, ""):
                    # the row's columns are one change (one undo step)
                    self.post_op(Op("set", f"{self.path}.{index}.{column.key}", new), join=changes > 0, cursor=index)
                    changes += 1
        self.table.focus()

    def action_duplicate_row(self) -> None:
        index = self.current
        if index is None:
            return
        self.post_op(Op("duplicate", self.path, index=index), cursor=index + 1)

    def action_delete_row(self) -> None:
        index = self.current
        if index is None:
            return
        self.post_op(Op("remove", self.path, index=index), cursor=index)
        self.notify(f"Row {index + 1} deleted: ctrl+z brings it back", timeout=4)

    def action_move_row(self, offset: int) -> None:
        index = self.current
        if index is None or not 0 <= index + offset < len(self.rows):
            return
        self.post_op(Op("move", self.path, index=index, offset=offset), cursor=index + offset)

    # -- mouse -----------------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_row()  # enter, or a click on the highlighted row

    @on(Button.Pressed, ".table-add")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add_row()

    @on(Button.Pressed, ".table-edit")
    def _edit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_edit_row()

    @on(Button.Pressed, ".table-duplicate")
    def _duplicate_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_duplicate_row()

    @on(Button.Pressed, ".table-delete")
    def _delete_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_delete_row()

    @on(Button.Pressed, ".table-up")
    def _up_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_move_row(-1)

    @on(Button.Pressed, ".table-down")
    def _down_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_move_row(1)


def _cut(text: str) -> str:
    line = text.replace("\n", " ")
    return line if len(line) <= CELL_WIDTH else line[: CELL_WIDTH - 1] + "…"


class TableField(Field):
    """A table in a form: its label, the table editor, the help text."""

    def controls(self) -> Iterable[Widget]:
        yield TableEditor(self.node, self.path, self.value)

    def help_text(self) -> str:
        return ((self.node.help + " ") if self.node.help else "") + "Keys: a add, enter edit, d duplicate, " \
            "del delete, ctrl+↑/↓ move."
