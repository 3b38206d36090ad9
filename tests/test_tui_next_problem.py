""""Next problem" (f8 and the palette): the cursor goes to the next field `intwizard check` reports, in
document order, across sections and integrations, scrolled into view; past the last it starts over."""

from __future__ import annotations

from pathlib import Path

from cli_support import run
from test_tui_support import editor, focus, opened, wizard
from textual.widgets import DataTable

from intwizard.tui.fields import field_id

BROKEN = [
    ("  author: Priya Raman\n", "  author: ''\n"),
    ("      base_url: https://rates.shipwise.example/v1\n", "      base_url: rates.shipwise\n"),
    ("    - integration: Shipwise quotes\n", "    - integration: ''\n"),
]
TABLE = "performance_and_scalability.performance_requirements"


def draft(tmp_path: Path, complete_yaml: Path) -> Path:
    text = complete_yaml.read_text()
    for right, wrong in BROKEN:
        assert text.count(right) == 1, right
        text = text.replace(right, wrong)
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    return path


def notes(app) -> str:
    return "\n".join(str(note.message) for note in app._notifications)


def visible(app, widget) -> bool:
    scroll = app.screen.query_one("#form-scroll")
    inside = scroll.content_region
    return widget.region.y >= inside.y and widget.region.bottom <= inside.bottom and widget.region.height > 0


async def next_problem(pilot) -> None:
    await pilot.press("f8")
    for _ in range(40):
        await pilot.pause(0.05)
        if not pilot.app.workers or all(w.is_finished for w in pilot.app.workers):
            break
    for _ in range(3):
        await pilot.pause()


async def test_f8_visits_every_reported_field_in_document_order(tmp_path: Path, complete_yaml: Path) -> None:
    path = draft(tmp_path, complete_yaml)
    reported = run("check", path).output
    expected = ["meta.author", "external_system_integrations.1.connection_details.base_url", f"{TABLE}.1.integration",
                "validation_checklist.integration_completeness.all_external_integrations_documented",
                "validation_checklist.integration_completeness.performance_requirements_specified"]
    assert [line.split()[1].rstrip(":") for line in reported.splitlines() if line.startswith("  ")] == expected
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(80, 24)) as pilot:
        await focus(pilot, "meta.feature_name")
        await next_problem(pilot)
        assert app.focused is app.screen.query_one(f"#{field_id('meta.author')}")
        assert "Author is required" in notes(app) and "problem 1 of 5" in notes(app)

        await next_problem(pilot)
        base_url = app.screen.query_one(f"#{field_id(expected[1])}")
        assert editor(app).section == "external_system_integrations"
        assert app.focused is base_url and visible(app, base_url)  # scrolled to, far down the form
        assert "Integration 2 (Shipwise Rates API)" in notes(app)

        await next_problem(pilot)
        table = app.screen.query_one(f"#{field_id(TABLE)}", DataTable)
        assert app.focused is table and table.cursor_row == 1 and visible(app, table)

        for item in ("all_external_integrations_documented", "performance_requirements_specified"):
            await next_problem(pilot)  # the two ticks check warns about
            box = app.screen.query_one(f"#{field_id('validation_checklist.integration_completeness.' + item)}")
            assert app.focused is box and visible(app, box)

        await next_problem(pilot)
        assert app.focused is app.screen.query_one(f"#{field_id('meta.author')}")
        assert "from the top" in notes(app)


async def test_the_palette_has_next_problem_and_says_when_there_is_none(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Next problem")
        await pilot.pause(0.3)
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause(0.05)
        assert "No problems" in notes(app)
