"""What the author sees and where the keys go: the cursor after opening an integration, keys that
belong to text editors, the sidebar key, the footer at 80x24, checkboxes without colour, wide tables,
hints shown once, the diagram editor, the keys panel, the palette's one Quit, stray keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import editor, focus, new_file, opened, wizard, workers_settled
from textual.widgets import Checkbox, DataTable, Input, OptionList, TextArea

from intwizard.core.schema import load_schema
from intwizard.tui import commands
from intwizard.tui.fields import field_id

COMPLETE = Path(__file__).parent / "fixtures" / "complete.yaml"


def screen_text(app) -> str:
    """The screen as characters, row by row (what a capture of the terminal shows)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips(app.size))


@pytest.fixture
def complete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "complete.yaml"
    path.write_bytes(COMPLETE.read_bytes())
    return path


async def settle(pilot) -> None:
    await workers_settled(pilot)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


# -- opening an integration ------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["enter", "click"])
async def test_keys_typed_after_opening_an_integration_land_in_its_name(complete: Path, how: str) -> None:
    app = wizard(opened(complete), section="external_system_integrations")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        entries = app.screen.query_one("#group-entries", OptionList)
        entries.focus()
        await pilot.pause()
        if how == "enter":
            await pilot.press("down", "enter")
        else:
            entries.highlighted = 1
            await pilot.pause()
            await pilot.click("#group-entries", offset=(4, 2))
        await settle(pilot)
        name = app.screen.query_one(f"#{field_id('external_system_integrations.1.name')}", Input)
        assert app.focused is name
        await pilot.press("end", "space", "v", "2")
        await settle(pilot)
        assert name.value == "Shipwise Rates API v2"
        assert "Shipwise Rates API v2" in screen_text(app)


async def test_the_palette_jump_to_an_integration_puts_the_cursor_in_its_name(complete: Path) -> None:
    app = wizard(opened(complete), section="external_system_integrations")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor(app).goto("external_system_integrations", 1)
        await settle(pilot)
        assert app.focused is app.screen.query_one(f"#{field_id('external_system_integrations.1.name')}")


async def test_resume_into_a_group_puts_the_cursor_in_the_entry_not_the_list(complete: Path) -> None:
    app = wizard(opened(complete), section="internal_system_integrations")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one(f"#{field_id('internal_system_integrations.0.name')}")


async def test_letters_typed_into_a_list_say_why_nothing_was_typed(complete: Path) -> None:
    app = wizard(opened(complete))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#sidebar").focus()
        await pilot.pause()
        await pilot.press("h", "i")
        await pilot.pause()
        notes = [n for n in app._notifications if n.title == "Nothing typed"]
        assert len(notes) == 1  # said once, not per key
        assert "list of sections" in notes[0].message and "Tab" in notes[0].message


# -- keys --------------------------------------------------------------------------------------------


def test_no_command_key_is_an_editing_key_of_text_fields() -> None:
    editing: set[str] = set()
    for widget in (Input, TextArea):
        for binding in widget.BINDINGS:
            editing.update(key.strip() for key in binding.key.split(","))  # type: ignore[union-attr]
    taken = {key.strip() for command in commands.COMMANDS if command.key and command.priority
             for key in command.key.split(",")}
    assert not taken & editing, f"commands steal editing keys: {sorted(taken & editing)}"
    assert {"ctrl+o", "ctrl+l"} <= taken
    assert {"ctrl+e", "ctrl+a", "ctrl+z", "ctrl+k", "ctrl+u"} <= editing


async def test_ctrl_e_and_ctrl_a_move_in_a_text_editor_and_export_has_its_own_key(complete: Path) -> None:
    app = wizard(opened(complete), section="overview")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        area = app.screen.query(TextArea).first()
        area.focus()
        area.move_cursor((0, 3))
        await pilot.press("ctrl+e")
        await pilot.pause()
        after = area.cursor_location
        area.move_cursor((0, 3))
        await pilot.press("end")
        await pilot.pause()
        assert after == area.cursor_location and after[1] > 3  # ctrl+e is the editor's end of line
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert area.cursor_location == (0, 0)
        assert not (complete.parent / "complete.md").exists()
        await pilot.press("ctrl+o")
        for _ in range(100):
            await pilot.pause(0.05)
            if (complete.parent / "complete.md").exists():
                break
        assert (complete.parent / "complete.md").exists()


async def test_a_code_editor_shows_the_example_and_typing_never_goes_in_front_of_it(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    # The template's example is the empty editor's placeholder (shown, never part of the answer):
    # what the author types is the whole value.
    monkeypatch.chdir(tmp_path)
    app = wizard(new_file(tmp_path / "new.yaml"), section="message_formats_and_protocols")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        path = "message_formats_and_protocols.message_structure"
        area = app.screen.query_one(f"#{field_id(path)}", TextArea)
        assert area.text == ""
        example = str(area.placeholder).splitlines()[0].strip()
        assert example and example in "\n".join(str(line) for line in area.render_lines(area.region.reset_offset))
        await focus(pilot, path)
        await pilot.press("x")
        await pilot.pause()
        assert area.text == "x"


async def test_escape_closes_the_keys_panel(complete: Path) -> None:
    app = wizard(opened(complete))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_show_help_panel()
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")


async def test_the_palette_lists_quit_once(complete: Path) -> None:
    app = wizard(opened(complete))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"quit")
        await pilot.pause(0.5)
        from textual.command import CommandList

        shown = app.screen.query_one(CommandList)
        titles = [str(option.prompt).split("\n")[0].strip() for option in shown.options]
        assert sum(title.lower() == "quit" for title in titles) == 1, titles


# -- 80x24 -------------------------------------------------------------------------------------------


async def test_ctrl_l_hides_and_shows_the_sidebar(complete: Path) -> None:
    app = wizard(opened(complete))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one("#sidebar")
        scroll = app.screen.query_one("#form-scroll")
        assert sidebar.display and sidebar.region.width <= 24
        width = scroll.region.width
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert not sidebar.display and scroll.region.width > width
        assert "Integration Arc" not in screen_text(app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert sidebar.display and "Integration Arc" in screen_text(app)


async def test_ctrl_l_shows_the_sidebar_on_a_narrow_terminal(complete: Path) -> None:
    app = wizard(opened(complete))
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#sidebar").display
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen.query_one("#sidebar").display


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 40)])
async def test_the_footer_fits(complete: Path, size: tuple[int, int]) -> None:
    app = wizard(opened(complete))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        footer = screen_text(app).split("\n")[-1]
        for label in ("Save", "Quit", "Export", "palette"):
            assert label in footer, footer
        if size[0] >= 80:
            assert "Sections" in footer, footer
        keys = app.screen.query("FooterKey")
        right = max(key.region.right for key in keys)
        assert right <= size[0]
        for key in keys:
            assert key.region.width >= len(key.description) + 2, f"{key.description!r} cut: {footer}"


async def test_a_wide_table_says_that_more_columns_exist(complete: Path) -> None:
    app = wizard(opened(complete), section="performance_and_scalability")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        text = screen_text(app)
        total = len(load_schema().node("performance_and_scalability.performance_requirements").children)
        assert total >= 4
        assert f"of {total} in view" in text, text
        table = app.screen.query_one(f"#{field_id('performance_and_scalability.performance_requirements')}",
                                     DataTable)
        table.focus()
        await pilot.press(*["right"] * 30)
        await pilot.pause(0.1)
        assert "◀" in screen_text(app)


async def test_a_table_that_fits_has_no_note(complete: Path) -> None:
    app = wizard(opened(complete), section="performance_and_scalability")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        assert "in view" not in screen_text(app)


# -- what fields show --------------------------------------------------------------------------------


async def test_checkboxes_read_ticked_or_not_without_colour(complete: Path) -> None:
    app = wizard(opened(complete), section="validation_checklist")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        boxes = list(app.screen.query(Checkbox))
        assert boxes
        first = boxes[0]
        first.value = True
        second = boxes[1]
        second.value = False
        await pilot.pause()
        lines = screen_text(app).split("\n")
        assert any("[x]" in line and str(first.label) in line for line in lines)
        assert any("[ ]" in line and str(second.label) in line for line in lines)


async def test_a_hint_is_shown_once(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = wizard(new_file(tmp_path / "new.yaml"), section="message_formats_and_protocols")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Usage and schema validation" in text
        assert "[Usage and schema validation]" not in text


async def test_the_empty_diagram_editor_is_empty_and_offers_to_draw(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = wizard(new_file(tmp_path / "new.yaml"), section="integration_architecture")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        area = app.screen.query_one(f"#{field_id('integration_architecture.integration_overview_diagram')}",
                                    TextArea)
        assert area.text == ""
        drawn = "\n".join(strip.text for strip in area.render_lines(area.region.reset_offset))
        assert "←→" not in drawn and not drawn.replace("\n", "").strip("▊▎▔▁ 1┃┏┓┗┛━│")
        assert "Draw it from the integrations" in screen_text(app)


# -- the preview ---------------------------------------------------------------------------------------


async def test_the_preview_never_shows_a_mix_and_stays_on_the_section(complete: Path) -> None:
    """At section 12, an edit re-renders the preview: every frame shows one whole document, and the
    pane stays on the section being edited."""
    from test_tui_support import wait_for
    from textual.widgets import Markdown

    app = wizard(opened(complete), section="deployment_and_operations")
    samples: list[tuple[int, str, int, bool]] = []

    def sample() -> None:
        shown = [md for md in app.screen.query(Markdown)
                 if md.display and md.styles.visibility != "hidden"]
        for md in shown:
            samples.append((len(shown), md._markdown, len(md.children), md.has_class("preview-markdown")))

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        pane = app.screen.query_one("#preview")
        heading = editor(app).section_node.label

        def on_heading() -> bool:
            """The section's heading is drawn in the pane's first lines."""
            blocks = [b for b in pane.query("MarkdownH2") if str(b._content).strip() == heading
                      and b.display and b.styles.visibility != "hidden" and b.parent.display]
            return bool(blocks) and pane.region.contains_region(blocks[0].region) \
                and blocks[0].region.y - pane.region.y <= 4

        await wait_for(pilot, on_heading)
        before = pane.text
        timer = app.set_interval(0.01, sample)
        first = editor(app).query(Input).first()
        first.value = "Blue/green deploys"  # one edit (typing it would re-render the preview per pause)
        await wait_for(pilot, lambda: pane.text != before and pane.text and "Blue/green deploys" in pane.text)
        await wait_for(pilot, on_heading)
        await pilot.pause(0.4)
        timer.stop()
        assert on_heading()
        assert samples
        complete_counts: dict[str, int] = {}
        for count, source, blocks, _ in samples:
            assert count == 1, "two documents on screen at once"
            complete_counts[source] = max(blocks, complete_counts.get(source, 0))
        for _, source, blocks, _ in samples:
            assert blocks == complete_counts[source], "a document was shown half mounted"


async def test_text_typed_into_a_text_box_goes_after_what_is_there(complete: Path) -> None:
    """Tab into the Summary (several lines written): the cursor is at its end, so the key adds."""
    app = wizard(opened(complete), section="overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        area = app.screen.query(TextArea).first()
        assert app.focused is area and area.text
        before = area.text
        await pilot.press("z")
        await pilot.pause()
        assert area.text == before + "z"
