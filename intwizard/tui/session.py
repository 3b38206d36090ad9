"""The wizard's in-memory draft and the log of edits the save worker replays.

Why two copies of the draft: ruamel's round-trip dump of a big draft takes seconds, so it runs in a
thread. If that thread dumped the very ``CommentedMap`` the UI keeps editing, a keystroke could
change the tree in the middle of the dump. So the UI edits its own :class:`~intwizard.core.draft.Draft`
and records every edit as a small :class:`Op` holding plain values (strings, dates, dicts of
strings). The save worker (:mod:`intwizard.tui.autosave`) owns a second round-trip tree loaded from
the same text and applies the ops, in order, to it before dumping. Both trees start equal and get
the same edits through the same ``Draft`` methods, so the file written is what the author sees, and
no object is ever shared between the two threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from intwizard.core.draft import Draft
from intwizard.core.store import FileText
from intwizard.core.yamlio import to_plain, to_tree

#: The edits :func:`apply_op` knows.
OpName = Literal["set", "append", "remove", "move", "duplicate", "insert"]


@dataclass(frozen=True)
class Op:
    """One edit: ``set`` (path, value), ``append`` (path, item), ``remove``/``duplicate`` (path, index),
    ``insert`` (path, index, item: an undone ``remove``), ``move`` (path, index, offset). Values are
    plain Python, never ruamel containers."""

    name: OpName
    path: str
    value: Any = None
    index: int = 0
    offset: int = 0


def apply_op(draft: Draft, op: Op) -> Any:
    """Apply one edit to a draft through the core's own methods; returns what the method returns."""
    if op.name == "set":
        return draft.set_value(op.path, to_tree(op.value))
    if op.name == "append":
        return draft.append_item(op.path, to_tree(op.value) if op.value is not None else None)
    if op.name == "remove":
        return draft.remove_item(op.path, op.index)
    if op.name == "move":
        return draft.move_item(op.path, op.index, op.offset)
    if op.name == "duplicate":
        return draft.duplicate_item(op.path, op.index)
    if op.name == "insert":
        return draft.insert_item(op.path, op.index, to_tree(op.value))
    raise ValueError(f"unknown edit {op.name!r}")


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


class PlainView:
    """A plain (dicts and lists) copy of the draft for the checks and the preview, rebuilt only
    where edits happened: per top-level section, and per entry inside a list section (a group),
    so typing in one integration of a big draft does not copy every other one on the UI thread."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self._sections: dict[str, Any] = {}
        self._entries: dict[str, dict[int, Any]] = {}
        self.touched: set[str] = set()
        """Sections edited since :meth:`prime` was asked for (their primed copy would be stale)."""

    def prime(self, plain: dict[str, Any], touched: set[str]) -> None:
        """Fill the cache from the file's text read in a worker (the fast C loader), so the first
        snapshot of a big draft is not a full copy on the UI thread. Sections edited meanwhile
        (``touched``) are left to be rebuilt from the tree."""
        for key, value in plain.items():
            if key in touched or key not in self.draft.data or key in self._sections:
                continue
            self._sections[key] = value
            if isinstance(value, list):
                self._entries[key] = dict(enumerate(value))

    def touch(self, path: str, *, whole_list: bool = False) -> None:
        parts = path.split(".")
        self.touched.add(parts[0])
        self._sections.pop(parts[0], None)
        if len(parts) > 1 and parts[1].isdigit() and not (whole_list and len(parts) == 2):
            self._entries.get(parts[0], {}).pop(int(parts[1]), None)
        else:
            self._entries.pop(parts[0], None)

    def snapshot(self) -> dict[str, Any]:
        plain: dict[str, Any] = {}
        for key, value in self.draft.data.items():
            key = str(key)
            if key not in self._sections:
                if isinstance(value, list):
                    cache = self._entries.setdefault(key, {})
                    self._sections[key] = [cache[i] if i in cache else cache.setdefault(i, to_plain(item))
                                           for i, item in enumerate(value)]
                else:
                    self._sections[key] = to_plain(value)
            plain[key] = self._sections[key]
        return plain


class Session:
    """The draft the UI edits, plus the edits not yet handed to the save worker.

    Only the UI thread calls the editing methods; :meth:`take` is called from the save thread, so
    the log is guarded by a lock.
    """

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.version = 0
        """Bumped on every edit; a save reports the version it covered."""
        self._ops: list[Op] = []
        self._lock = threading.Lock()
        self.view = PlainView(draft)

    def _record(self, op: Op) -> None:
        with self._lock:
            last = self._ops[-1] if self._ops else None
            # Typing a word is one edit per key: keep only the field's latest value.
            if last is not None and op.name == "set" and last.name == "set" and last.path == op.path:
                self._ops[-1] = op
            else:
                self._ops.append(op)
            self.version += 1

    def edit(self, op: Op) -> Any:
        """Apply ``op`` to the UI's draft and log it for the saver (unless it changed nothing)."""
        result = apply_op(self.draft, op)
        # a list op on a group (``groups.3`` appended, moved...) renumbers its entries
        self.view.touch(op.path, whole_list=op.name != "set")
        if op.name == "set" and result is False:
            return result
        if op.name == "move" and result == op.index:
            return result
        self._record(op)
        return result

    def set(self, path: str, value: Any) -> bool:
        return bool(self.edit(Op("set", path, value)))

    def take(self) -> tuple[list[Op], int]:
        """The pending edits and the version they bring the draft to (called by the save thread)."""
        with self._lock:
            ops, self._ops = self._ops, []
            return ops, self.version

    def pending_ops(self) -> list[Op]:
        """A copy of the edits not yet taken by the save thread (for the recovery file)."""
        with self._lock:
            return list(self._ops)

    @property
    def pending(self) -> bool:
        with self._lock:
            return bool(self._ops)

    def reset(self, draft: Draft) -> None:
        """Start over from a draft read again from disk (the author chose to reload)."""
        with self._lock:
            self.draft = draft
            self.view = PlainView(draft)
            self._ops = []
            self.version += 1
