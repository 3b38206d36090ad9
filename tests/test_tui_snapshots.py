"""Snapshot tests of the wizard, one class per feature. Deterministic: fixed terminal sizes, a fixed
theme and date, no cursor blink, the draft in the current folder, no autosave while the frame is
taken. Every ``snap_compare`` is asserted. Update with ``pytest --snapshot-update`` and look at the
SVGs before committing them."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import focus, new_file, opened, type_into, wait_for, wizard, workers_settled

from intwizard.tui import recent

COMPLETE = Path(__file__).parent / "fixtures" / "complete.yaml"


async def settle(pilot) -> None:
    screen = pilot.app.editor
    if screen is not None:  # the sidebar's marks come a moment after the first screen: wait for them
        await wait_for(pilot, lambda: screen.statuses)
    await workers_settled(pilot)
    await pilot.pause()
    await workers_settled(pilot)
    await pilot.wait_for_scheduled_animations()  # a focused field scrolls into view: the frame after it
    await pilot.pause()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def complete(here: Path) -> Path:
    path = here / "checkout.yaml"
    path.write_bytes(COMPLETE.read_bytes())
    return path


class TestNewDraft:
    def test_80x24(self, here, snap_compare) -> None:
        assert snap_compare(wizard(new_file(here / "new.yaml")), terminal_size=(80, 24), run_before=settle)

    def test_120x40(self, here, snap_compare) -> None:
        assert snap_compare(wizard(new_file(here / "new.yaml")), terminal_size=(120, 40), run_before=settle)

    def test_light_theme(self, here, snap_compare) -> None:
        app = wizard(new_file(here / "new.yaml"), theme="textual-light")
        assert snap_compare(app, terminal_size=(120, 40), run_before=settle)

    def test_narrow_terminal(self, here, snap_compare) -> None:
        assert snap_compare(wizard(new_file(here / "new.yaml")), terminal_size=(60, 20), run_before=settle)


class TestSectionForm:
    def test_an_external_integration(self, complete, snap_compare) -> None:
        app = wizard(opened(complete), section="external_system_integrations")
        assert snap_compare(app, terminal_size=(120, 40), run_before=settle)

    def test_a_validation_error(self, here, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await type_into(pilot, "meta.created", "14/03/2026")
            await settle(pilot)

        assert snap_compare(wizard(new_file(here / "new.yaml")), terminal_size=(100, 30), run_before=run_before)

    def test_checklist_and_signoff(self, complete, snap_compare) -> None:
        app = wizard(opened(complete), section="validation_checklist")
        assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


class TestWhatAPersonSees:
    """Issue 11: what the author sees below the first screenful, and where the cursor is."""

    def test_the_bottom_of_a_long_section_80x24(self, complete, snap_compare) -> None:
        """An external integration scrolled to its end: Security and the last field in view."""
        async def run_before(pilot) -> None:
            await settle(pilot)
            await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown",
                              "pagedown")
            await settle(pilot)

        app = wizard(opened(complete), section="external_system_integrations")
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_a_focused_button(self, complete, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            pilot.app.screen.query_one(".table-buttons Button").focus()
            await settle(pilot)

        app = wizard(opened(complete), section="error_handling_and_resilience")
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_ticked_and_unticked_checkboxes(self, complete, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            boxes = list(pilot.app.screen.query("Checkbox"))
            boxes[1].value = False
            boxes[3].value = False
            boxes[2].focus()
            await settle(pilot)

        app = wizard(opened(complete), section="validation_checklist")
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_80x24_with_the_sidebar_hidden(self, complete, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await pilot.press("ctrl+l")
            await settle(pilot)

        app = wizard(opened(complete), section="performance_and_scalability")
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_an_integration_just_opened(self, complete, snap_compare) -> None:
        """Enter on the second integration: its form shows, the cursor in its name."""
        async def run_before(pilot) -> None:
            await settle(pilot)
            pilot.app.screen.query_one("#group-entries").focus()
            await pilot.press("down", "enter")
            await settle(pilot)

        app = wizard(opened(complete), section="external_system_integrations")
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestTable:
    def test_a_table_with_rows(self, complete, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await focus(pilot, "error_handling_and_resilience.failure_scenarios")
            await settle(pilot)

        app = wizard(opened(complete), section="error_handling_and_resilience")
        assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)

    def test_the_row_editor(self, complete, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await focus(pilot, "error_handling_and_resilience.failure_scenarios")
            await pilot.press("enter")
            await settle(pilot)

        app = wizard(opened(complete), section="error_handling_and_resilience")
        assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


    def test_the_row_editor_fits_80x24(self, complete, snap_compare) -> None:
        """Its Save and Cancel buttons stay on screen; the fields scroll."""
        async def run_before(pilot) -> None:
            await settle(pilot)
            await focus(pilot, "error_handling_and_resilience.failure_scenarios")
            await pilot.press("a")
            await settle(pilot)

        app = wizard(opened(complete), section="error_handling_and_resilience")
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestPreview:
    def test_the_preview_pane(self, complete, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await pilot.press("ctrl+t")
            await settle(pilot)

        app = wizard(opened(complete), section="overview")
        assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


class TestResumePicker:
    def test_the_picker(self, here, complete, snap_compare) -> None:
        (here / "refunds.yaml").write_bytes(COMPLETE.read_bytes())
        recent.remember(Path("refunds.yaml"))
        (here / "notes.yaml").write_text("just: yaml\n")
        assert snap_compare(wizard(None, folder=here), terminal_size=(100, 30), run_before=settle)
