"""The crash guard's recovery file, from the editor's side (:class:`Rescuer`, owned by the editor
screen): write every unsaved edit beside the draft when the wizard stops on an unexpected error
(``WizardApp._handle_exception`` calls :meth:`Rescuer.rescue`), offer to put them back when the draft
is opened again, and delete the file once everything it held is saved. The file's format and its
reading and writing are :mod:`intwizard.tui.recovery`'s.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from intwizard.errors import InputError
from intwizard.tui.messages import RecoveryFound
from intwizard.tui.recovery import Recovery, drop_recovery, read_recovery, write_recovery
from intwizard.tui.saving import Saver, display_path

if TYPE_CHECKING:
    from textual.screen import Screen

    from intwizard.tui.session import Op, Session


class RescueHost(Protocol):
    """What the rescue asks of the editor screen that owns it."""

    session: Session
    section: str
    saver: Saver

    @property
    def screen(self) -> Screen[object]: ...

    def apply_edit(self, op: Op, *, join: bool = False) -> None: ...

    async def show_section(self, section: str, entry: int | None = None, *, focus: bool = False) -> None: ...


class Rescuer:
    """The recovery file of this session: written on a crash, offered back on opening, dropped once saved."""

    def __init__(self, host: RescueHost) -> None:
        self.host = host
        self.file: Path | None = None
        """A recovery file this session wrote or restored: removed once everything is saved."""

    @property
    def _path(self) -> Path:
        return self.host.saver.status.path

    def rescue(self, error: BaseException) -> Path | None:
        """Write every edit not yet on disk (and the whole draft as it is here) beside the draft.
        Returns the file written, None when nothing was unsaved. Raises OSError/InputError."""
        engine, session = self.host.saver.engine, self.host.session
        edits = (list(engine.unsaved) if engine is not None else []) + session.pending_ops()
        if not edits:
            return None
        try:
            document: Any = session.view.snapshot()
        except Exception:
            document = None  # the edits are the part that matters
        seed = engine.seed if engine is not None else None
        details = "".join(traceback.format_exception(getattr(error, "error", error)))
        self.file = write_recovery(self._path, seed.text if seed is not None and seed.exists else None, edits,
                                   document, details)
        return self.file

    def look(self) -> None:
        """Read the recovery file beside the draft (in a worker); the screen gets :class:`RecoveryFound`."""
        screen, path = self.host.screen, self._path

        def read() -> None:
            try:
                screen.post_message(RecoveryFound(read_recovery(path)))
            except InputError as exc:
                screen.post_message(RecoveryFound(None, str(exc)))

        screen.run_worker(read, thread=True, group="recovery", description="recovery file")

    def found(self, event: RecoveryFound) -> None:
        from intwizard.tui.modals import ChoiceModal

        screen = self.host.screen
        if event.error:
            screen.notify(event.error, title="Recovery file", severity="warning", timeout=10)
        recovery = event.recovery
        if recovery is None or self.file is not None:
            return
        name = display_path(recovery.path)
        seed = self.host.saver.engine.seed if self.host.saver.engine is not None else None
        if recovery.fits(seed.text if seed is not None and seed.exists else None):
            modal = ChoiceModal("Restore the rescued edits?",
                                f"{name} holds {recovery.summary}: the wizard stopped before saving "
                                f"{'it' if len(recovery.edits) == 1 else 'them'}.\n\n"
                                "Restore: put them back into this draft now (ctrl+z undoes that).\n"
                                "Later: keep the file and ask next time. Discard: delete the file.",
                                [("restore", "Restore", "primary"), ("later", "Later", "default"),
                                 ("discard", "Discard", "error")])
        else:
            modal = ChoiceModal("Rescued edits do not fit any more",
                                f"{name} holds {recovery.summary}, but {display_path(self._path)} changed since, "
                                "so they are not put back by themselves. The file keeps them (and the whole "
                                "draft as it was) to copy from by hand.",
                                [("later", "Keep the file", "primary"), ("discard", "Delete it", "error")])
        screen.app.push_screen(modal, lambda choice: self._chosen(recovery, choice))

    def _chosen(self, recovery: Recovery, choice: str | None) -> None:
        host, screen, path = self.host, self.host.screen, self._path
        if choice == "discard":
            screen.run_worker(lambda: drop_recovery(path), thread=True, group="recovery")
            screen.notify(f"Deleted {display_path(recovery.path)}", timeout=3)
            return
        if choice != "restore":
            screen.notify(f"{display_path(recovery.path)} is kept; resume asks again next time.", timeout=4)
            return
        restored = 0
        for op in recovery.edits:
            try:
                host.apply_edit(op, join=restored > 0)
            except (InputError, ValueError, TypeError, IndexError, KeyError) as exc:
                screen.notify(f"Edit {restored + 1} could not be put back ({exc}); the file is kept.",
                              severity="error", timeout=10)
                break
            restored += 1
        else:
            self.file = recovery.path  # dropped once they are saved
        screen.notify(f"Restored {restored} edit{'s' if restored != 1 else ''} from {display_path(recovery.path)}",
                      title="Recovered", timeout=6)
        screen.run_worker(host.show_section(host.section, focus=True), group="show", exclusive=True)

    def saved(self) -> None:
        """Called after a save: with nothing left unsaved, the recovery file has served."""
        if self.file is not None and not self.host.saver.dirty:
            path, self.file = self._path, None
            self.host.screen.run_worker(lambda: drop_recovery(path), thread=True, group="recovery")
