"""Undo and redo across the draft: every edit the editor applies is kept with the ops that reverse it.

An edit reaches the editor as an :class:`~intwizard.tui.session.Op` (a field set, a row or an
integration added, removed, moved or duplicated). Before applying it, the editor asks
:func:`inverse` for the ops that would put the draft back, computed from the draft as it is then;
:class:`History` keeps both. Undo applies the inverse ops through the same session (so they are
logged and saved like any edit, and the save process replays them on its own tree); redo applies
the original ops again. Nothing here touches the disk or Textual.

Typing is one step per burst, not per key: a ``set`` of the same field within :data:`MERGE_SECONDS`
of the last one, changing the value by a character or two, joins the step before it (a field
wiped at once, ctrl+u, is a step of its own, so it can be undone). A user action made of several
ops (a row edited in the row editor, an integration duplicated and renamed) is one step.

Inside a text or code editor ctrl+z is that editor's own undo (Textual's TextArea keeps one); the
draft's undo is the key everywhere else, and the palette's Undo/Redo everywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from intwizard.core.draft import Draft
from intwizard.core.schema import Schema
from intwizard.core.yamlio import to_plain
from intwizard.tui.session import Op

#: Steps kept per session (the issue asks for at least 100).
LIMIT = 500
#: Keys typed into one field this close together are one step.
MERGE_SECONDS = 1.5


@dataclass
class Step:
    """One undoable action: the ops as applied, and the ops that reverse them (in the order to apply)."""

    ops: list[Op]
    inverse: list[Op]
    label: str
    at: float = field(default_factory=time.monotonic)

    @property
    def place(self) -> Op:
        """The op whose path says where to look after undoing or redoing this step."""
        return self.ops[0]


def _list_at(draft: Draft, path: str) -> list:
    value = draft.get(path)
    return value if isinstance(value, list) else []


def inverse(draft: Draft, op: Op) -> list[Op]:
    """The ops that undo ``op``, computed from ``draft`` *before* ``op`` is applied to it."""
    if op.name == "set":
        return [Op("set", op.path, to_plain(draft.get(op.path)))]
    if op.name == "append":
        return [Op("remove", op.path, index=len(_list_at(draft, op.path)))]
    if op.name == "remove":
        items = _list_at(draft, op.path)
        if not 0 <= op.index < len(items):
            return []
        return [Op("insert", op.path, to_plain(items[op.index]), index=op.index)]
    if op.name == "insert":
        return [Op("remove", op.path, index=op.index)]
    if op.name == "move":
        return [Op("move", op.path, index=op.index + op.offset, offset=-op.offset)]
    if op.name == "duplicate":
        return [Op("remove", op.path, index=op.index + 1)]
    raise ValueError(f"unknown edit {op.name!r}")


def changed(op: Op, result: Any) -> bool:
    """Whether applying ``op`` changed the draft, from what :func:`~intwizard.tui.session.apply_op`
    returned (a set to the same value, a move past the end change nothing)."""
    if op.name == "set":
        return result is not False
    if op.name == "move":
        return result != op.index
    return True


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(_size(item) for item in value) + len(value)
    return -1000  # not text: never merged


def _typing(before: Op, after: Op) -> bool:
    """``after`` continues typing into the field ``before`` set (a key or two, nothing wiped)."""
    if before.name != "set" or after.name != "set" or before.path != after.path:
        return False
    old, new = _size(before.value), _size(after.value)
    if old < 0 or new < 0:
        return False
    return abs(new - old) <= 2 and not (new == 0 and old > 2)


class History:
    """The undo and redo stacks of one editing session."""

    def __init__(self, limit: int = LIMIT, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self.done: list[Step] = []
        self.undone: list[Step] = []

    def record(self, op: Op, undo: list[Op], label: str, *, join: bool = False) -> None:
        """Keep an applied edit. ``join``: it belongs to the step just recorded (one user action)."""
        now = self.clock()
        self.undone.clear()
        last = self.done[-1] if self.done else None
        if last is not None and join:
            last.ops.append(op)
            last.inverse[:0] = undo  # undone last first
            last.at = now
            return
        if (last is not None and len(last.ops) == 1 and now - last.at <= MERGE_SECONDS
                and _typing(last.ops[0], op)):
            last.ops[0] = op  # the field's latest value; the inverse still brings back the one before
            last.at = now
            return
        self.done.append(Step([op], list(undo), label, now))
        del self.done[: -self.limit]

    def undo(self) -> Step | None:
        if not self.done:
            return None
        step = self.done.pop()
        self.undone.append(step)
        self._seal()
        return step

    def redo(self) -> Step | None:
        if not self.undone:
            return None
        step = self.undone.pop()
        self.done.append(step)
        self._seal()
        return step

    def _seal(self) -> None:
        """Typing after an undo or a redo starts a new step."""
        if self.done:
            self.done[-1].at = float("-inf")

    def clear(self) -> None:
        self.done.clear()
        self.undone.clear()


def describe(schema: Schema, op: Op) -> str:
    """What an edit did, in the author's words ("Author", "delete of row 2 of Endpoints")."""
    from intwizard.core.checks import schema_path

    node = schema.node(schema_path(op.path))
    label = node.label if node is not None else op.path
    if op.name == "set":
        return label
    what = (f"{node.item_label} {op.index + 1}" if node is not None and node.kind == "group"
            else f"row {op.index + 1} of {label}")
    return {"append": f"new entry in {label}", "remove": f"delete of {what}", "insert": f"return of {what}",
            "move": f"move of {what}", "duplicate": f"copy of {what}"}.get(op.name, label)
