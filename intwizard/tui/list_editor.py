"""What the two widgets that edit a list of the draft share (:class:`~intwizard.tui.table_editor.TableEditor`,
a table's rows; :class:`~intwizard.tui.groups.GroupEditor`, a group's entries): one way to edit a list.

- The draft is the one source of truth. An action posts :class:`~intwizard.tui.messages.Edited` ops
  (an action of several ops is one undo step) and never changes the widget's own copy.
- The screen, once it has applied them, hands the list down again (:meth:`ListEditor.given`); the
  widget re-renders from it, with the cursor where the action said it goes (:meth:`ListEditor.post_op`).
- Undo and redo rebuild the form from the draft, so the widget needs nothing for them.
"""

from __future__ import annotations

from typing import Any

from textual.containers import Vertical

from intwizard.core.schema import Node
from intwizard.tui.messages import Edited
from intwizard.tui.session import Op


class ListEditor(Vertical):
    """Base of the list widgets: the list at ``path`` of the draft, its items of the kind ``node`` says."""

    def __init__(self, node: Node, path: str, *, classes: str, id: str | None = None) -> None:
        super().__init__(classes=classes, id=id)
        self.node = node
        self.path = path
        self._cursor: int | None = None
        """Where the cursor goes when the list next comes down (the item the last action made or moved)."""

    def follows(self, path: str) -> bool:
        """Whether an edit at ``path`` changes what this widget shows (then the screen calls :meth:`given`)."""
        return path == self.path or path.startswith(self.path + ".")

    def given(self, value: Any) -> None:
        """The list as the draft holds it now (after an edit was applied): show it."""
        raise NotImplementedError

    def post_op(self, op: Op, *, join: bool = False, cursor: int | None = None) -> None:
        """Ask the screen to apply ``op``; ``cursor``: the item to put the cursor on once it is shown."""
        if cursor is not None:
            self._cursor = cursor
        self.post_message(Edited(self, op, join=join))

    def take_cursor(self) -> int | None:
        """The cursor the last action asked for, once (None: leave it where it is)."""
        cursor, self._cursor = self._cursor, None
        return cursor
