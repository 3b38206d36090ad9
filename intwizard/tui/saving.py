"""Saving, quitting and exporting from the editor: the handlers of the save worker's messages and
the dialogs that follow (conflict on disk, failed save while quitting, save as).

A mixin of :class:`intwizard.tui.editor.EditorScreen`, which owns the state used here (the session,
the save engine, the path, the header).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from intwizard.core.store import open_draft, write_output
from intwizard.errors import InputError
from intwizard.tui.messages import Exported, Reloaded, SaveConflict, Saved, SaveFailed
from intwizard.tui.modals import conflict_modal, quit_failed_modal

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.timer import Timer

    from intwizard.core.schema import Schema
    from intwizard.core.store import DraftFile
    from intwizard.tui.autosave import SaveEngine
    from intwizard.tui.session import Session

    _Host = Screen  # for the type checker: the editor screen this mixes into
else:
    _Host = object


def display_path(path: Path) -> str:
    """The draft's path as the author would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class SaveFlow(_Host):
    """Save now, autosave, save as, quit (saving first), conflicts with the file on disk, export."""

    schema: Schema
    session: Session
    engine: SaveEngine
    path: Path
    on_disk: bool
    today: dt.date | None
    saved_version: int
    saved_at: dt.datetime | None
    save_running: bool
    save_again: bool
    quitting: bool
    blocked: bool
    last_error: str
    section: str
    _save_timer: Timer | None
    _save_deadline: Timer | None

    if TYPE_CHECKING:  # what the editor screen (and ImportActions) provide, for the type checker
        @property
        def dirty(self) -> bool: ...
        def update_header(self) -> None: ...
        def analyse(self) -> None: ...
        def drop_rescue_when_saved(self) -> None: ...
        def _remember(self) -> None: ...
        def _install(self, draft_file: DraftFile) -> None: ...
        def _sources_worker(self) -> Any: ...
        async def show_section(self, section: str, entry: int | None = None, *, focus: bool = False) -> None: ...

    def start_save(self, force: bool = False) -> None:
        for timer in (self._save_timer, self._save_deadline):
            if timer is not None:
                timer.stop()
        self._save_timer = self._save_deadline = None
        if self.blocked and not force:
            return
        if self.save_running:
            self.save_again = True
            return
        self.save_running = True
        self._save_worker(force)

    @work(thread=True, exclusive=True, group="save")
    def _save_worker(self, force: bool) -> None:
        self.post_message(self.engine.save(force=force, today=self.today))

    @work(thread=True, exclusive=True, group="save")
    def _save_as_worker(self, path: Path) -> None:
        self.post_message(self.engine.save_as(path, today=self.today))

    def on_saved(self, event: Saved) -> None:
        self.save_running = False
        self.blocked = False
        self.last_error = ""
        self.saved_version = max(self.saved_version, event.version)
        self.saved_at = event.at
        self.on_disk = True
        if event.path != self.path:
            self.path = event.path
            self.notify(f"Saved as {display_path(event.path)}", timeout=3)
        if event.wrote:
            updated = self.schema.auto_field("updated")
            if updated is not None:
                # The save worker dated its copy; the UI's copy follows, without a new edit.
                self.session.draft.set_value(updated.path, self.today or dt.date.today())
                self.session.view.touch(updated.path)
            self._remember()
            if getattr(self, "drift", None):
                self._sources_worker()  # an edit may have taken a source's change in by hand
        self.update_header()
        self.drop_rescue_when_saved()
        if self.save_again or self.session.pending:
            self.save_again = False
            self.start_save()
        elif self.quitting:
            self.app.exit(self.path)

    def on_save_failed(self, event: SaveFailed) -> None:
        self.save_running = False
        self.save_again = False
        self.last_error = event.reason
        self.update_header()
        if self.quitting:
            modal = quit_failed_modal(f"{display_path(event.path)}: {event.reason}")
            self.app.push_screen(modal, self._after_quit_choice)
        else:
            self.notify(f"{display_path(event.path)}: {event.reason}\nYour edits are kept here; ctrl+s retries, "
                        "or use Save as… from the palette (ctrl+p).", title="Autosave failed", severity="error",
                        timeout=8)

    def on_save_conflict(self, event: SaveConflict) -> None:
        self.save_running = False
        self.save_again = False
        self.blocked = True
        self.update_header()
        self.app.push_screen(conflict_modal(display_path(event.path)), self._after_conflict_choice)

    def _after_conflict_choice(self, choice: str | None) -> None:
        if choice == "overwrite":
            self.start_save(force=True)
        elif choice == "save_as":
            self.action_save_as()
        elif choice == "reload":
            self.quitting = False
            self._reload_worker(self.path)
        else:
            self.quitting = False
            self.notify("Autosave is paused until you decide: ctrl+s asks again.", severity="warning")

    def _after_quit_choice(self, choice: str | None) -> None:
        if choice == "discard":
            self.app.exit(None)
        elif choice == "save_as":
            self.action_save_as()
        else:
            self.quitting = False

    @work(thread=True, exclusive=True, group="save")
    def _reload_worker(self, path: Path) -> None:
        try:
            self.post_message(Reloaded(open_draft(path, self.schema, comments=False)))
        except InputError as exc:
            self.post_message(Reloaded(None, str(exc)))

    async def on_reloaded(self, event: Reloaded) -> None:
        if event.draft_file is None:
            self.notify(event.error, title="Could not reload", severity="error")
            return
        self._install(event.draft_file)
        self.blocked = False
        self.last_error = ""
        await self.show_section(self.section)
        self.update_header()
        self.analyse()
        self.notify("Reloaded from disk", timeout=3)

    def action_save(self) -> None:
        self.blocked = False
        self.start_save()

    def action_save_as(self) -> None:
        from textual_fspicker import FileSave

        def chosen(path: Path | None) -> None:
            if path is None:
                self.quitting = False
                return
            self.save_running = True
            self._save_as_worker(Path(path))

        self.app.push_screen(FileSave(self.path.parent, default_file=self.path.name), chosen)

    def action_quit(self) -> None:
        if not self.dirty:
            self.app.exit(self.path)
            return
        self.quitting = True
        self.notify("Saving before quitting…", timeout=2)
        self.blocked = False
        self.start_save()

    def action_export(self) -> None:
        self._export_worker(self.session.view.snapshot(), self.path.with_suffix(".md"))

    @work(thread=True, exclusive=True, group="export", description="export")  # not repr(data): see editor
    def _export_worker(self, data: dict[str, Any], target: Path) -> None:
        from intwizard.core.render import render

        try:
            write_output(target, render(self.schema, data).encode("utf-8"))
        except InputError as exc:
            self.post_message(Exported(None, str(exc)))
            return
        self.post_message(Exported(target))

    def on_exported(self, event: Exported) -> None:
        if event.path is None:
            self.notify(event.error, title="Export failed", severity="error", timeout=8)
        else:
            self.notify(f"Wrote {display_path(event.path)}", title="Exported", timeout=5)

