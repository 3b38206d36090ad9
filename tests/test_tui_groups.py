"""Repeatable groups: add, rename, delete after a confirmation, reorder; each entry's subsections."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import editor, new_file, opened, type_into, wizard
from textual.widgets import OptionList, Static

from intwizard.tui.modals import ChoiceModal, TextPrompt

GROUP = "external_system_integrations"


def names(app) -> list[str]:
    return [item["name"] for item in editor(app).session.draft.get(GROUP)]


def entries(app) -> OptionList:
    return app.screen.query_one("#group-entries", OptionList)


async def test_add_rename_reorder_delete(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section=GROUP)
    async with app.run_test(size=(120, 40)) as pilot:
        entries(app).focus()
        await pilot.press("a")
        await pilot.pause()
        assert app.focused.id == f"f-{GROUP}-0-name"  # a new entry is named first
        entries(app).focus()
        await pilot.press("a")
        await pilot.pause()
        assert len(editor(app).session.draft.get(GROUP)) == 2
        entries(app).focus()
        subheadings = [str(s.render()) for s in app.screen.query(".subheading").results(Static)]
        assert subheadings == ["Connection Details", "Error Handling", "Security Considerations"]
        # rename the second one
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Bank", "enter")
        await pilot.pause()
        assert names(app) == ["", "Bank"]
        assert str(entries(app).get_option_at_index(1).prompt) == "Integration 2: Bank"
        # move it up
        entries(app).focus()
        entries(app).highlighted = 1
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert names(app) == ["Bank", ""]
        # delete asks first; "Keep it" keeps it
        entries(app).focus()
        entries(app).highlighted = 0
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.click("#choice-cancel")
        await pilot.pause()
        assert names(app) == ["Bank", ""]
        entries(app).focus()
        entries(app).highlighted = 0
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#choice-delete")
        await pilot.pause()
        assert names(app) == [""]


async def test_typing_the_name_retitles_the_entry(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section=GROUP)
    async with app.run_test(size=(120, 40)) as pilot:
        first = str(entries(app).get_option_at_index(0).prompt)
        assert first == "Integration 1: Paylane Payments API"
        await type_into(pilot, f"{GROUP}.0.name", "Paylane")
        assert str(entries(app).get_option_at_index(0).prompt) == "Integration 1: Paylane"
        assert str(app.screen.query_one(".entry-heading", Static).render()) == "Integration 1: Paylane"
        # choosing another entry shows its form
        entries(app).focus()
        entries(app).highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert editor(app).entry[GROUP] == 1


async def test_internal_integrations_are_lettered(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section="internal_system_integrations")
    async with app.run_test(size=(120, 40)):
        labels = [str(o.prompt) for o in entries(app).options]
        assert labels[0].startswith("Integration A: ") and labels[1].startswith("Integration B: ")
