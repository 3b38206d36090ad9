"""Undo and redo across the draft: field edits, table rows, integrations; a deleted row or integration
comes back (on the screen and in the saved file); typing is one step per burst; a text editor keeps
its own ctrl+z; Escape in the row editor asks before dropping an edited row."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import Seen, editor, focus, new_file, opened, type_into, wait_for, wizard
from textual.widgets import DataTable, Input, OptionList, TextArea

from intwizard.core.store import read_plain
from intwizard.tui.autosave import Saved
from intwizard.tui.fields import field_id
from intwizard.tui.modals import ChoiceModal, TextPrompt
from intwizard.tui.row_editor import RowEditor
from intwizard.tui.session import Op
from intwizard.tui.undo import History

TABLE = "performance_and_scalability.performance_requirements"
GROUP = "external_system_integrations"


def grid_cells(app) -> list[str]:
    grid = app.screen.query_one(f"#{field_id(TABLE)}", DataTable)
    return [str(grid.get_row_at(i)[0]) for i in range(grid.row_count)]


def entry_titles(app) -> list[str]:
    entries = app.screen.query_one("#group-entries", OptionList)
    return [str(entries.get_option_at_index(i).prompt) for i in range(entries.option_count)]


def notes(app) -> str:
    return "\n".join(str(note.message) for note in app._notifications)


async def add_row(pilot, integration: str) -> None:
    await focus(pilot, TABLE)
    await pilot.press("a")
    await pilot.pause()
    await type_into(pilot, "integration", integration)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


async def test_undo_brings_back_a_deleted_row_and_redo_deletes_it_again(tmp_path: Path) -> None:
    seen = Seen(Saved)
    app = wizard(new_file(tmp_path / "d.yaml"), section="performance_and_scalability")
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await add_row(pilot, "Paylane")
        await add_row(pilot, "Shipwise")
        assert grid_cells(app) == ["Paylane", "Shipwise"]
        grid = app.screen.query_one(f"#{field_id(TABLE)}", DataTable)
        grid.focus()
        grid.move_cursor(row=0)
        await pilot.press("delete")
        await settle(pilot)
        assert grid_cells(app) == ["Shipwise"]
        assert "Row 1 deleted: ctrl+z brings it back" in notes(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert grid_cells(app) == ["Paylane", "Shipwise"]
        assert "Undone: delete of row 1 of Performance Requirements" in notes(app)
        assert app.focused is app.screen.query_one(f"#{field_id(TABLE)}", DataTable)
        assert app.focused.cursor_row == 0  # on the row that came back
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: seen.of(Saved))
        saved = read_plain(tmp_path / "d.yaml")["performance_and_scalability"]["performance_requirements"]
        assert [row["integration"] for row in saved] == ["Paylane", "Shipwise"]
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert grid_cells(app) == ["Shipwise"]


async def test_undo_reverses_a_row_edit_and_a_move_each_in_one_step(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="performance_and_scalability")
    async with app.run_test(size=(120, 40)) as pilot:
        await add_row(pilot, "A")
        await add_row(pilot, "B")
        await pilot.press("e")  # edit B: two columns at once
        await pilot.pause()
        await type_into(pilot, "integration", "C")
        await type_into(pilot, "response_time", "1 s")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+up")
        await settle(pilot)
        assert grid_cells(app) == ["C", "A"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert grid_cells(app) == ["A", "C"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert grid_cells(app) == ["A", "B"]
        rows = editor(app).session.draft.get(TABLE)
        assert rows[1]["response_time"] == ""
        await pilot.press("ctrl+z")  # the second row's add
        await settle(pilot)
        assert grid_cells(app) == ["A"]


async def test_undo_brings_back_a_deleted_integration_with_everything_in_it(tmp_path: Path,
                                                                           complete_yaml: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    before = read_plain(path)[GROUP]
    seen = Seen(Saved)
    app = wizard(opened(path), section=GROUP)
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        entries = app.screen.query_one("#group-entries", OptionList)
        entries.focus()
        entries.highlighted = 0
        await pilot.press("delete")
        await pilot.pause()
        assert "ctrl+z brings it back" in str(app.screen.query_one(".dialog-message").render())
        await pilot.click("#choice-delete")
        await settle(pilot)
        assert entry_titles(app) == ["Integration 1: Shipwise Rates API"]
        assert "Integration 1: Paylane Payments API deleted: ctrl+z brings it back" in notes(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert entry_titles(app) == ["Integration 1: Paylane Payments API", "Integration 2: Shipwise Rates API"]
        shown = app.screen.query_one(f"#{field_id(GROUP + '.0.name')}", Input)
        assert shown.value == "Paylane Payments API"  # its form is open again
        assert editor(app).session.draft.plain()[GROUP] == before
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: seen.of(Saved))
        assert read_plain(path)[GROUP] == before


async def test_undo_reverses_integration_add_rename_and_move(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section=GROUP)
    async with app.run_test(size=(120, 40)) as pilot:
        entries = app.screen.query_one("#group-entries", OptionList)
        for name in ("Bank", "Shop"):
            entries.focus()
            await pilot.press("a")
            await settle(pilot)
            await pilot.press(*name)
            await settle(pilot)
            entries = app.screen.query_one("#group-entries", OptionList)
        entries.focus()
        entries.highlighted = 1
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "Warehouse"
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#group-entries", OptionList).focus()
        await pilot.press("ctrl+up")
        await settle(pilot)
        assert entry_titles(app) == ["Integration 1: Warehouse", "Integration 2: Bank"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert entry_titles(app) == ["Integration 1: Bank", "Integration 2: Warehouse"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert entry_titles(app) == ["Integration 1: Bank", "Integration 2: Shop"]
        await pilot.press("ctrl+z", "ctrl+z")  # the name typed, then the add
        await settle(pilot)
        assert entry_titles(app) == ["Integration 1: Bank"]
        await pilot.press("ctrl+y", "ctrl+y")
        await settle(pilot)
        assert entry_titles(app) == ["Integration 1: Bank", "Integration 2: Shop"]


async def test_a_wiped_field_comes_back(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "meta.feature_name", "Checkout")
        await pilot.press("ctrl+u")  # wipes the line in one key
        await pilot.pause()
        field = app.screen.query_one(f"#{field_id('meta.feature_name')}", Input)
        assert field.value == ""
        await pilot.press("ctrl+z")
        await settle(pilot)
        field = app.screen.query_one(f"#{field_id('meta.feature_name')}", Input)
        assert field.value == "Checkout"
        assert app.focused is field
        assert editor(app).session.draft.get("meta.feature_name") == "Checkout"
        await pilot.press("ctrl+z")  # the word typed is one step
        await settle(pilot)
        assert app.screen.query_one(f"#{field_id('meta.feature_name')}", Input).value == ""
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "Nothing to undo" in notes(app)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.screen.query_one(f"#{field_id('meta.feature_name')}", Input).value == "Checkout"


async def test_ctrl_z_in_a_text_editor_is_its_own_undo_and_the_palette_undoes_the_draft(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "meta.author", "Grace")
        screen = editor(app)
        text_path = next(node.path for node in screen.schema.walk() if node.kind == "text")
        screen.goto(text_path.split(".")[0])
        await settle(pilot)
        await type_into(pilot, text_path, "Hello", clear=False)
        area = app.screen.query_one(f"#{field_id(text_path)}", TextArea)
        assert area.text.startswith("Hello")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not area.text.startswith("Hello")  # the editor's own undo
        assert screen.session.draft.get("meta.author") == "Grace"  # the draft's other edits stay
        steps = len(screen.history.done)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Undo")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert len(screen.history.done) < steps


async def test_escape_on_an_edited_row_asks_before_dropping_it(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="performance_and_scalability")
    async with app.run_test(size=(120, 40)) as pilot:
        await add_row(pilot, "Paylane")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")  # nothing changed yet: closes at once
        await pilot.pause()
        assert not isinstance(app.screen, RowEditor)
        await pilot.press("e")
        await pilot.pause()
        await type_into(pilot, "integration", "Shipwise")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert "Discard" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("escape")  # no answer: back to the row, as typed
        await pilot.pause()
        assert isinstance(app.screen, RowEditor)
        assert app.screen.query_one(f"#{field_id('integration')}", Input).value == "Shipwise"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#choice-discard")
        await pilot.pause()
        assert not isinstance(app.screen, RowEditor | ChoiceModal)
        assert grid_cells(app) == ["Paylane"]


def test_history_keeps_well_over_a_hundred_steps_and_merges_typing_only() -> None:
    clock = [0.0]
    history = History(clock=lambda: clock[0])
    for index in range(150):
        clock[0] += 5
        history.record(Op("set", f"f{index}", "x"), [Op("set", f"f{index}", "")], f"f{index}")
    assert len(history.done) == 150
    history.record(Op("set", "f149", "xy"), [Op("set", "f149", "x")], "f149")  # typing on, at once
    assert len(history.done) == 150
    clock[0] += 5
    history.record(Op("set", "f149", "xyz"), [Op("set", "f149", "xy")], "f149")  # after a pause
    assert len(history.done) == 151
    clock[0] += 0.1
    history.record(Op("set", "f149", ""), [Op("set", "f149", "xyz")], "f149")  # wiped: its own step
    assert len(history.done) == 152
    undone = [history.undo() for _ in range(152)]
    assert all(undone) and history.undo() is None
    assert undone[-1].inverse == [Op("set", "f0", "")]
