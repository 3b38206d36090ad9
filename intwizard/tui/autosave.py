"""Saving off the UI thread: the save side of the draft, and the messages it posts.

How it fits together (see :mod:`intwizard.tui.session` for why there are two trees):

* The UI edits ``Session.draft`` and logs :class:`~intwizard.tui.session.Op` records.
* Half a second after the last edit (``AUTOSAVE_DELAY``), or at the latest ``AUTOSAVE_MAX_WAIT``
  after the first unsaved one (steady typing never pauses), the editor starts a thread worker
  (``@work(thread=True, exclusive=True)``) that calls :meth:`SaveEngine.save`. The engine takes the
  pending ops and hands them to the save process (:mod:`intwizard.tui.save_server`), which applies
  them to *its* ``DraftFile`` (read from the same text as the UI's), runs the slow
  ``DraftFile.render()`` (ruamel dump + 3-way merge) and the atomic ``write()``, and replies.
* The worker reports with a typed message: :class:`Saved`, :class:`SaveFailed` or
  :class:`SaveConflict`. Tests watch them through ``run_test(message_hook=...)``.

A failed save loses nothing: the ops are in the save side's tree (still marked changed), kept by
the engine until written, and in the UI's tree; the next save, save-as, or overwrite writes them.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from textual.message import Message

from intwizard.core.schema import Schema
from intwizard.core.store import DraftFile
from intwizard.tui.messages import SaveConflict, Saved, SaveFailed
from intwizard.tui.session import Op, Seed, Session

#: Seconds after the last edit before the autosave starts (the issue asks for under one second).
AUTOSAVE_DELAY = 0.5
#: Seconds of steady typing (never a pause of AUTOSAVE_DELAY) after which the autosave starts anyway.
AUTOSAVE_MAX_WAIT = 5.0


def seed_for(draft_file: DraftFile) -> Seed:
    """The seed of the save worker's tree, taken before the first edit. An opened file's text is at
    hand (the worker parses it again, in its thread); a new draft is small and copied whole
    (ruamel's containers deep-copy with their comments)."""
    tree = None if draft_file.exists else copy.deepcopy(draft_file.draft.data)
    return Seed(draft_file.path, draft_file.source.text, draft_file.source, draft_file.indent, draft_file.exists, tree)


class SaveEngine:
    """The save side. Its methods run in the editor's save thread worker, which waits on a child
    process (:mod:`intwizard.tui.save_server`) holding the save side's tree: the thread only moves
    ops and replies through a pipe, so neither the UI's event loop nor its share of the GIL waits
    for ruamel.

    Ops sent but not yet on disk are kept here too: if the child dies, a new one starts from the
    last text written (the seed moves on at each save) and gets them all again.
    """

    def __init__(self, seed: Seed, schema: Schema, session: Session) -> None:
        self.seed = seed
        self.template_dir = schema.path.parent
        self.session = session
        self.unsaved: list[Op] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()  # one request at a time

    @property
    def path(self) -> Path:
        return self.seed.path

    def _start(self) -> bool:
        """Make sure the child runs; True if it was (re)started (it then needs every unsaved op)."""
        if self._process is not None and self._process.poll() is None:
            return False
        self._process = subprocess.Popen(
            [sys.executable, "-m", "intwizard.tui.save_server"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        self._send((self.seed, self.template_dir))
        return True

    def _send(self, message: object) -> None:
        assert self._process is not None and self._process.stdin is not None
        pickle.dump(message, self._process.stdin)
        self._process.stdin.flush()

    def _request(self, make: Callable[[list[Op]], tuple]) -> tuple:
        ops, version = self.session.take()
        self.unsaved.extend(ops)
        try:
            restarted = self._start()
            self._send(make(list(self.unsaved) if restarted else ops))
            assert self._process is not None and self._process.stdout is not None
            reply = pickle.load(self._process.stdout)
        except (OSError, EOFError, pickle.PickleError) as exc:
            self.close()
            return ("failed", f"the save process stopped ({exc or type(exc).__name__}); your edits are kept", version)
        if reply[0] == "saved":
            _, wrote, path, source = reply
            self.unsaved = []
            if wrote:
                self.seed = Seed(path, source.text, source, self.seed.indent, True)
        return (*reply, version)

    def _message(self, reply: tuple) -> Message:
        if reply[0] == "saved":
            _, wrote, path, _source, version = reply
            return Saved(path, version, wrote, dt.datetime.now())
        if reply[0] == "conflict":
            return SaveConflict(self.path, reply[1])
        return SaveFailed(self.path, reply[1])

    def save(self, *, force: bool = False, today: dt.date | None = None) -> Message:
        """Send the pending edits and write; returns the message to post."""
        with self._lock:
            return self._message(self._request(lambda ops: ("save", ops, force, today)))

    def save_as(self, path: Path, today: dt.date | None = None) -> Message:
        """Write everything to ``path`` (the author chose it, so an existing file is replaced)."""
        with self._lock:
            reply = self._request(lambda ops: ("save_as", ops, path, today))
            if reply[0] != "saved":
                return SaveFailed(path, reply[1]) if reply[0] != "conflict" else SaveConflict(path, reply[1])
            return self._message(reply)

    def close(self) -> None:
        """Let the child go: closing its stdin ends it."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        with contextlib.suppress(OSError):
            if process.stdout is not None:
                process.stdout.close()
