"""What keeps the wizard's start and typing quick: the footer is rebuilt only when the keys it shows
change, the first screen focuses the form's first field straight away (not the sidebar first), and an
opened draft's checks start from the plain data it was read as."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import focus, new_file, wizard
from textual import events

from intwizard.tui.footer import SteadyFooter
from intwizard.tui.textual_private import FooterKey


def footer_keys(app) -> list[FooterKey]:
    return list(app.screen.query_one(SteadyFooter).query(FooterKey))


async def test_moving_between_fields_keeps_the_footer(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = footer_keys(app)
        assert [key.description for key in before][:3] == ["Save", "Quit", "Export"]  # COMMANDS order
        await pilot.press("tab", "tab")
        await pilot.pause()
        assert app.focused is not None and app.focused.id not in (None, "f-meta-feature_name")  # focus moved
        assert all(a is b for a, b in zip(footer_keys(app), before, strict=True))  # the same widgets


async def test_the_footer_follows_keys_that_appear(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="performance_and_scalability")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.focused.id == "f-performance_and_scalability-performance_requirements"  # the table
        assert "Add row" in [key.description for key in footer_keys(app)]
        app.screen.query_one("#nav-next").focus()
        await pilot.pause()
        assert "Add row" not in [key.description for key in footer_keys(app)]
        await focus(pilot, "performance_and_scalability.performance_requirements")
        assert "Add row" in [key.description for key in footer_keys(app)]


async def test_the_first_field_has_focus_from_the_first_frame(tmp_path: Path) -> None:
    focused: list[str | None] = []

    def hook(message: object) -> None:
        if isinstance(message, events.DescendantFocus):
            focused.append(message.widget.id)

    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "f-meta-feature_name"
    assert focused and set(focused) == {"f-meta-feature_name"}  # never the sidebar on the way


async def test_an_opened_draft_starts_from_the_data_it_was_read_as(tmp_path: Path, monkeypatch) -> None:
    """The first marks and preview need no copy of the whole tree on the UI thread."""
    import shutil

    from test_tui_support import editor, opened

    from intwizard.core.store import read_plain
    from intwizard.tui import session

    path = tmp_path / "d.yaml"
    shutil.copy(Path(__file__).parent / "fixtures" / "complete.yaml", path)
    copies: list[object] = []
    real = session.to_plain
    monkeypatch.setattr(session, "to_plain", lambda value: copies.append(value) or real(value))
    app = wizard(opened(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert editor(app).session.view.snapshot() == read_plain(path)
        assert copies == []


async def test_footer_keys_keep_the_commands_order_whatever_has_focus(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="performance_and_scalability")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        with_table = [key.description for key in footer_keys(app)]
        assert with_table[:4] == ["Add row", "Delete row", "Save", "Quit"]  # the table's keys, then the screen's
        app.screen.query_one("#nav-next").focus()
        await pilot.pause()
        assert [key.description for key in footer_keys(app)] == with_table[2:]


async def test_the_header_shows_the_title_from_the_start_and_follows_it(tmp_path: Path) -> None:
    from intwizard.tui.header import SteadyTitle

    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        title = app.screen.query_one(SteadyTitle)
        assert str(title.render()).startswith("(untitled feature)")
        await pilot.press(*"Refunds")
        await pilot.pause()
        assert str(title.render()).startswith("Refunds")
