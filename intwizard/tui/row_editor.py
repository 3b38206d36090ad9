"""The modal form for one table row: the same field widgets as the main form, one per column.

It validates once, when the author presses Save: every column's problem is shown under it and one
notification says how many; with none, it dismisses with the row (a dict of column key -> value).
Escape or Cancel dismisses with None, after asking when the row was edited (the edits would go).
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from intwizard.core.schema import Node
from intwizard.core.values import as_text, is_blank, problem
from intwizard.tui.fields import Field, field_id, guarded, plain_label
from intwizard.tui.form import make_field
from intwizard.tui.messages import Edited
from intwizard.tui.modals import ChoiceModal


class RowEditor(ModalScreen[dict[str, Any] | None]):
    """Edit or add one row of a table.

    | Key | Action |
    | --- | --- |
    | ctrl+s | Save the row (validates) |
    | escape | Cancel (asks first if the row was edited) |
    | ctrl+z / ctrl+y | Undo / redo typing in a one-line box (a text box keeps its own) |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not a priority key: it then waits behind the keys typed before it (they reach the box first),
        # and what is saved is what the boxes show (Field.current). No control here uses ctrl+s.
        Binding("ctrl+s", "save_row", "Save row"),
        Binding("escape", "cancel", "Cancel"),
        # The draft's undo is the main screen's; here nothing is in the draft yet, and Textual's Input
        # keeps no undo of its own (a TextArea does, and its ctrl+z never reaches these).
        Binding("ctrl+z", "undo_typing", "Undo typing", show=False),
        Binding("ctrl+y", "redo_typing", "Redo typing", show=False),
    ]

    def __init__(self, node: Node, row: dict[str, Any] | None, title: str,
                 suggestions: dict[str, list[str]] | None = None) -> None:
        """``suggestions``: per column key, names offered as the author types (free text allowed):
        the integrations' names for a column that ``covers`` them."""
        super().__init__(classes="row-editor")
        self.node = node
        self.row = dict(row or {})
        self.title_text = title
        self.suggestions = suggestions or {}
        self.typing = TypingHistory()

    def compose(self) -> ComposeResult:
        with Vertical(id="row-dialog", classes="dialog"):
            yield Label(plain_label(self.title_text), classes="dialog-title")
            yield Static("ctrl+s saves the row, escape cancels. Fields marked * are required.", classes="field-help")
            with VerticalScroll(id="row-fields"):
                for column in self.node.children:
                    yield make_field(column, column.key, _one_line(column, self.row.get(column.key, "")))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="row-save", variant="primary")
                yield Button("Cancel", id="row-cancel")

    def on_mount(self) -> None:
        from textual.suggester import SuggestFromList

        for key, names in self.suggestions.items():
            found = self.query(f"#{field_id(key)}")
            if names and found and isinstance(found.first(), Input):
                found.first(Input).suggester = SuggestFromList(names, case_sensitive=False)
        for box in self.query(Input):
            # Each change as it is made (a burst of keys can reach the box before any message is handled).
            self.typing.shown[box] = box.value
            self.watch(box, "value", partial(self.typing.changed, box), init=False)
        self.query(Field).first().query("Input, Select, TextArea").first().focus()

    def action_undo_typing(self) -> None:
        if not (isinstance(self.focused, Input) and self.typing.step(self.focused, back=True)):
            self.notify("Nothing to undo in this box", timeout=2)

    def action_redo_typing(self) -> None:
        if not (isinstance(self.focused, Input) and self.typing.step(self.focused, back=False)):
            self.notify("Nothing to redo in this box", timeout=2)

    def on_edited(self, event: Edited) -> None:
        event.stop()  # the row is written when it is saved, not per keystroke

    @on(Button.Pressed, "#row-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save_row()

    @on(Button.Pressed, "#row-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def values(self) -> dict[str, Any]:
        return {field.node.key: _with_breaks(field.node, field.current()) for field in self.query(Field)}

    def action_save_row(self) -> None:
        bad = 0
        for field in self.query(Field):
            value = field.current()  # what the box shows, the last key typed included
            found = guarded(problem, field.node, _with_breaks(field.node, value))
            if found is None and field.node.required and is_blank(value):
                found = "required"
            field.flag(found)
            bad += found is not None
        if bad:
            self.notify(f"{bad} field{'s' if bad > 1 else ''} to fix before saving the row",
                        severity="error", title="Row not saved")
            return
        self.dismiss({key: as_text(value) for key, value in self.values().items()})

    def edited(self) -> bool:
        return any(as_text(value) != as_text(self.row.get(key, "")) for key, value in self.values().items())

    def action_cancel(self) -> None:
        if not self.edited():
            self.dismiss(None)
            return

        def answered(choice: str | None) -> None:
            if choice == "discard":
                self.dismiss(None)

        self.app.push_screen(ChoiceModal("Discard the changes to this row?",
                                         "What you typed in this row has not been saved to the table.",
                                         [("keep", "Keep editing", "primary"),
                                          ("discard", "Discard changes", "error")]), answered)


class TypingHistory:
    """Each one-line box's earlier values; typing a word (and the spaces after it) is one step."""

    def __init__(self) -> None:
        self.shown: dict[Input, str] = {}
        self.undo: dict[Input, list[str]] = {}
        self.redo: dict[Input, list[str]] = {}
        self.in_word: dict[Input, bool] = {}

    def changed(self, box: Input, value: str) -> None:
        before = self.shown.get(box)
        if before is None:  # the value the box was given
            self.shown[box] = value
            return
        if value == before:  # set by a step below, or no change
            return
        typed = value.startswith(before) and len(value) == len(before) + 1  # one key at the end
        new_word = before[-1:].isspace() and not value[-1:].isspace()
        if not (typed and self.in_word.get(box) and not new_word):
            self.undo.setdefault(box, []).append(before)
        self.in_word[box] = typed
        self.redo.pop(box, None)
        self.shown[box] = value

    def step(self, box: Input, *, back: bool) -> bool:
        """Undo (``back``) or redo one step in ``box``; False when there is none."""
        source, target = (self.undo, self.redo) if back else (self.redo, self.undo)
        earlier = source.get(box)
        if not earlier:
            return False
        target.setdefault(box, []).append(box.value)
        value = earlier.pop()
        self.shown[box] = value
        self.in_word[box] = False
        box.value = value
        box.cursor_position = len(value)
        return True


#: A cell may hold several lines; its one-line box shows each line break as ``\n`` (as ``intwizard set``
#: and the prompts take it), and ``\n`` typed there is a line break.
CELL_BREAK = "\\n"


def _one_line(column: Node, value: Any) -> Any:
    return as_text(value).replace("\n", CELL_BREAK) if column.kind == "line" and isinstance(value, str) else value


def _with_breaks(column: Node, value: Any) -> Any:
    if column.kind != "line" or not isinstance(value, str) or CELL_BREAK not in value:
        return value
    return "\n".join(line.strip() for line in value.split(CELL_BREAK)).strip()
