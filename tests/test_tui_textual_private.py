"""The private Textual names the wizard relies on (gathered in intwizard/tui/textual_private.py) are
still there and still do what the wizard needs: a Textual upgrade that removes or changes one fails
here, by name, rather than as a broken header, footer or crash guard somewhere else.

Each check is against a tiny harness app (no wizard), so it says exactly which name broke."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Static

from intwizard.tui import textual_private
from intwizard.tui.textual_private import (
    CRASH_HOOK,
    TOGGLE_BOX,
    FooterKey,
    HeaderClockSpace,
    HeaderIcon,
    HeaderTitle,
    binding_chain,
    end_pilot_wait,
)

TUI = Path(textual_private.__file__).parent


def test_the_private_names_exist() -> None:
    for cls in (HeaderIcon, HeaderTitle, HeaderClockSpace, FooterKey):
        assert isinstance(cls, type) and issubclass(cls, Widget), cls
    assert issubclass(HeaderTitle, Static)  # SteadyTitle calls Static.update
    assert "compact" in FooterKey._reactives  # SteadyFooter sets and binds it
    assert isinstance(getattr(Screen, "_modal_binding_chain", None), property)
    assert callable(getattr(App, CRASH_HOOK, None))
    from textual.widgets import Checkbox

    from intwizard.tui.fields import ItemCheckbox

    assert isinstance(getattr(Checkbox, TOGGLE_BOX, None), property) and TOGGLE_BOX in vars(ItemCheckbox)
    assert "_exception_event" in dir(App)


def test_nothing_else_in_the_wizard_imports_private_textual_modules() -> None:
    offenders = []
    for module in sorted(TUI.glob("*.py")):
        if module.name == "textual_private.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textual") \
                    and any(part.startswith("_") for part in node.module.split(".")):
                offenders.append(f"{module.name}: from {node.module} import ...")
    assert offenders == []


class Harness(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+g", "app.bell", "App key")]

    def __init__(self) -> None:
        super().__init__()
        self.crashes: list[Exception] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(id="field")
        yield Button("Boom", id="boom")
        yield Footer()

    def on_button_pressed(self) -> None:
        raise RuntimeError("boom")

    def _handle_exception(self, error: Exception) -> None:  # CRASH_HOOK
        self.crashes.append(error)
        end_pilot_wait(self)
        self.exit()


async def test_textual_header_is_made_of_the_parts_steady_header_composes() -> None:
    app = Harness()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        header = app.query_one(Header)
        parts = [type(child) for child in header.children]
        assert parts == [HeaderIcon, HeaderTitle, HeaderClockSpace]


async def test_textual_footer_shows_its_keys_as_footer_keys() -> None:
    app = Harness()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        keys = app.query_one(Footer).query(FooterKey)
        assert "App key" in [key.description for key in keys]
        key = FooterKey("ctrl+g", "^g", "App key", "app.bell", disabled=False, tooltip="")  # SteadyFooter's call
        assert key.description == "App key" and key.action == "app.bell"


async def test_the_binding_chain_runs_from_the_focused_widget_to_the_app() -> None:
    app = Harness()
    async with app.run_test(size=(60, 10)) as pilot:
        app.query_one("#field").focus()
        await pilot.pause()
        chain = binding_chain(app.screen)
        nodes = [node for node, _ in chain]
        assert nodes[0] is app.query_one("#field") and nodes[-2] is app.screen and nodes[-1] is app
        keys = {key for _, bindings in chain for key, _ in bindings}
        assert set(app.screen.active_bindings) <= keys and "ctrl+g" in keys


async def test_the_crash_hook_gets_a_handlers_exception_and_ends_the_pilots_wait() -> None:
    app = Harness()
    async with app.run_test(size=(60, 10)) as pilot:
        app.query_one("#boom").focus()
        await pilot.press("enter")
        await asyncio.wait_for(app._exception_event.wait(), 5)  # end_pilot_wait set it
    assert [str(error) for error in app.crashes] == ["boom"]


class Counting(Screen[None]):
    """Counts its restyles."""

    def __init__(self) -> None:
        super().__init__()
        self.restyled = 0

    def compose(self) -> ComposeResult:
        yield Static("x")

    def update_node_styles(self, animate: bool = True) -> None:
        self.restyled += 1
        super().update_node_styles(animate)


class Resumed(Counting):
    """Sets refresh_styles in the public handler, as EditorScreen does."""

    def on_screen_resume(self, event: object) -> None:
        event.refresh_styles = False  # type: ignore[attr-defined]


@pytest.mark.parametrize("public", [True, False])
async def test_the_public_resume_handler_runs_before_screens_own(public: bool) -> None:
    """EditorScreen.on_screen_resume relies on it (it used to override Screen._on_screen_resume)."""
    screen = Resumed() if public else Counting()
    app = App[None]()
    async with app.run_test(size=(40, 8)) as pilot:
        await app.push_screen(screen)
        await pilot.pause()
    assert (screen.restyled == 0) is public
