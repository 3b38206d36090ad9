"""Saving off the UI thread: the save worker's own copy of the draft, and the messages it posts.

How it fits together (see :mod:`intwizard.tui.session` for why there are two trees):

* The UI edits ``Session.draft`` and logs :class:`~intwizard.tui.session.Op` records.
* Half a second after the last edit (``AUTOSAVE_DELAY``) the screen starts a thread worker that calls
  :meth:`SaveEngine.save`. The engine takes the pending ops, applies them to *its* ``DraftFile``
  (loaded lazily, in that thread, from the text the UI's draft was read from), then runs the slow
  ``DraftFile.render()`` (ruamel dump + 3-way merge) and the atomic ``write()``.
* The worker reports with a typed message: :class:`Saved`, :class:`SaveFailed` or
  :class:`SaveConflict`. Tests watch them through ``run_test(message_hook=...)``.

A failed save loses nothing: the ops are already in the engine's tree (still marked changed), and
the UI's tree has them too; the next save, save-as, or overwrite writes them.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.message import Message

from intwizard.draft import Draft
from intwizard.errors import ConflictError, InputError
from intwizard.schema import Schema
from intwizard.store import DraftFile, FileText, new_draft_file
from intwizard.tui.session import Session, apply_op
from intwizard.yamlio import load_roundtrip_text, roundtrip_yaml

#: Seconds after the last edit before the autosave starts (the issue asks for under one second).
AUTOSAVE_DELAY = 0.5


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


@dataclass(frozen=True)
class Seed:
    """What the save worker builds its own tree from: the text both trees were read from, or for a
    new draft (not on disk, small) a deep copy of the tree made before any edit."""

    path: Path
    text: str
    source: FileText
    indent: tuple[int, int, int]
    exists: bool
    tree: Any = None


def seed_for(draft_file: DraftFile) -> Seed:
    """The seed of the save worker's tree, taken before the first edit. An opened file's text is at
    hand (the worker parses it again, in its thread); a new draft is small and copied whole
    (ruamel's containers deep-copy with their comments)."""
    tree = None if draft_file.exists else copy.deepcopy(draft_file.draft.data)
    return Seed(draft_file.path, draft_file.source.text, draft_file.source, draft_file.indent, draft_file.exists, tree)


class SaveEngine:
    """The save thread's copy of the draft. Every method here runs in a worker thread."""

    def __init__(self, seed: Seed, schema: Schema, session: Session) -> None:
        self.seed = seed
        self.schema = schema
        self.session = session
        self.file: DraftFile | None = None
        self._lock = threading.Lock()  # two saves never touch the tree at once

    @property
    def path(self) -> Path:
        return self.file.path if self.file is not None else self.seed.path

    def _load(self) -> DraftFile:
        if not self.seed.exists:
            return new_draft_file(self.seed.path, Draft(self.seed.tree, self.schema))
        yaml = roundtrip_yaml(*self.seed.indent)
        draft = Draft(load_roundtrip_text(self.seed.text, self.seed.path, yaml), self.schema)
        return DraftFile(path=self.seed.path, draft=draft, source=self.seed.source, indent=self.seed.indent)

    def save(self, *, force: bool = False, today: dt.date | None = None) -> Message:
        """Apply the pending edits and write; returns the message to post."""
        with self._lock:
            ops, version = self.session.take()
            try:
                if self.file is None:
                    self.file = self._load()
                for op in ops:
                    apply_op(self.file.draft, op)
                text = self.file.render(today)
                if text is None:
                    return Saved(self.file.path, version, False, dt.datetime.now())
                self.file.write(text, force=force)
            except ConflictError as exc:
                return SaveConflict(self.path, exc.message)
            except InputError as exc:
                return SaveFailed(self.path, exc.message)
            except OSError as exc:  # the core wraps write errors; this is reading the file back
                return SaveFailed(self.path, exc.strerror or str(exc))
            return Saved(self.file.path, version, True, dt.datetime.now())

    def save_as(self, path: Path, today: dt.date | None = None) -> Message:
        """Write everything to ``path`` (the author chose it, so an existing file is replaced)."""
        with self._lock:
            if self.file is None:
                try:
                    self.file = self._load()
                except InputError as exc:
                    return SaveFailed(path, exc.message)
            old = self.file
            self.file = new_draft_file(path, old.draft)
            self.file.draft.changed = True
            self.file.indent = old.indent
        result = self.save(force=True, today=today)
        if not isinstance(result, Saved):
            with self._lock:
                self.file = old  # stay on the original file
        return result
