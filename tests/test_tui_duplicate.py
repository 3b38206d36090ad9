""""Duplicate integration" (d in the list, and the palette): a copy of everything right after the
original, its name with " (copy)", shown and saved; one ctrl+z takes it away again."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import Seen, editor, focus, opened, wait_for, wizard
from textual.widgets import Input, OptionList

from intwizard.core.store import read_plain
from intwizard.tui.autosave import Saved
from intwizard.tui.fields import field_id

GROUP = "external_system_integrations"


def titles(app) -> list[str]:
    entries = app.screen.query_one("#group-entries", OptionList)
    return [str(entries.get_option_at_index(i).prompt) for i in range(entries.option_count)]


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


async def test_d_duplicates_the_integration_with_everything_in_it(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    original = read_plain(path)[GROUP]
    seen = Seen(Saved)
    app = wizard(opened(path), section=GROUP)
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        entries = app.screen.query_one("#group-entries", OptionList)
        entries.focus()
        entries.highlighted = 0
        await pilot.press("d")
        await settle(pilot)
        assert titles(app) == ["Integration 1: Paylane Payments API", "Integration 2: Paylane Payments API (copy)",
                               "Integration 3: Shipwise Rates API"]
        shown = app.screen.query_one(f"#{field_id(GROUP + '.1.name')}", Input)
        assert shown.value == "Paylane Payments API (copy)"  # the copy's form is open
        copy = editor(app).session.draft.plain()[GROUP][1]
        assert copy == {**original[0], "name": "Paylane Payments API (copy)"}
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: seen.of(Saved))
        assert read_plain(path)[GROUP][1] == copy
        await pilot.press("ctrl+z")  # one step: the copy and its new name
        await settle(pilot)
        assert titles(app) == ["Integration 1: Paylane Payments API", "Integration 2: Shipwise Rates API"]
        assert editor(app).session.draft.plain()[GROUP] == original


async def test_the_palette_duplicates_the_integration_shown(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = editor(app)
        screen.goto(GROUP, 1)
        await settle(pilot)
        await focus(pilot, f"{GROUP}.1.purpose")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Duplicate integration")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert titles(app)[1:] == ["Integration 2: Shipwise Rates API", "Integration 3: Shipwise Rates API (copy)"]
