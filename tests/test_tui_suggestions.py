"""Table cells that name an integration (a column that ``covers`` the integrations) suggest the
integrations' names as the author types; anything else may still be typed."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import choose, editor, focus, opened, wizard
from textual.widgets import Input

from intwizard.tui.fields import field_id
from intwizard.tui.row_editor import RowEditor

TABLE = "integration_security.authentication_and_authorization"


async def test_the_integration_column_suggests_the_integrations_names(tmp_path: Path, complete_yaml: Path,
                                                                       schema) -> None:
    method = schema.node(f"{TABLE}.auth_method")
    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section="integration_security")
    async with app.run_test(size=(120, 40)) as pilot:
        before = len(editor(app).session.draft.get(TABLE))
        await focus(pilot, TABLE)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RowEditor)
        cell = app.screen.query_one(f"#{field_id('integration')}", Input)
        assert app.focused is cell
        await pilot.press(*"ord")  # lower case: still offered
        await pilot.pause(0.2)
        line = "".join(segment.text for segment in cell.render_line(0))
        assert "ord" in line and "er Service" in line  # the rest shown after the cursor
        await pilot.press("right")  # takes it
        await pilot.pause()
        assert cell.value == "Order Service"
        await choose(pilot, "auth_method", "mTLS", method)
        await pilot.press("ctrl+s")
        await pilot.pause()
        rows = editor(app).session.draft.get(TABLE)
        assert len(rows) == before + 1 and rows[-1]["integration"] == "Order Service"

        await pilot.press("a")
        await pilot.pause()
        cell = app.screen.query_one(f"#{field_id('integration')}", Input)
        await pilot.press(*"Legacy FTP drop")  # a name no integration has: kept as typed
        await pilot.pause(0.2)
        await choose(pilot, "auth_method", "mTLS", method)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert editor(app).session.draft.get(TABLE)[-1]["integration"] == "Legacy FTP drop"
