"""A table cell may hold several lines, and every part of intwizard agrees: `intwizard set` (``\\n``),
the plain prompts (``\\n`` on the cell's one line), the wizard's row editor (``\\n`` in the cell's box),
`check`, the export (``<br>``) and the import (``<br>`` back to a line break). Other one-line fields
still take one line only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_prompts_driver import CLEAR, ENTER, User, copy_fixture, run_part
from test_tui_support import editor, focus, new_file, wizard
from textual.widgets import Input

from intwizard.core.checks import findings
from intwizard.core.render import render
from intwizard.core.store import open_draft, read_plain
from intwizard.core.values import problem
from intwizard.importers.markdown import import_markdown
from intwizard.tui.fields import field_id
from intwizard.tui.row_editor import RowEditor

CELL = "external_system_integrations.0.api_endpoints.0.purpose"
TABLE = "performance_and_scalability.performance_requirements"
CLI = [sys.executable, "-m", "intwizard"]


def test_every_column_of_every_table_is_a_cell_and_nothing_else_is(schema) -> None:
    def walk(nodes, in_table=False):
        for node in nodes:
            assert node.cell is in_table, node.path
            walk(node.children, node.kind == "table")
    walk(schema.sections)
    assert problem(schema.node("external_system_integrations.api_endpoints.purpose"), "a\nb") is None
    assert problem(schema.node("external_system_integrations.purpose"), "a\nb") == "one line only"


def test_set_check_export_and_import_agree_on_a_multi_line_cell(schema, complete_yaml, tmp_path: Path) -> None:
    draft = copy_fixture(complete_yaml, tmp_path / "spec.yaml")
    result = subprocess.run([*CLI, "set", str(draft), f"{CELL}=Authorise one part\\nretried once"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    data = read_plain(draft)
    assert data["external_system_integrations"][0]["api_endpoints"][0]["purpose"] == \
        "Authorise one part\nretried once"
    assert "purpose: |-\n          Authorise one part\n          retried once\n" in draft.read_text(encoding="utf-8")
    assert [f for f in findings(schema, data) if "api_endpoints" in f.path] == []
    check = subprocess.run([*CLI, "check", str(draft)], capture_output=True, text=True)
    assert check.returncode == 0 and "one line" not in check.stdout + check.stderr
    exported = render(schema, data)
    assert "| Authorise one part<br>retried once |" in exported
    again, _ = import_markdown(schema, exported)
    assert again.plain()["external_system_integrations"][0]["api_endpoints"][0]["purpose"] == \
        "Authorise one part\nretried once"
    # A field outside a table still takes one line: refused, nothing written.
    before = draft.read_bytes()
    refused = subprocess.run([*CLI, "set", str(draft), "external_system_integrations.0.purpose=a\\nb"],
                             capture_output=True, text=True)
    assert refused.returncode == 2 and "one line only" in refused.stderr
    assert draft.read_bytes() == before


def test_the_prompts_take_and_show_a_cells_line_breaks_as_backslash_n(schema, complete_yaml, tmp_path,
                                                                       monkeypatch) -> None:
    path = copy_fixture(complete_yaml, tmp_path / "rows.yaml")
    draft_file = open_draft(path, schema)
    draft_file.draft.set_value(f"{TABLE}.0.availability", "99.95%\nmonthly")
    draft_file.save()
    table = schema.node(TABLE)
    user = User([
        "3\r", "1\r",                                   # what next? change a row; which? row 1
        ENTER, CLEAR + "p99 800 ms\\nat peak\r", ENTER,  # integration kept, response time with a break
        ENTER,                                          # availability: its two lines kept as they are
        ENTER,                                          # what next? keep these rows and go on
    ])
    run_part(user, monkeypatch, lambda walk: walk.table(table, table.path), open_draft(path, schema))
    asked = {prompt.message: prompt for prompt in user.asked}
    assert asked["Availability"].default == "99.95%\\nmonthly"  # the line break as it is typed
    row = read_plain(path)["performance_and_scalability"]["performance_requirements"][0]
    assert row["response_time"] == "p99 800 ms\nat peak"
    assert row["availability"] == "99.95%\nmonthly"


async def test_the_row_editor_shows_and_saves_a_cells_line_breaks(tmp_path: Path) -> None:
    draft_file = new_file(tmp_path / "d.yaml")
    draft_file.draft.set_value(f"{TABLE}.0", {"integration": "Paylane", "response_time": "p99 800 ms\nat peak",
                                              "throughput": "", "availability": ""})
    draft_file.save()
    app = wizard(open_draft(draft_file.path, draft_file.draft.schema), section="performance_and_scalability")
    async with app.run_test(size=(120, 40)) as pilot:
        await focus(pilot, TABLE)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RowEditor)
        box = app.screen.query_one(f"#{field_id('response_time')}", Input)
        assert box.value == "p99 800 ms\\nat peak"  # what the author sees in the cell's box
        availability = app.screen.query_one(f"#{field_id('availability')}", Input)
        availability.focus()
        await pilot.press(*"99.9%\\nmonthly")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RowEditor), "the row is saved: no 'one line only'"
        row = dict(editor(app).session.draft.get(TABLE)[0])
        assert row["response_time"] == "p99 800 ms\nat peak"
        assert row["availability"] == "99.9%\nmonthly"
