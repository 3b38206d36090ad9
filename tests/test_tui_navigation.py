"""Moving around and the chrome: first focus, header, sidebar marks, Back/Next, the palette, the
preview, export, the last section remembered, and the resume picker."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import editor, new_file, opened, type_into, wait_for, wizard, workers_settled
from textual.command import CommandPalette
from textual.widgets import Button, Input, Markdown, OptionList

from intwizard.core.checks import statuses
from intwizard.core.render import render
from intwizard.core.store import read_plain
from intwizard.tui import recent
from intwizard.tui.commands import COMMANDS, bindings
from intwizard.tui.editor import EditorScreen
from intwizard.tui.preview import PreviewPane
from intwizard.tui.resume_picker import ResumePicker
from intwizard.tui.sidebar import MARKS, Sidebar


async def test_a_new_draft_starts_in_feature_name_and_the_header_says_where(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "f-meta-feature_name"
        assert app.screen.title == "(untitled feature)"
        assert app.screen.sub_title == "d.yaml · Unsaved changes"
        await pilot.press(*"Pay")
        assert app.screen.title == "Pay"


async def until(pilot, condition) -> None:
    for _ in range(300):
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("never happened")


@pytest.mark.parametrize("big", [False, True], ids=["in-a-thread", "in-a-helper-process"])
async def test_sidebar_marks_follow_the_check_rules(tmp_path, complete_yaml, schema, monkeypatch, big) -> None:
    if big:
        monkeypatch.setattr("intwizard.tui.analysis.BIG_DRAFT", 0)
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: editor(app).statuses)  # computed off the UI thread
        sidebar = app.screen.query_one(Sidebar)
        expected = statuses(schema, read_plain(path))
        shown = [str(sidebar.get_option_at_index(i).prompt)[0] for i in range(len(schema.sections))]
        assert shown == [MARKS[expected[s.key]] for s in schema.sections]
        # clearing a required field turns its section partial
        await type_into(pilot, "meta.author", "")
        editor(app).analysis.run()
        await until(pilot, lambda: editor(app).statuses.get("meta") == "partial")
        assert str(sidebar.get_option_at_index(0).prompt)[0] == MARKS["partial"]


async def test_next_back_sidebar_and_buttons(tmp_path: Path, schema) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = editor(app)
        await pilot.press("ctrl+n", "ctrl+n")
        await workers_settled(pilot)
        assert screen.section == schema.sections[2].key
        await pilot.press("ctrl+b")
        await workers_settled(pilot)
        assert screen.section == schema.sections[1].key
        await pilot.click("#nav-next")
        await workers_settled(pilot)
        assert screen.section == schema.sections[2].key
        sidebar = app.screen.query_one(Sidebar)
        sidebar.focus()
        sidebar.highlighted = 9
        await pilot.press("enter")
        await workers_settled(pilot)
        await pilot.pause()
        assert screen.section == schema.sections[9].key
        assert str(app.screen.query_one("#nav-position").render()) == f"Section 10 of {len(schema.sections)}"
        screen.goto(schema.sections[0].key)
        await workers_settled(pilot)
        await pilot.pause()
        assert app.screen.query_one("#nav-back", Button).disabled


async def test_the_palette_lists_every_command_and_jumps_to_an_integration(tmp_path, complete_yaml) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Order Service")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await workers_settled(pilot)
        await pilot.pause()
        screen = editor(app)
        assert (screen.section, screen.entry[screen.section]) == ("internal_system_integrations", 0)


def test_keys_and_palette_entries_come_from_one_list() -> None:
    keyed = [c for c in COMMANDS if c.key]
    assert [(b.key, b.action, b.description) for b in bindings()] == [(c.key, c.action, c.title) for c in keyed]
    assert {c.key for c in keyed} >= {"ctrl+s", "ctrl+q", "ctrl+o", "ctrl+l", "ctrl+t", "ctrl+n", "ctrl+b"}
    for command in COMMANDS:
        assert callable(getattr(EditorScreen, f"action_{command.action}")), command


async def test_footer_shows_the_keys(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = {key for key, active in app.screen.active_bindings.items() if active.binding.show}
        assert {"ctrl+s", "ctrl+q", "ctrl+o", "ctrl+l", "ctrl+t", "ctrl+n", "ctrl+b"} <= shown


async def test_preview_shows_the_export_and_follows_edits(tmp_path: Path, schema) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(120, 40)) as pilot:
        assert editor(app).preview is None  # mounted on first use
        await pilot.press("ctrl+t")
        pane = app.screen.query_one(PreviewPane)
        assert pane.display
        # (Waiting on the workers would race: a newer analysis cancels the one in flight.)
        await wait_for(pilot, lambda: pane.text == render(schema, editor(app).session.draft.plain()))
        await type_into(pilot, "meta.feature_name", "Refunds")
        await wait_for(pilot, lambda: pane.text.startswith("# Integration Points - Refunds"))  # debounced
        headings = [label for _, label, _ in app.screen.query_one(Markdown).table_of_contents]
        assert "Overview" in headings
        await pilot.press("ctrl+t")
        assert not pane.display


async def test_export_writes_the_markdown_beside_the_draft(tmp_path: Path, complete_yaml, schema, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await workers_settled(pilot)
        await pilot.pause()
        assert any("Wrote d.md" in n.message for n in app._notifications)
    assert (tmp_path / "d.md").read_text(encoding="utf-8") == render(schema, read_plain(path))


async def test_resume_starts_where_the_author_left_off(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path))
    async with app.run_test(size=(120, 40)) as pilot:
        assert editor(app).section == "meta"
        editor(app).goto("integration_security")
        await workers_settled(pilot)
        await pilot.pause()
    assert recent.last_section(path) == "integration_security"
    app = wizard(opened(path))
    async with app.run_test(size=(120, 40)):
        assert editor(app).section == "integration_security"
    assert path.read_bytes() == complete_yaml.read_bytes()  # kept in the user's data folder, not the draft


async def test_resume_picker_lists_recent_and_local_drafts(tmp_path: Path, complete_yaml, monkeypatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    here = tmp_path / "here"
    elsewhere.mkdir()
    here.mkdir()
    (elsewhere / "old.yaml").write_bytes(complete_yaml.read_bytes())
    (here / "local.yaml").write_bytes(complete_yaml.read_bytes())
    (here / "other.yaml").write_text("not: a draft\n")
    recent.remember(elsewhere / "old.yaml", "testing_strategy")
    monkeypatch.chdir(here)
    app = wizard(None, folder=here)
    async with app.run_test(size=(100, 30)) as pilot:
        await workers_settled(pilot)
        await pilot.pause()
        assert isinstance(app.screen, ResumePicker)
        listing = app.screen.query_one(OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert prompts == ["Recent drafts", f"  {elsewhere / 'old.yaml'}", "In this folder", "  local.yaml"]
        await pilot.press("enter")
        await workers_settled(pilot)
        await pilot.pause()
        screen = editor(app)
        assert screen.path == elsewhere / "old.yaml"
        assert screen.section == "testing_strategy"


async def test_resume_picker_with_nothing_to_offer_can_quit(tmp_path: Path) -> None:
    app = wizard(None, folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await workers_settled(pilot)
        await pilot.pause()
        listing = app.screen.query_one(OptionList)
        assert "No drafts found here" in str(listing.get_option_at_index(0).prompt)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_value is None


async def test_resume_picker_buttons_open_the_highlighted_draft_or_quit(tmp_path: Path, complete_yaml,
                                                                         monkeypatch) -> None:
    (tmp_path / "local.yaml").write_bytes(complete_yaml.read_bytes())
    monkeypatch.chdir(tmp_path)
    app = wizard(None, folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await workers_settled(pilot)
        await pilot.pause()
        assert isinstance(app.screen, ResumePicker)
        await pilot.click("#picker-open")
        await workers_settled(pilot)
        await pilot.pause()
        assert editor(app).path == tmp_path / "local.yaml"
    app = wizard(None, folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await workers_settled(pilot)
        await pilot.pause()
        await pilot.click("#picker-quit")
        await pilot.pause()
        assert app.editor is None
    assert app.return_value is None


async def test_narrow_terminal_hides_the_sidebar(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("narrow")
        assert not app.screen.query_one(Sidebar).display or app.screen.query_one(Sidebar).size.width == 0
