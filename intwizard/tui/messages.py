"""The wizard's screen-level messages: what the fields, the workers and the screen's parts tell the
editor screen (:class:`~intwizard.tui.editor.EditorScreen`). Widget-local messages stay nested in
their widget (``Sidebar.Jump``, ``GroupEditor.Show``).

This module is the bottom layer of ``tui/``: it imports no widget and no screen, so a widget can post
these and a screen handle them without either importing the other. Workers post them from their
threads; tests watch them through ``run_test(message_hook=...)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.widget import Widget

from intwizard.tui.session import Op

if TYPE_CHECKING:
    from intwizard.core.checks import Finding
    from intwizard.core.store import DraftFile
    from intwizard.tui.recovery import Recovery


@dataclass
class Edited(Message):
    """A value changed; ``op`` says how to change the draft. Like Textual's own messages, it carries
    its ``control`` (the widget that posted it: a field, a table, a group's entries, a kept piece), so a
    handler can be picked by selector: ``@on(Edited, ".table-editor")``."""

    widget: Widget
    """The widget that made the edit."""
    op: Op
    join: bool = False
    """The op is part of the action of the Edited before it (one undo step, e.g. the columns of a
    row saved at once)."""

    @property
    def control(self) -> Widget:
        """Alias for :attr:`widget`, as Textual's messages have."""
        return self.widget


# -- saving (posted by the save worker, see autosave.SaveEngine) -------------------------------------


class Saved(Message):
    """The draft is on disk up to ``version``; ``wrote`` is False when nothing had changed."""

    def __init__(self, path: Path, version: int, wrote: bool, at: dt.datetime) -> None:
        super().__init__()
        self.path = path
        self.version = version
        self.wrote = wrote
        self.at = at


class SaveFailed(Message):
    """The save did not happen; ``reason`` says why in the user's words. Edits stay in memory."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__()
        self.path = path
        self.reason = reason


class SaveConflict(Message):
    """The file changed on disk since it was read: nothing was written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__()
        self.path = path
        self.reason = reason


class Reloaded(Message):
    """The draft file read again (after "Reload", an import or a diagram), or why it could not be."""

    def __init__(self, draft_file: DraftFile | None, error: str = "") -> None:
        super().__init__()
        self.draft_file = draft_file
        self.error = error


class Exported(Message):
    """The Markdown was written to ``path`` (None: it was not, ``error`` says why)."""

    def __init__(self, path: Path | None, error: str = "") -> None:
        super().__init__()
        self.path = path
        self.error = error


# -- analysis (sidebar marks, preview, next problem) ---------------------------------------------------


class Analysed(Message):
    """Section statuses (and the preview's Markdown, when shown) computed off the UI thread."""

    def __init__(self, statuses: dict[str, str], markdown: str | None) -> None:
        super().__init__()
        self.statuses = statuses
        self.markdown = markdown


class Primed(Message):
    """The draft as plain data and its section marks, read in another process (None: failed)."""

    def __init__(self, plain: dict[str, Any] | None, statuses: dict[str, str] | None) -> None:
        super().__init__()
        self.plain = plain
        self.statuses = statuses


class ProblemsFound(Message):
    """The findings of ``intwizard check`` in document order, for "Next problem"."""

    def __init__(self, found: list[Finding], after: tuple[int, ...]) -> None:
        super().__init__()
        self.found = found
        self.after = after


class RecoveryFound(Message):
    """The recovery file beside the draft (read in a worker), or why it could not be read."""

    def __init__(self, recovery: Recovery | None, error: str = "") -> None:
        super().__init__()
        self.recovery = recovery
        self.error = error


# -- imports (see import_actions.py) ---------------------------------------------------------------------


class FileChanged(Message):
    """An import or diagram was written to the draft file (``error`` set if it was not)."""

    def __init__(self, report: str, error: str = "") -> None:
        super().__init__()
        self.report = report
        self.error = error


class SourcesChecked(Message):
    """Drift of the draft's recorded API contracts (``check --sources``), by integration name."""

    def __init__(self, drift: dict[str, list[str]]) -> None:
        super().__init__()
        self.drift = drift
