"""Repeatable groups (one entry per external or internal integration): the list of entries with
add, rename, delete (after a confirmation) and reorder, above the form of the chosen entry.

| Key (list focused) | Action |
| --- | --- |
| enter / click | Show this entry's form |
| a / insert | Add an entry |
| r / f2 | Rename (its title field) |
| d | Duplicate (everything in it; the name gets " (copy)") |
| delete | Delete (asks first) |
| ctrl+up / ctrl+down | Move up / down |

The buttons under the list do the same with the mouse. It edits its list as the table editor does
(see :mod:`intwizard.tui.list_editor`): each change posts an op, and the entries shown are the ones
the screen hands back; :class:`GroupEditor.Show` asks the screen for an entry's form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from intwizard.core.schema import Node
from intwizard.core.values import as_text
from intwizard.tui.list_editor import ListEditor
from intwizard.tui.modals import TextPrompt, confirm_delete
from intwizard.tui.session import Op


def entry_title(node: Node, index: int, item: Any) -> str:
    name = as_text(item.get(node.title_field)).strip() if isinstance(item, dict) and node.title_field else ""
    return f"{node.item_label} {node.entry_number(index)}: {name or '(unnamed)'}"


class Entry(NamedTuple):
    """How the list shows one entry: its title ("Integration 2: Paylane") and its name as written."""

    title: str
    name: str


def entries_of(node: Node, items: Any) -> list[Entry]:
    """The entries of a group's list, as the list shows them."""
    entries = items if isinstance(items, list) else []
    return [Entry(entry_title(node, index, item),
                  as_text(item.get(node.title_field)) if isinstance(item, dict) and node.title_field else "")
            for index, item in enumerate(entries)]


class EntryList(OptionList):
    """The list of a group's entries (its own class, so what has the cursor can be told by type)."""


class GroupEditor(ListEditor):
    """The entries of a group. Posts :class:`Edited` ops and :class:`GroupEditor.Show` (which entry)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,insert", "add", "Add", show=False),
        Binding("r,f2", "rename", "Rename", show=False),
        Binding("d", "duplicate", "Duplicate", show=False),
        Binding("delete", "delete", "Delete", show=False),
        Binding("ctrl+up", "move(-1)", "Move up", show=False),
        Binding("ctrl+down", "move(1)", "Move down", show=False),
    ]

    @dataclass
    class Show(Message):
        """Show the form of entry ``index`` (None: no entry)."""

        group_editor: GroupEditor
        index: int | None
        edit: bool = False
        """Put the cursor in the entry's first field (a new entry is named first)."""

        @property
        def control(self) -> GroupEditor:
            return self.group_editor

    def __init__(self, node: Node, items: Any, selected: int | None) -> None:
        """``items``: the group's list as the draft holds it; ``selected``: the entry shown."""
        super().__init__(node, node.key, classes="group-editor")
        self.entries = entries_of(node, items)
        """The entries as the draft last handed them down (never edited here)."""
        self.selected = selected

    def compose(self) -> ComposeResult:
        yield EntryList(*self._options(), id="group-entries")
        with Horizontal(classes="group-buttons"):
            for label, action in (("Add", "add"), ("Rename", "rename"), ("Delete", "delete"), ("↑", "up"),
                                  ("↓", "down")):
                yield Button(label, name=action, compact=True, classes=f"group-{action}")

    def _options(self) -> list[Option]:
        options = [Option(Text(entry.title), id=f"entry-{i}") for i, entry in enumerate(self.entries)]
        if not options:
            options = [Option(Text(f"No {self.node.item_label.lower()}s yet: press a or Add", style="italic"),
                              disabled=True)]
        return options

    @property
    def entry_list(self) -> EntryList:
        return self.query_one(EntryList)

    def on_mount(self) -> None:
        if self.selected is not None and self.entries:
            self.entry_list.highlighted = self.selected

    def follows(self, path: str) -> bool:
        """A list op on the group, or an entry's name (its title in the list) edited in its form."""
        parts = path.split(".")
        return path == self.path or (len(parts) == 3 and parts[0] == self.path and parts[1].isdigit()
                                     and parts[2] == self.node.title_field)

    def given(self, value: Any) -> None:
        cursor = self.take_cursor()
        entries = entries_of(self.node, value)
        shown = self.entry_list
        if len(entries) == len(self.entries):
            for index, (old, new) in enumerate(zip(self.entries, entries, strict=True)):
                if old.title != new.title:
                    shown.replace_option_prompt_at_index(index, Text(new.title))
            self.entries = entries
        else:
            self.entries = entries
            shown.set_options(self._options())
        if cursor is not None and self.entries:
            shown.highlighted = max(0, min(cursor, len(self.entries) - 1))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Show(self, event.option_index, edit=True))  # opened: the cursor goes to its name

    def _current(self) -> int | None:
        if not self.entries:
            return None
        highlighted = self.entry_list.highlighted
        return highlighted if highlighted is not None else self.selected

    def action_add(self) -> None:
        self.post_op(Op("append", self.path), cursor=len(self.entries))
        self.post_message(self.Show(self, len(self.entries), edit=True))

    def action_rename(self) -> None:
        index = self._current()
        if index is None or not self.node.title_field:
            return
        path = f"{self.path}.{index}.{self.node.title_field}"

        def renamed(name: str | None) -> None:
            if name is not None:
                self.post_op(Op("set", path, name))
                self.post_message(self.Show(self, index))

        title_node = self.node.child(self.node.title_field)
        entry = self.entries[index]
        self.app.push_screen(TextPrompt(f"Rename {entry.title}", entry.name, title_node.label if title_node else ""),
                             renamed)

    def action_duplicate(self) -> None:
        """A copy of the entry, right after it, with everything in it; its name gets " (copy)"."""
        index = self._current()
        if index is None:
            return
        entry = self.entries[index]
        self.post_op(Op("duplicate", self.path, index=index), cursor=index + 1)
        name = entry.name.strip()
        if name and self.node.title_field:
            path = f"{self.path}.{index + 1}.{self.node.title_field}"
            self.post_op(Op("set", path, f"{name} (copy)"), join=True)  # one undo step
        self.post_message(self.Show(self, index + 1))
        self.notify(f"Duplicated {entry.title}", timeout=3)

    def action_delete(self) -> None:
        index = self._current()
        if index is None:
            return
        entry = self.entries[index]

        def answered(choice: str | None) -> None:
            if choice == "delete":
                remaining = len(self.entries) - 1
                self.post_op(Op("remove", self.path, index=index), cursor=index)
                self.notify(f"{entry.title} deleted: ctrl+z brings it back", timeout=4)
                self.post_message(self.Show(self, min(index, remaining - 1) if remaining else None))

        self.app.push_screen(confirm_delete(entry.title), answered)

    def action_move(self, offset: int) -> None:
        index = self._current()
        if index is None or not 0 <= index + offset < len(self.entries):
            return
        self.post_op(Op("move", self.path, index=index, offset=offset), cursor=index + offset)
        self.post_message(self.Show(self, index + offset))

    @on(Button.Pressed, ".group-add")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add()

    @on(Button.Pressed, ".group-rename")
    def _rename_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_rename()

    @on(Button.Pressed, ".group-delete")
    def _delete_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_delete()

    @on(Button.Pressed, ".group-up")
    def _up_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_move(-1)

    @on(Button.Pressed, ".group-down")
    def _down_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_move(1)
