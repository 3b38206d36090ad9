"""The wizard's palette offers the API contract import, the refresh from API sources and the overview
diagram, and they change the draft file the way the command line does, then show the result; an
integration whose API source drifted is marked in the sidebar and its heading."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from test_tui_support import Seen, editor, new_file, opened, type_into, wait_for, wizard
from textual.command import CommandPalette
from textual.widgets import Input

from intwizard.core.store import read_plain
from intwizard.tui.commands import COMMANDS
from intwizard.tui.import_actions import fill_from_openapi
from intwizard.tui.messages import FileChanged
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
    assert actions["import_api"].title == "Import API contract…" and not actions["import_api"].key
    assert actions["refresh_sources"].title == "Refresh from API sources"
    assert actions["draw_diagram"].title == "Draw overview diagram"
    assert actions["import_markdown"].title == "Import Markdown…"


async def pick_file(pilot, path: Path) -> None:
    """Choose a file in the file picker by typing its path into the dialog's file name line."""
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "FileOpen")
    name = pilot.app.screen.query_one(Input)
    name.focus()
    name.value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def test_import_openapi_from_the_palette(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    seen = Seen(FileChanged)
    app = wizard(opened(path), section="external_system_integrations")
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await run_from_palette(pilot, "Import API contract")
        await pick_file(pilot, PETSTORE)
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
        editor(app).action_import_api()
        await pick_file(pilot, FIXTURES / "openapi_invalid.yaml")
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
        editor(app).imports.run_on_file(partial(fill_from_openapi, PETSTORE, "Petstore"))
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
        assert seen.messages[1].report.startswith("Created loyalty.yaml from loyalty.md\n9 piece(s) fit no field")
        await wait_for(pilot, lambda: editor(app).path == tmp_path / "loyalty.yaml")
        assert editor(app).session.draft.title == "Loyalty Points"
    assert read_plain(tmp_path / "loyalty.yaml")["meta"]["review_status"] == "under review"
    assert read_plain(path) == read_plain(complete_yaml)  # the draft that was open is untouched


async def test_drift_is_marked_and_refresh_from_the_palette_clears_it(tmp_path: Path, complete_yaml: Path) -> None:
    from intwizard.core.store import open_draft
    from intwizard.importers.sources import import_file
    from intwizard.tui.messages import SourcesChecked
    from intwizard.tui.sidebar import Sidebar

    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    source = tmp_path / "lights.yaml"
    source.write_bytes((FIXTURES / "contracts" / "streetlights-3.0.yaml").read_bytes())
    draft_file = open_draft(path, editor_schema())
    import_file(draft_file.draft, path, source, "Lights")
    draft_file.save()
    source.write_text(source.read_text(encoding="utf-8").replace("action: send", "action: receive", 1),
                      encoding="utf-8")
    seen = Seen(SourcesChecked, FileChanged)
    app = wizard(opened(path), section="external_system_integrations")
    async with app.run_test(size=(160, 40), message_hook=seen) as pilot:
        await wait_for(pilot, lambda: seen.of(SourcesChecked))
        await pilot.pause()
        sidebar = app.screen.query_one(Sidebar)
        assert "external_system_integrations" in sidebar.drift
        row = [node.key for node in sidebar.sections].index("external_system_integrations")
        assert "⚠ drift" in str(sidebar.get_option_at_index(row).prompt)
        # The integration's own heading says what drifted, once it is on screen.
        editor(app).goto("external_system_integrations", 2)
        await wait_for(pilot, lambda: "Lights" in heading_text(app))
        assert "⚠ its API source drifted (2): Lights: lights.yaml:" in heading_text(app)
        await run_from_palette(pilot, "Refresh from API sources")
        await wait_for(pilot, lambda: seen.of(FileChanged))
        assert "1 endpoint rows added, 0 updated, 1 removed" in seen.of(FileChanged)[0].report
        await wait_for(pilot, lambda: len(seen.of(SourcesChecked)) == 2)
        await pilot.pause()
        assert not sidebar.drift and "⚠" not in str(sidebar.get_option_at_index(row).prompt)
        await wait_for(pilot, lambda: "⚠" not in heading_text(app))


def editor_schema():
    from intwizard.core.schema import load_schema

    return load_schema()


def heading_text(app) -> str:
    from textual.widgets import Static

    return " ".join(str(h.render()) for h in app.screen.query(".entry-heading").results(Static))


async def test_drift_taken_in_by_hand_clears_the_marks_when_saved(tmp_path: Path, complete_yaml: Path) -> None:
    from intwizard.core.store import open_draft
    from intwizard.importers.sources import import_file
    from intwizard.tui.messages import SourcesChecked
    from intwizard.tui.session import Op
    from intwizard.tui.sidebar import Sidebar

    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    source = tmp_path / "lights.yaml"
    source.write_bytes((FIXTURES / "contracts" / "streetlights-3.0.yaml").read_bytes())
    draft_file = open_draft(path, editor_schema())
    import_file(draft_file.draft, path, source, "Lights")
    draft_file.save()
    source.write_text(source.read_text(encoding="utf-8").replace("action: send", "action: receive", 1),
                      encoding="utf-8")
    seen = Seen(SourcesChecked)
    app = wizard(opened(path), section="external_system_integrations")
    async with app.run_test(size=(160, 40), message_hook=seen) as pilot:
        await wait_for(pilot, lambda: seen.of(SourcesChecked))
        sidebar = app.screen.query_one(Sidebar)
        assert sidebar.drift
        # The author turns the SEND row into the RECEIVE the source now says (what the row editor does).
        editor(app).apply_edit(Op("set", "external_system_integrations.2.api_endpoints.1.method", "RECEIVE"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(seen.of(SourcesChecked)) == 2)
        await pilot.pause()
        assert not sidebar.drift
        row = [node.key for node in sidebar.sections].index("external_system_integrations")
        assert "⚠" not in str(sidebar.get_option_at_index(row).prompt)


async def test_the_draw_button_under_the_diagram_draws_it(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section="integration_architecture")
    async with app.run_test(size=(120, 40)) as pilot:
        from textual.widgets import Button

        button = app.screen.query_one("Button.field-command", Button)
        assert str(button.label) == "Draw it from the integrations"
        button.scroll_visible(animate=False)
        await pilot.pause()
        button.press()
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))  # a diagram drawn by hand: asks first
        await pilot.click("#choice-replace")
        await wait_for(pilot, lambda: "[Paylane Payments API]" in str(editor(app).session.draft.get(DIAGRAM)))
