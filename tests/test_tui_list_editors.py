"""The widgets that edit the draft, each alone in a tiny app: a field's edit carries the widget that
made it; a table and a group's entries show the list they are given, never a copy they changed
themselves; a table asks for its row editor instead of opening it; the row editor saves what its
boxes hold, the last key typed included.

The app here plays the screen: it keeps the messages and applies nothing unless a test says so."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Input

from intwizard.core.schema import load_schema
from intwizard.tui.fields import LineField, field_id
from intwizard.tui.groups import EntryList, GroupEditor
from intwizard.tui.messages import Edited
from intwizard.tui.row_editor import RowEditor
from intwizard.tui.session import Op
from intwizard.tui.table_editor import TableEditor

TABLE = "performance_and_scalability.performance_requirements"
GROUP = "external_system_integrations"


class Harness(App[None]):
    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget
        self.seen: list[Message] = []
        self.by_selector: list[Edited] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_edited(self, event: Edited) -> None:
        self.seen.append(event)

    @on(Edited, ".field-line")
    def line_edited(self, event: Edited) -> None:
        self.by_selector.append(event)

    def on_table_editor_row_edit_requested(self, event: TableEditor.RowEditRequested) -> None:
        self.seen.append(event)

    def on_group_editor_show(self, event: GroupEditor.Show) -> None:
        self.seen.append(event)

    def ops(self) -> list[Op]:
        return [message.op for message in self.seen if isinstance(message, Edited)]


def cells(table: DataTable) -> list[str]:
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_an_edit_carries_the_field_that_made_it_and_is_picked_by_selector() -> None:
    node = load_schema().node("meta.author")
    field = LineField(node, "meta.author", "")
    app = Harness(field)
    async with app.run_test() as pilot:
        app.query_one(f"#{field_id('meta.author')}", Input).focus()
        await pilot.press("A", "d", "a")
        await pilot.pause()
        assert [op.value for op in app.ops()] == ["A", "Ad", "Ada"]
        assert all(message.control is field for message in app.seen)
        assert app.by_selector == app.seen  # @on(Edited, ".field-line") finds them by the field's class


async def test_a_table_shows_the_rows_it_is_given_not_a_copy_it_changed() -> None:
    node = load_schema().node(TABLE)
    rows = [{"integration": "A"}, {"integration": "B"}]
    table_editor = TableEditor(node, TABLE, rows)
    app = Harness(table_editor)
    async with app.run_test(size=(120, 30)) as pilot:
        grid = app.query_one(DataTable)
        grid.focus()
        await pilot.press("d")  # duplicate A: the draft (here, nobody) has not applied it yet
        await pilot.pause()
        assert cells(grid) == ["A", "B"]
        assert app.ops() == [Op("duplicate", TABLE, index=0)]
        assert app.seen[0].control is table_editor
        table_editor.given([{"integration": "A"}, {"integration": "A"}, {"integration": "B"}])  # applied
        await pilot.pause()
        assert cells(grid) == ["A", "A", "B"] and grid.cursor_row == 1  # the cursor on the copy
        await pilot.press("delete")
        await pilot.pause()
        assert app.ops()[-1] == Op("remove", TABLE, index=1)
        assert cells(grid) == ["A", "A", "B"]  # still what the draft holds


async def test_a_table_asks_for_its_row_editor_and_posts_the_answer() -> None:
    node = load_schema().node(TABLE)
    table_editor = TableEditor(node, TABLE, [{"integration": "A", "response_time": "1 s"}])
    app = Harness(table_editor)
    async with app.run_test(size=(120, 30)) as pilot:
        app.query_one(DataTable).focus()
        await pilot.press("a")
        await pilot.pause()
        asked = app.seen[-1]
        assert isinstance(asked, TableEditor.RowEditRequested)
        assert asked.control is table_editor and asked.index is None and asked.title.startswith("New row")
        assert len(app.screen_stack) == 1  # the table opened nothing itself
        asked.answer({"integration": "B"})
        await pilot.press("e")  # edit row 1: only the changed column is set
        await pilot.pause()
        edit = app.seen[-1]
        assert isinstance(edit, TableEditor.RowEditRequested) and edit.index == 0 and edit.row is not None
        edit.answer({**edit.row, "response_time": "2 s"})
        await pilot.pause()
        assert app.ops() == [Op("append", TABLE, {"integration": "B"}),
                             Op("set", f"{TABLE}.0.response_time", "2 s")]


async def test_a_group_shows_the_entries_it_is_given() -> None:
    node = load_schema().node(GROUP)
    items: list[dict[str, Any]] = [{"name": "Paylane"}, {"name": "Shipwise"}]
    group_editor = GroupEditor(node, items, 0)
    app = Harness(group_editor)
    async with app.run_test(size=(120, 30)) as pilot:
        entries = app.query_one(EntryList)
        entries.focus()
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert app.ops() == [Op("move", GROUP, index=0, offset=1)]
        shows = [message for message in app.seen if isinstance(message, GroupEditor.Show)]
        assert [(show.control, show.index) for show in shows] == [(group_editor, 1)]

        def titles() -> list[str]:
            return [str(entries.get_option_at_index(i).prompt) for i in range(entries.option_count)]

        assert titles() == ["Integration 1: Paylane", "Integration 2: Shipwise"]  # not applied yet
        group_editor.given([{"name": "Shipwise"}, {"name": "Paylane"}])
        await pilot.pause()
        assert titles() == ["Integration 1: Shipwise", "Integration 2: Paylane"] and entries.highlighted == 1
        assert group_editor.follows(f"{GROUP}.1.{node.title_field}")  # a rename in the form is followed
        assert not group_editor.follows(f"{GROUP}.1.purpose")  # other fields of an entry are not


async def test_the_row_editor_saves_what_its_boxes_hold_even_before_their_messages_arrive() -> None:
    # ctrl+s is a priority key: it can run before the Changed messages of the keys typed just before
    # it reach their fields. What the author sees in the box is what is saved (or refused).
    node = load_schema().node(TABLE)
    app = Harness(TableEditor(node, TABLE, []))
    saved: list[dict[str, Any] | None] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(RowEditor(node, {"integration": "Start"}, "Row 1"), saved.append)
        await pilot.pause()
        modal = app.screen
        box = modal.query_one(f"#{field_id('integration')}", Input)
        box.value = "Paylane"  # in the box; its Changed message not handled yet
        assert isinstance(modal, RowEditor)
        modal.action_save_row()
        await pilot.pause()
        assert saved and saved[0] is not None and saved[0]["integration"] == "Paylane"

        app.push_screen(RowEditor(node, {"integration": "Start"}, "Row 1"), saved.append)
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, RowEditor)
        modal.query_one(f"#{field_id('integration')}", Input).value = ""  # wiped (ctrl+u) and saved at once
        modal.action_save_row()
        await pilot.pause()
        assert len(saved) == 1 and app.screen is modal  # refused: the column is required
        assert [note.title for note in app._notifications] == ["Row not saved"]
