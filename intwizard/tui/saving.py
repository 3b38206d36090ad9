"""The editor's save flow, as an object the screen owns (:class:`Saver`): autosave timers, save now,
save as, quit (saving first), conflicts with the file on disk, reload, export.

Its state is one value, :class:`SaveStatus`, held in the screen's ``save_status`` reactive (the
screen's watcher puts it in the header). The save worker's messages (:class:`Saved`,
:class:`SaveFailed`, :class:`SaveConflict`) go to the screen, which hands them here first and then
does its own part (the recent list, the recovery file, an import waiting for a clean draft:
:meth:`Saver.settled`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from intwizard.core.store import open_draft, write_output
from intwizard.errors import InputError
from intwizard.tui.autosave import AUTOSAVE_MAX_WAIT, SaveEngine, seed_for
from intwizard.tui.messages import Exported, Reloaded, SaveConflict, Saved, SaveFailed
from intwizard.tui.modals import conflict_modal, quit_failed_modal

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.timer import Timer

    from intwizard.core.schema import Schema
    from intwizard.core.store import DraftFile
    from intwizard.tui.session import Session


def display_path(path: Path) -> str:
    """The draft's path as the author would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class SaveStatus:
    """Where the draft stands against its file (what the header says after the path)."""

    path: Path
    on_disk: bool
    """The file exists (a new draft is not on disk until its first save)."""
    saved_version: int = 0
    """The session version the file holds."""
    edited: bool = False
    """An edit the file does not hold yet."""
    running: bool = False
    """A save (or save as) is under way."""
    again: bool = False
    """Edits came in while saving: save again when this one ends."""
    quitting: bool = False
    """The author asked to quit: leave once saved."""
    blocked: bool = False
    """The file changed on disk: autosave waits for the author's choice."""
    error: str = ""
    """Why the last save failed ("" when it did not)."""
    saved_at: dt.datetime | None = None

    @property
    def failed(self) -> bool:
        """The draft cannot be saved as things are (conflict or error): the author must act."""
        return self.blocked or bool(self.error)

    def text(self) -> str:
        if self.blocked:
            return "Not saved: file changed on disk"
        if self.error:
            return "Unsaved changes (save failed)"
        if self.edited or not self.on_disk:
            return "Unsaved changes"
        if self.saved_at is not None:
            return f"Saved {self.saved_at:%H:%M}"
        return "No changes"

    def header(self) -> str:
        return f"{display_path(self.path)} · {self.text()}"


class SaveHost(Protocol):
    """What the save flow asks of the screen that owns it: the status reactive, and the screen
    itself for workers, timers, dialogs and notes."""

    save_status: SaveStatus

    @property
    def screen(self) -> Screen[object]: ...


class Saver:
    """Save now, autosave, save as, quit (saving first), conflicts with the file on disk, export."""

    def __init__(self, host: SaveHost, schema: Schema, *, autosave_delay: float, today: dt.date | None) -> None:
        self.host = host
        self.schema = schema
        self.autosave_delay = autosave_delay
        self.today = today
        self.engine: SaveEngine | None = None
        self.session: Session | None = None
        self._timer: Timer | None = None
        self._deadline: Timer | None = None
        """Started by the first edit after a save: typing that never pauses is saved by then."""
        self._idle = asyncio.Event()
        """Set while no save runs (see :meth:`settled`)."""
        self._idle.set()

    @property
    def status(self) -> SaveStatus:
        return self.host.save_status

    def _update(self, **changes: Any) -> None:
        status = dataclasses.replace(self.host.save_status, **changes)
        self.host.save_status = status
        if status.running:
            self._idle.clear()
        else:
            self._idle.set()

    def install(self, draft_file: DraftFile, session: Session) -> SaveEngine:
        """Save ``session``, read from ``draft_file`` (the first draft, or one read again)."""
        if self.engine is not None:
            self.engine.close()
        self.session = session
        self.engine = SaveEngine(seed_for(draft_file), self.schema, session)
        self.host.save_status = SaveStatus(draft_file.path, draft_file.exists, session.version)
        self._idle.set()
        return self.engine

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()

    @property
    def dirty(self) -> bool:
        """Something is not on disk yet (or is being written)."""
        status, session = self.status, self._session
        return (session.pending or status.saved_version != session.version or not status.on_disk
                or status.running)

    @property
    def _session(self) -> Session:
        assert self.session is not None, "install() first"
        return self.session

    @property
    def _engine(self) -> SaveEngine:
        assert self.engine is not None, "install() first"
        return self.engine

    # -- starting saves --------------------------------------------------------------------------------

    def edited(self) -> None:
        """An edit was made: the header says so, and the autosave is due."""
        if not self.status.edited:
            self._update(edited=True)
        screen = self.host.screen
        if self._timer is not None:
            self._timer.stop()
        self._timer = screen.set_timer(self.autosave_delay, self.start)
        if self._deadline is None:
            self._deadline = screen.set_timer(max(AUTOSAVE_MAX_WAIT, self.autosave_delay), self.start)

    def start(self, force: bool = False) -> None:
        for timer in (self._timer, self._deadline):
            if timer is not None:
                timer.stop()
        self._timer = self._deadline = None
        if self.status.blocked and not force:
            return
        if self.status.running:
            self._update(again=True)
            return
        self._update(running=True)
        screen, engine, today = self.host.screen, self._engine, self.today
        screen.run_worker(lambda: screen.post_message(engine.save(force=force, today=today)), thread=True,
                          exclusive=True, group="save", description="save")

    def _start_save_as(self, path: Path) -> None:
        self._update(running=True)
        screen, engine, today = self.host.screen, self._engine, self.today
        screen.run_worker(lambda: screen.post_message(engine.save_as(path, today=today)), thread=True,
                          exclusive=True, group="save", description="save as")

    async def settled(self) -> bool:
        """Save what is pending and wait until no save runs; True when the file then holds every
        edit, False when a save failed or met a change on disk (the author has been told)."""
        if self.dirty:
            self.start()  # (refused while the file changed on disk: the author decides first)
        while self.dirty and not self.status.failed:
            if not self.status.running:
                self.start()  # saved, but edits came in and none is under way: so the wait can end
            await self._idle.wait()  # set by the handler of Saved (or SaveFailed, SaveConflict)
        return not self.dirty

    # -- what the save worker reports ------------------------------------------------------------------

    def saved(self, event: Saved) -> None:
        """The status after a save; the draft's own "last updated" date follows the file's."""
        status, session = self.status, self._session
        version = max(status.saved_version, event.version)
        self._update(running=False, blocked=False, error="", saved_version=version, saved_at=event.at,
                     on_disk=True, path=event.path, edited=session.version != version)
        if event.path != status.path:
            self.host.screen.notify(f"Saved as {display_path(event.path)}", timeout=3)
        if event.wrote:
            updated = self.schema.auto_field("updated")
            if updated is not None:
                # The save worker dated its copy; the UI's copy follows, without a new edit.
                session.draft.set_value(updated.path, self.today or dt.date.today())
                session.view.touch(updated.path)

    def go_on(self) -> None:
        """After a save: the next one if edits came meanwhile, else leave if the author is quitting."""
        if self.status.again or self._session.pending:
            self._update(again=False)
            self.start()
        elif self.status.quitting:
            self.host.screen.app.exit(self.status.path)

    def failed(self, event: SaveFailed) -> None:
        self._update(running=False, again=False, error=event.reason)
        screen = self.host.screen
        if self.status.quitting:
            screen.app.push_screen(quit_failed_modal(f"{display_path(event.path)}: {event.reason}"),
                                   self._after_quit_choice)
        else:
            screen.notify(f"{display_path(event.path)}: {event.reason}\nYour edits are kept here; ctrl+s retries, "
                          "or use Save as… from the palette (ctrl+p).", title="Autosave failed", severity="error",
                          timeout=8)

    def conflict(self, event: SaveConflict) -> None:
        self._update(running=False, again=False, blocked=True)
        self.host.screen.app.push_screen(conflict_modal(display_path(event.path)), self._after_conflict_choice)

    def crashed(self, error: BaseException | None) -> None:
        """The save worker failed unexpectedly (the crash guard reports it): saving must go on."""
        self._update(running=False, again=False, quitting=False, error=f"unexpected error: {error!r}")

    def _after_conflict_choice(self, choice: str | None) -> None:
        if choice == "overwrite":
            self.start(force=True)
        elif choice == "save_as":
            self.save_as()
        elif choice == "reload":
            self._update(quitting=False)
            self.reload()
        else:
            self._update(quitting=False)
            self.host.screen.notify("Autosave is paused until you decide: ctrl+s asks again.", severity="warning")

    def _after_quit_choice(self, choice: str | None) -> None:
        if choice == "discard":
            self.host.screen.app.exit(None)
        elif choice == "save_as":
            self.save_as()
        else:
            self._update(quitting=False)

    def reload(self) -> None:
        """Read the file again (in a worker); the screen gets :class:`Reloaded`."""
        screen, path, schema = self.host.screen, self.status.path, self.schema

        def read() -> None:
            try:
                screen.post_message(Reloaded(open_draft(path, schema, comments=False)))
            except InputError as exc:
                screen.post_message(Reloaded(None, str(exc)))

        screen.run_worker(read, thread=True, exclusive=True, group="save", description="reload")

    # -- the author's commands -------------------------------------------------------------------------

    def save(self) -> None:
        self._update(blocked=False)
        self.start()

    def save_as(self) -> None:
        from textual_fspicker import FileSave

        def chosen(path: Path | None) -> None:
            if path is None:
                self._update(quitting=False)
                return
            self._start_save_as(Path(path))

        path = self.status.path
        self.host.screen.app.push_screen(FileSave(path.parent, default_file=path.name), chosen)

    def quit(self) -> None:
        screen = self.host.screen
        if not self.dirty:
            screen.app.exit(self.status.path)
            return
        self._update(quitting=True, blocked=False)
        screen.notify("Saving before quitting…", timeout=2)
        self.start()

    def export(self) -> None:
        screen, schema = self.host.screen, self.schema
        data, target = self._session.view.snapshot(), self.status.path.with_suffix(".md")

        def write() -> None:
            from intwizard.core.render import render

            try:
                write_output(target, render(schema, data).encode("utf-8"))
            except InputError as exc:
                screen.post_message(Exported(None, str(exc)))
                return
            screen.post_message(Exported(target))

        # A description, because Textual's default one is the repr of every argument (see editor).
        screen.run_worker(write, thread=True, exclusive=True, group="export", description="export")

    def exported(self, event: Exported) -> None:
        if event.path is None:
            self.host.screen.notify(event.error, title="Export failed", severity="error", timeout=8)
        else:
            self.host.screen.notify(f"Wrote {display_path(event.path)}", title="Exported", timeout=5)
