"""The one table widget: columns from the schema, rows added, edited, duplicated, moved and deleted by
key and by mouse; the row editor validates once and returns the row, or nothing on cancel."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import editor, focus, new_file, type_into, wizard
from textual.widgets import DataTable, Static

from intwizard.tui.fields import field_id
from intwizard.tui.row_editor import RowEditor

TABLE = "performance_and_scalability.performance_requirements"


def rows(app) -> list[dict]:
    return [dict(row) for row in editor(app).session.draft.get(TABLE) or []]


async def add(pilot, integration: str, time: str = "") -> None:
    await focus(pilot, TABLE)
    await pilot.press("a")
    await pilot.pause()
    await type_into(pilot, "integration", integration)
    if time:
        await type_into(pilot, "response_time", time)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_columns_come_from_the_schema(tmp_path: Path, schema) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="performance_and_scalability")
    async with app.run_test(size=(120, 40)):
        grid = app.screen.query_one(f"#{field_id(TABLE)}", DataTable)
        assert [str(c.label) for c in grid.columns.values()] == [c.label for c in schema.node(TABLE).children]


async def test_rows_by_key(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="performance_and_scalability")
    async with app.run_test(size=(120, 40)) as pilot:
        await add(pilot, "A", "1 s")
        await add(pilot, "B")
        assert [r["integration"] for r in rows(app)] == ["A", "B"]
        grid = app.screen.query_one(f"#{field_id(TABLE)}", DataTable)
        assert grid.row_count == 2 and grid.cursor_row == 1
        await pilot.press("d")  # duplicate B
        await pilot.press("ctrl+up", "ctrl+up")  # the copy goes to the top
        await pilot.pause()
        assert [r["integration"] for r in rows(app)] == ["B", "A", "B"]
        await pilot.press("e")
        await pilot.pause()
        await type_into(pilot, "integration", "C")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [r["integration"] for r in rows(app)] == ["C", "A", "B"]
        assert rows(app)[1]["response_time"] == "1 s"
        grid.focus()
        await pilot.press("ctrl+down", "delete")
        await pilot.pause()
        assert [r["integration"] for r in rows(app)] == ["A", "B"]
        assert grid.row_count == 2


async def test_rows_by_mouse(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="performance_and_scalability")
    async with app.run_test(size=(120, 40)) as pilot:
        await add(pilot, "A")
        await add(pilot, "B")
        buttons = {b.name: b for b in app.screen.query(".table-button")}
        await pilot.click(buttons["up"])
        await pilot.pause()
        assert [r["integration"] for r in rows(app)] == ["B", "A"]
        await pilot.click(buttons["duplicate"])
        await pilot.click(buttons["delete"])
        await pilot.pause()
        assert [r["integration"] for r in rows(app)] == ["B", "A"]
        await pilot.click(buttons["edit"])
        await pilot.pause()
        assert isinstance(app.screen, RowEditor)
        await pilot.click("#row-cancel")
        await pilot.pause()
        await pilot.click(buttons["add"])
        await pilot.pause()
        assert isinstance(app.screen, RowEditor)


async def test_the_row_editor_validates_once_and_cancel_returns_nothing(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="integration_security")
    table = "integration_security.authentication_and_authorization"
    async with app.run_test(size=(120, 40)) as pilot:
        await focus(pilot, table)
        await pilot.press("a")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, RowEditor)
        await type_into(pilot, "token_management", "hourly")
        await pilot.press("ctrl+s")  # Integration and Auth Method are required
        await pilot.pause()
        assert app.screen is modal
        errors = [str(s.render()) for s in modal.query(".field-error").results(Static) if s.display]
        assert errors == ["⚠ required", "⚠ required"]
        assert any("2 fields to fix" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RowEditor)
        assert editor(app).session.draft.get(table) in ([], None)
        assert not editor(app).session.pending


async def test_ctrl_z_in_the_row_editor_takes_back_typing_a_word_at_a_time(tmp_path: Path) -> None:
    from test_tui_view import screen_text

    app = wizard(new_file(tmp_path / "d.yaml"), section="performance_and_scalability")
    async with app.run_test(size=(120, 40)) as pilot:
        await focus(pilot, TABLE)
        await pilot.press("a")
        await pilot.pause()
        await type_into(pilot, "integration", "Paylane auth")
        assert "Paylane auth" in screen_text(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Paylane auth" not in screen_text(app) and "Paylane " in screen_text(app)
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        assert "Paylane" not in screen_text(app)
        assert any("Nothing to undo" in n.message for n in app._notifications)
        await pilot.press("ctrl+y", "ctrl+y")
        await pilot.pause()
        assert "Paylane auth" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert rows(app)[0]["integration"] == "Paylane auth"
