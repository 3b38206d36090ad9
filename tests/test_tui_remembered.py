"""What the wizard remembers for the author between sessions (outside the draft): the theme, in the
user's config folder, and the integration last open, so `resume` reopens it."""

from __future__ import annotations

import os
from pathlib import Path

from test_tui_support import TODAY, editor, opened, type_into, wizard, workers_settled
from textual.widgets import Input, OptionList

from intwizard.core.schema import load_schema
from intwizard.tui.app import DEFAULT_THEME, make_app
from intwizard.tui.fields import field_id
from intwizard.tui.settings import remember_theme, settings_file

GROUP = "external_system_integrations"


def plain_app(path: Path):
    """As the CLI builds it: no theme given."""
    return make_app(opened(path), load_schema(), cursor_blink=False, today=TODAY, autosave_delay=3600.0)


async def test_the_theme_chosen_is_used_next_time(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = plain_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.theme == DEFAULT_THEME
        default_background = app.screen.styles.background
        app.theme = "nord"  # what the palette's theme picker does
        await workers_settled(pilot)
    assert "nord" in settings_file().read_text()
    assert settings_file().is_relative_to(os.environ["XDG_CONFIG_HOME"])  # the user's config folder
    app = plain_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert app.screen.styles.background != default_background


async def test_an_unknown_remembered_theme_falls_back_to_the_default(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    remember_theme("no-such-theme")
    app = plain_app(path)
    async with app.run_test(size=(100, 30)):
        assert app.theme == DEFAULT_THEME


async def test_resume_reopens_the_integration_last_edited(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        editor(app).goto(GROUP, 1)
        await workers_settled(pilot)
        await type_into(pilot, f"{GROUP}.1.purpose", "Quote shipping", clear=False)
        await workers_settled(pilot)
    app = wizard(opened(path))  # as `intwizard resume spec.yaml`
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert editor(app).section == GROUP
        assert app.screen.query_one(f"#{field_id(GROUP + '.1.name')}", Input).value == "Shipwise Rates API"
        assert app.screen.query_one("#group-entries", OptionList).highlighted == 1
