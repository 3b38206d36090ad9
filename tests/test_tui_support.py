"""Helpers shared by the wizard's tests (no tests here): build the app, type into fields, pick options."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Select

from intwizard.cli.words import header_hint
from intwizard.core.draft import Draft
from intwizard.core.schema import Node, load_schema
from intwizard.core.store import DraftFile, new_draft_file, open_draft
from intwizard.tui.app import WizardApp, make_app
from intwizard.tui.fields import OTHER, field_id

TODAY = dt.date(2026, 3, 14)
#: Long enough that no autosave fires while a test types, unless the test waits for it.
NO_AUTOSAVE = 3600.0


def new_file(path: Path) -> DraftFile:
    draft = Draft.new(load_schema(), today=TODAY)
    draft.set_header(header_hint(path.name))
    return new_draft_file(path, draft)


def wizard(draft_file: DraftFile | None, *, autosave_delay: float = NO_AUTOSAVE, **options: Any) -> WizardApp:
    """The app as the CLI builds it, but deterministic: fixed theme and date, no cursor blink."""
    options.setdefault("theme", "textual-dark")
    return make_app(draft_file, load_schema(), cursor_blink=False, today=TODAY, autosave_delay=autosave_delay,
                    **options)


def opened(path: Path) -> DraftFile:
    return open_draft(path, load_schema(), comments=False)  # as `intwizard resume` opens it


async def focus(pilot: Pilot, path: str) -> None:
    widget = pilot.app.screen.query_one(f"#{field_id(path)}")
    widget.focus()
    await pilot.pause()


async def type_into(pilot: Pilot, path: str, text: str, *, clear: bool = True) -> None:
    """Focus the field at ``path`` and type ``text`` key by key (newlines as enter)."""
    await focus(pilot, path)
    if clear:
        widget = pilot.app.focused
        if hasattr(widget, "clear"):
            widget.clear()  # type: ignore[union-attr]
            await pilot.pause()
    keys = ["enter" if ch == "\n" else "space" if ch == " " else ch for ch in text]
    await pilot.press(*keys)
    await pilot.pause()


def schema_path(path: str) -> str:
    return ".".join(part for part in path.split(".") if not part.isdigit())


async def choose(pilot: Pilot, path: str, value: str, node: Node | None = None) -> None:
    """Open the Select at ``path`` with enter and move to ``value`` with the arrow keys (the list is
    the blank entry, the schema's options, then "Other…" for free-text choices)."""
    node = node or load_schema().node(schema_path(path))
    assert node is not None
    values: list[Any] = [Select.NULL, *node.options] + ([OTHER] if node.free_text else [])
    select = pilot.app.screen.query_one(f"#{field_id(path)}", Select)
    select.focus()
    await pilot.pause()
    current = values.index(select.value)
    target = values.index(value)
    await pilot.press("enter")
    await pilot.pause()
    step = "down" if target >= current else "up"
    await pilot.press(*[step] * abs(target - current), "enter")
    await pilot.pause()
    assert select.value == value


def editor(app: WizardApp):
    screen = app.editor
    assert screen is not None
    return screen


class Seen:
    """Collects the app's messages of the given kinds (pass it as ``run_test(message_hook=...)``)."""

    def __init__(self, *kinds: type) -> None:
        self.kinds = kinds
        self.messages: list[Any] = []

    def __call__(self, message: object) -> None:
        if isinstance(message, self.kinds):
            self.messages.append(message)

    def of(self, kind: type) -> list:
        return [message for message in self.messages if isinstance(message, kind)]


async def wait_for(pilot: Pilot, condition: Any, rounds: int = 300) -> None:
    """Let the app run until ``condition()`` holds (workers finish, timers fire)."""
    for _ in range(rounds):
        if condition():
            await pilot.pause()  # a message seen by the hook is handled next
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


async def workers_settled(pilot: Pilot) -> None:
    """Wait until the app's workers are done. A worker cancelled by a newer one of its group (the
    debounced analysis, say) is expected: then wait for the newer one."""
    from textual.worker import WorkerCancelled

    for _ in range(10):
        try:
            await pilot.app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            await pilot.pause()
    raise AssertionError("workers kept cancelling each other")
