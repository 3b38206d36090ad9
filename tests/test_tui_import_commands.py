"""The wizard's palette offers the OpenAPI import and the overview diagram, and both change the draft
file the way the command line does, then show the result."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from test_tui_support import Seen, editor, new_file, opened, type_into, wait_for, wizard
from textual.command import CommandPalette
from textual.widgets import Input

from intwizard.store import read_plain
from intwizard.tui.commands import COMMANDS
from intwizard.tui.import_actions import FileChanged, fill_from_openapi
from intwizard.tui.modals import ChoiceModal, TextPrompt

FIXTURES = Path(__file__).parent / "fixtures"
PETSTORE = FIXTURES / "openapi_petstore_expanded.yaml"
DIAGRAM = "integration_architecture.integration_overview_diagram"


async def run_from_palette(pilot, title: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*title)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def answer(pilot, text: str) -> None:
    assert isinstance(pilot.app.screen, TextPrompt)
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


def test_the_commands_are_palette_entries() -> None:
    actions = {command.action: command for command in COMMANDS}
    assert actions["import_openapi"].title == "Import OpenAPI…" and not actions["import_openapi"].key
    assert actions["draw_diagram"].title == "Draw overview diagram"
    assert actions["import_markdown"].title == "Import Markdown…"


async def test_import_openapi_from_the_palette(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    seen = Seen(FileChanged)
    app = wizard(opened(path), section="external_system_integrations")
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await run_from_palette(pilot, "Import OpenAPI")
        await answer(pilot, str(PETSTORE))
        assert app.screen.query_one(Input).value == "Paylane Payments API"  # the integration on screen
        await answer(pilot, "Petstore")
        await wait_for(pilot, lambda: seen.messages)
        assert seen.messages[0].error == ""
        assert "Created integration 'Petstore': 4 endpoint rows added" in seen.messages[0].report
        await wait_for(pilot, lambda: editor(app).session.draft.get("external_system_integrations.2.name"))
        # The wizard shows the file as written: reloaded, not a stale copy that would overwrite it.
        assert editor(app).session.draft.get("external_system_integrations.2.api_endpoints.3.method") == "DELETE"
    data = read_plain(path)
    assert [i["name"] for i in data["external_system_integrations"]][-1] == "Petstore"
    assert data["intwizard"]["sources"][0]["path"].endswith("openapi_petstore_expanded.yaml")


async def test_a_broken_spec_is_reported_and_changes_nothing(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    before = path.read_bytes()
    seen = Seen(FileChanged)
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        editor(app).action_import_openapi()
        await pilot.pause()
        await answer(pilot, str(FIXTURES / "openapi_invalid.yaml"))
        assert app.screen.query_one(Input).value == ""  # not on an integration: no name to offer
        await answer(pilot, "Broken")
        await wait_for(pilot, lambda: seen.messages)
        assert "'version' is a required property" in seen.messages[0].error
    assert path.read_bytes() == before


async def test_draw_diagram_asks_before_replacing_a_hand_drawn_one(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    seen = Seen(FileChanged)
    app = wizard(opened(path), section="integration_architecture")
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await run_from_palette(pilot, "Draw overview diagram")
        assert isinstance(app.screen, ChoiceModal)  # complete.yaml has a diagram drawn by hand
        await pilot.press("escape")
        await pilot.pause()
        assert not seen.messages
        editor(app).action_draw_diagram()
        await pilot.pause()
        await pilot.click("#choice-replace")
        await wait_for(pilot, lambda: seen.messages)
        assert seen.messages[0].report == "Diagram drawn into the draft"
        await wait_for(pilot, lambda: "[Paylane Payments API]" in str(editor(app).session.draft.get(DIAGRAM)))
        # Drawn again: it is ours now, so no question is asked.
        editor(app).action_draw_diagram()
        await wait_for(pilot, lambda: len(seen.messages) == 2)
        assert seen.messages[1].report == "The diagram was already up to date"
    assert "[Order Service]" in read_plain(path)["integration_architecture"]["integration_overview_diagram"]
    assert (tmp_path / "d.yaml.bak").exists()


async def test_unsaved_edits_are_saved_before_the_import(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    seen = Seen(FileChanged)
    app = wizard(new_file(path), section="meta")  # not on disk yet, and typed into
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await type_into(pilot, "meta.feature_name", "Pets")
        editor(app).run_on_file(partial(fill_from_openapi, PETSTORE, "Petstore"))
        await wait_for(pilot, lambda: seen.messages)
        assert seen.messages[0].error == ""
        await wait_for(pilot, lambda: editor(app).session.draft.get("external_system_integrations.0.name"))
        assert editor(app).session.draft.get("meta.feature_name") == "Pets"
    data = read_plain(path)
    assert data["meta"]["feature_name"] == "Pets"
    assert len(data["external_system_integrations"][0]["api_endpoints"]) == 4


async def test_import_markdown_makes_a_new_draft_and_opens_it(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    document = tmp_path / "loyalty.md"
    document.write_bytes((FIXTURES / "import_sparse.md").read_bytes())
    seen = Seen(FileChanged)
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await run_from_palette(pilot, "Import Markdown")
        await answer(pilot, str(document))
        assert app.screen.query_one(Input).value == str(tmp_path / "loyalty.yaml")
        await answer(pilot, str(path))  # an existing draft is never replaced
        await wait_for(pilot, lambda: seen.messages)
        assert "already exists" in seen.messages[0].error
        assert editor(app).path == path
        editor(app).action_import_markdown()
        await pilot.pause()
        await answer(pilot, str(document))
        await answer(pilot, str(tmp_path / "loyalty.yaml"))
        await wait_for(pilot, lambda: len(seen.messages) == 2)
        assert seen.messages[1].report.startswith("Created loyalty.yaml from loyalty.md\n8 piece(s) fit no field")
        await wait_for(pilot, lambda: editor(app).path == tmp_path / "loyalty.yaml")
        assert editor(app).session.draft.title == "Loyalty Points"
    assert read_plain(tmp_path / "loyalty.yaml")["meta"]["review_status"] == "under review"
    assert read_plain(path) == read_plain(complete_yaml)  # the draft that was open is untouched
