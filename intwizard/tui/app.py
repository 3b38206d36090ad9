"""The wizard application and its one factory, used by the CLI (:func:`run_wizard`) and the tests.

``intwizard new`` passes a draft not yet on disk; ``intwizard resume`` passes an opened draft, or
None to pick one (:class:`~intwizard.tui.resume_picker.ResumePicker`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerFailed

from intwizard.core.schema import Schema, load_schema
from intwizard.core.store import DraftFile, open_draft
from intwizard.errors import InputError
from intwizard.tui import recent
from intwizard.tui.autosave import AUTOSAVE_DELAY
from intwizard.tui.editor import EditorScreen
from intwizard.tui.palette import WizardCommands
from intwizard.tui.resume_picker import ResumePicker
from intwizard.tui.saving import display_path
from intwizard.tui.textual_private import end_pilot_wait

DEFAULT_THEME = "textual-dark"
#: Failed background jobs reported (the wizard keeps running) before the next one ends the session.
WORKER_FAILURES = 5


class Opened(Message):
    def __init__(self, draft_file: DraftFile | None, section: str = "", error: str = "",
                 opened: dict[str, int] | None = None) -> None:
        super().__init__()
        self.draft_file = draft_file
        self.section = section
        self.error = error
        self.opened = opened or {}


class WizardApp(App[Path | None]):
    """Edits one draft; returns its path when it was saved, None when the author quit without."""

    CSS_PATH = "app.tcss"
    TITLE = "intwizard"
    COMMANDS = App.COMMANDS | {WizardCommands}
    ENABLE_COMMAND_PALETTE = True
    #: Escape closes the keys panel (opened from the palette's "Keys"); dialogs and menus that use
    #: escape themselves come first on the way to this binding.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "hide_help_panel", "Close the keys panel", show=False)]

    def __init__(self, draft_file: DraftFile | None, schema: Schema, *, section: str = "",
                 opened: dict[str, int] | None = None, folder: Path | None = None, theme: str = DEFAULT_THEME,
                 cursor_blink: bool = True, autosave_delay: float = AUTOSAVE_DELAY,
                 today: dt.date | None = None) -> None:
        super().__init__()
        self.draft_file = draft_file
        self.schema = schema
        self.start_section = section
        self.start_opened = opened or {}
        self.folder = folder or Path.cwd()
        self._theme_chosen = False
        """Set once running: from then on a theme change is the author's, and is remembered."""
        self.theme = theme if theme in self.available_themes else DEFAULT_THEME
        self.cursor_blink_enabled = cursor_blink
        """Off in tests and snapshots, so frames do not depend on timing."""
        self.autosave_delay = autosave_delay
        self.today = today
        self.worker_failures = 0

    def on_mount(self) -> None:
        self._theme_chosen = True
        if self.draft_file is not None:
            self.push_screen(self._editor(self.draft_file, self.start_section, self.start_opened))
        else:
            self.push_screen(ResumePicker(self.folder), self._picked)

    def _editor(self, draft_file: DraftFile, section: str, opened: dict[str, int] | None = None) -> EditorScreen:
        return EditorScreen(draft_file, self.schema, section=section, opened=opened,
                            autosave_delay=self.autosave_delay, today=self.today)

    def watch_theme(self, theme: str) -> None:
        """The theme picked in the palette is the author's choice: kept for the next session."""
        if self._theme_chosen:
            self.run_worker(lambda: _remember_theme_quietly(theme), thread=True, group="settings")

    @property
    def editor(self) -> EditorScreen | None:
        return next((s for s in reversed(self.screen_stack) if isinstance(s, EditorScreen)), None)

    def _picked(self, path: Path | None) -> None:
        if path is None:
            self.exit(None)
            return
        self.run_worker(lambda: self._open(path), thread=True, group="open", exclusive=True)

    def _open(self, path: Path) -> None:
        try:
            draft_file = open_draft(path, self.schema, comments=False)
        except InputError as exc:
            self.post_message(Opened(None, error=str(exc)))
            return
        self.post_message(Opened(draft_file, recent.last_section(path), opened=recent.last_opened(path)))

    def on_opened(self, event: Opened) -> None:
        if event.draft_file is None:
            self.notify(event.error, title="Cannot open", severity="error", timeout=10)
            self.push_screen(ResumePicker(self.folder), self._picked)
            return
        self.push_screen(self._editor(event.draft_file, event.section, event.opened))

    def _handle_exception(self, error: Exception) -> None:  # textual_private.CRASH_HOOK
        """The crash guard. Textual calls this for any exception a handler, a timer or a worker lets
        out, and then ends the app. Before that, every unsaved edit goes to the recovery file beside
        the draft. A failed background job (a worker) leaves the screen working, so the wizard says
        so and keeps running; anything else ends it with a message saying where the edits are."""
        editor = self.editor
        if editor is None:
            super()._handle_exception(error)
            return
        try:
            rescued = editor.rescuer.rescue(error)
            kept = (f"Your unsaved edits are in {display_path(rescued)} (with the details for a bug report): "
                    f"`intwizard resume {display_path(editor.path)}` offers to put them back."
                    if rescued is not None else "Every edit was already saved.")
        except Exception as exc:  # the rescue itself failed: say so, never hide the first error
            kept = f"The recovery file could not be written ({exc!r}): unsaved edits may be lost."
        reason = getattr(error, "error", error)
        what = f"{type(reason).__name__}: {reason}"
        if isinstance(error, WorkerFailed) and self.worker_failures < WORKER_FAILURES:
            self.worker_failures += 1
            self.notify(f"A background job failed ({what}). The wizard keeps running. {kept}",
                        title="Unexpected error", severity="error", timeout=15)
            return
        self.exit(None, return_code=1, message=f"intwizard stopped on an unexpected error ({what}).\n{kept}")
        end_pilot_wait(self)  # as Textual's own handler: a test's Pilot stops waiting for the screen

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette entries, less its Quit: the wizard's own Quit (which saves first) is listed."""
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command

    async def action_quit(self) -> None:
        """ctrl+q anywhere: the editor saves first; elsewhere, leave."""
        editor = self.editor
        if editor is None:
            self.exit(None)
        else:
            await self._deliver_pending()
            editor.action_quit()

    async def _deliver_pending(self) -> None:
        """Let the messages already on their way from the focused widget to the editor (a choice just
        made in a menu, the last key typed) arrive before it decides whether anything is unsaved.

        ctrl+q is the app's own key, handled here at once, while such a message may still wait in a
        widget's queue between the field and the screen: quitting then lost that last edit. Each
        widget on the way handles what it holds before a callback posted after it; a field posts its
        edit while handling the control's message, so the walk up is made a few times."""
        focused = self.focused
        if focused is None:
            return
        chain = [node for node in focused.ancestors_with_self if isinstance(node, Widget)]
        for _ in range(3):
            for widget in chain:
                done = asyncio.Event()
                if widget.is_attached and widget.call_later(done.set):
                    await done.wait()


def _remember_theme_quietly(theme: str) -> None:
    # A convenience, like the recent list: never disturb the author over it.
    from intwizard.tui.settings import remember_theme

    with contextlib.suppress(OSError, InputError):
        remember_theme(theme)


def make_app(draft_file: DraftFile | None, schema: Schema | None = None, **options: Any) -> WizardApp:
    """The one factory (CLI and tests). For a resumed draft, starts at the section last visited."""
    schema = schema or (draft_file.draft.schema if draft_file is not None else load_schema())
    if draft_file is not None and draft_file.exists and "section" not in options:
        options["section"] = recent.last_section(draft_file.path)
    if draft_file is not None and draft_file.exists and "opened" not in options:
        options["opened"] = recent.last_opened(draft_file.path)
    if "theme" not in options:
        from intwizard.tui.settings import saved_theme

        options["theme"] = saved_theme() or DEFAULT_THEME
    return WizardApp(draft_file, schema, **options)


def run_wizard(draft_file: DraftFile | None, schema: Schema | None = None) -> Path | None:
    """Run the wizard in this terminal; returns the saved draft's path (None: quit without saving)."""
    app = make_app(draft_file, schema)
    saved = app.run()
    if saved is not None:
        print(f"Draft saved: {saved}\nExport it with: intwizard export {saved}", file=sys.stderr)
    elif app.return_code:
        raise SystemExit(app.return_code)
    return saved


