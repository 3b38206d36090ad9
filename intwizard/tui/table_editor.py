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
Each change posts :class:`~intwizard.tui.fields.Edited` with the op for the draft.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable

from intwizard.core.schema import Node
from intwizard.core.values import as_text
from intwizard.tui.columns_note import ColumnsNote
from intwizard.tui.fields import Edited, Field, field_id
from intwizard.tui.row_editor import RowEditor
from intwizard.tui.session import Op

#: A cell longer than this is cut in the grid (the row editor shows all of it).
CELL_WIDTH = 24


def plain_rows(value: Any) -> list[dict[str, str]]:
    rows = value if isinstance(value, list) else []
    return [{str(k): as_text(v) for k, v in row.items()} if isinstance(row, dict) else {} for row in rows]


class TableEditor(Vertical):
    """A DataTable of the rows plus Add / Edit / Duplicate / Delete / Up / Down."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,insert", "add_row", "Add row"),
        Binding("e", "edit_row", "Edit row", show=False),
        Binding("d", "duplicate_row", "Duplicate", show=False),
        Binding("delete,x", "delete_row", "Delete row"),
        Binding("ctrl+up,shift+up", "move_row(-1)", "Move up", show=False),
        Binding("ctrl+down,shift+down", "move_row(1)", "Move down", show=False),
    ]

    def __init__(self, node: Node, path: str, rows: list[dict[str, str]], *, id: str | None = None) -> None:
        super().__init__(classes="table-editor", id=id)
        self.node = node
        self.path = path
        self.rows = rows

    def compose(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id=field_id(self.path))
        yield table
        yield ColumnsNote(table)
        with Horizontal(classes="table-buttons"):
            for label, action in (("Add", "add"), ("Edit", "edit"), ("Duplicate", "duplicate"),
                                  ("Delete", "delete"), ("↑", "up"), ("↓", "down")):
                yield Button(label, name=action, compact=True, classes="table-button")

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        for column in self.node.children:
            self.table.add_column(Text(column.label), key=column.key)
        self.refill()

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

    def _suggestions(self) -> dict[str, list[str]]:
        """Names to offer in the row editor: the integrations, for a column that ``covers`` them. The
        editor screen knows the draft; a table shown elsewhere offers none."""
        names_of = getattr(self.screen, "entry_names", None)
        if names_of is None:
            return {}
        return {column.key: names_of(column.covers) for column in self.node.children if column.covers}

    def _post(self, op: Op, *, join: bool = False) -> None:
        self.post_message(Edited(op, join=join))

    # -- actions -------------------------------------------------------------------------------------

    def action_add_row(self) -> None:
        def added(row: dict[str, Any] | None) -> None:
            if row is None:
                return
            self.rows.append(row)
            self._post(Op("append", self.path, row))
            self.refill(len(self.rows) - 1)
            self.table.focus()

        self.app.push_screen(RowEditor(self.node, None, f"New row: {self.node.label}", self._suggestions()), added)

    def action_edit_row(self) -> None:
        index = self.current
        if index is None:
            self.action_add_row()
            return

        def edited(row: dict[str, Any] | None) -> None:
            if row is None:
                return
            changes = 0
            for column in self.node.children:
                new = row.get(column.key, "")
                if new != self.rows[index].get(column.key, ""):
                    # the row's columns are one change (one undo step)
                    self._post(Op("set", f"{self.path}.{index}.{column.key}", new), join=changes > 0)
                    changes += 1
            self.rows[index] = {**self.rows[index], **row}
            self.refill(index)
            self.table.focus()

        self.app.push_screen(RowEditor(self.node, self.rows[index], f"Row {index + 1}: {self.node.label}",
                                       self._suggestions()), edited)

    def action_duplicate_row(self) -> None:
        index = self.current
        if index is None:
            return
        self.rows.insert(index + 1, dict(self.rows[index]))
        self._post(Op("duplicate", self.path, index=index))
        self.refill(index + 1)

    def action_delete_row(self) -> None:
        index = self.current
        if index is None:
            return
        del self.rows[index]
        self._post(Op("remove", self.path, index=index))
        self.refill(index)
        self.notify(f"Row {index + 1} deleted: ctrl+z brings it back", timeout=4)

    def action_move_row(self, offset: int) -> None:
        index = self.current
        if index is None or not 0 <= index + offset < len(self.rows):
            return
        self.rows[index], self.rows[index + offset] = self.rows[index + offset], self.rows[index]
        self._post(Op("move", self.path, index=index, offset=offset))
        self.refill(index + offset)

    # -- mouse -----------------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_row()  # enter, or a click on the highlighted row

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"add": self.action_add_row, "edit": self.action_edit_row, "duplicate": self.action_duplicate_row,
                   "delete": self.action_delete_row, "up": lambda: self.action_move_row(-1),
                   "down": lambda: self.action_move_row(1)}
        actions[event.button.name or ""]()


def _cut(text: str) -> str:
    line = text.replace("\n", " ")
    return line if len(line) <= CELL_WIDTH else line[: CELL_WIDTH - 1] + "…"


class TableField(Field):
    """A table in a form: its label, the table editor, the help text."""

    def controls(self) -> Iterable[Widget]:
        yield TableEditor(self.node, self.path, plain_rows(self.value))

    def help_text(self) -> str:
        return ((self.node.help + " ") if self.node.help else "") + "Keys: a add, enter edit, d duplicate, " \
            "del delete, ctrl+↑/↓ move."
