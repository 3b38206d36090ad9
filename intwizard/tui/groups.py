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
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from intwizard.core.schema import Node
from intwizard.core.values import as_text
from intwizard.tui.fields import Edited
from intwizard.tui.modals import TextPrompt, confirm_delete
from intwizard.tui.session import Op


def entry_title(node: Node, index: int, item: Any) -> str:
    name = as_text(item.get(node.title_field)).strip() if isinstance(item, dict) and node.title_field else ""
    return f"{node.item_label} {node.entry_number(index)}: {name or '(unnamed)'}"


class GroupEditor(Vertical):
    """The entries of a group. Posts :class:`Edited` ops and :class:`GroupEditor.Show` (which entry)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,insert", "add", "Add", show=False),
        Binding("r,f2", "rename", "Rename", show=False),
        Binding("d", "duplicate", "Duplicate", show=False),
        Binding("delete", "delete", "Delete", show=False),
        Binding("ctrl+up", "move(-1)", "Move up", show=False),
        Binding("ctrl+down", "move(1)", "Move down", show=False),
    ]

    class Show(Message):
        """Show the form of entry ``index`` (None: no entry)."""

        def __init__(self, index: int | None, *, edit: bool = False) -> None:
            super().__init__()
            self.index = index
            self.edit = edit
            """Put the cursor in the entry's first field (a new entry is named first)."""

    def __init__(self, node: Node, titles: list[str], names: list[str], selected: int | None) -> None:
        super().__init__(classes="group-editor")
        self.node = node
        self.titles = titles
        self.names = names
        self.selected = selected

    def compose(self) -> ComposeResult:
        options = [Option(Text(title), id=f"entry-{i}") for i, title in enumerate(self.titles)]
        if not options:
            options = [Option(Text(f"No {self.node.item_label.lower()}s yet: press a or Add", style="italic"),
                              disabled=True)]
        yield OptionList(*options, id="group-entries")
        with Horizontal(classes="group-buttons"):
            for label, action in (("Add", "add"), ("Rename", "rename"), ("Delete", "delete"), ("↑", "up"),
                                  ("↓", "down")):
                yield Button(label, name=action, compact=True)

    def on_mount(self) -> None:
        if self.selected is not None and self.titles:
            self.query_one(OptionList).highlighted = self.selected

    def retitle(self, index: int, title: str, name: str) -> None:
        """The entry's name was edited in its form."""
        if 0 <= index < len(self.titles):
            self.titles[index], self.names[index] = title, name
            self.query_one(OptionList).replace_option_prompt_at_index(index, Text(title))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Show(event.option_index, edit=True))  # opened: the cursor goes to its name

    def _current(self) -> int | None:
        if not self.titles:
            return None
        highlighted = self.query_one(OptionList).highlighted
        return highlighted if highlighted is not None else self.selected

    def action_add(self) -> None:
        self.post_message(Edited(Op("append", self.node.key)))
        self.post_message(self.Show(len(self.titles), edit=True))

    def action_rename(self) -> None:
        index = self._current()
        if index is None or not self.node.title_field:
            return
        path = f"{self.node.key}.{index}.{self.node.title_field}"

        def renamed(name: str | None) -> None:
            if name is not None:
                self.post_message(Edited(Op("set", path, name)))
                self.post_message(self.Show(index))

        title_node = self.node.child(self.node.title_field)
        self.app.push_screen(TextPrompt(f"Rename {self.titles[index]}", self.names[index],
                                        title_node.label if title_node else ""), renamed)

    def action_duplicate(self) -> None:
        """A copy of the entry, right after it, with everything in it; its name gets " (copy)"."""
        index = self._current()
        if index is None:
            return
        self.post_message(Edited(Op("duplicate", self.node.key, index=index)))
        name = self.names[index].strip()
        if name and self.node.title_field:
            path = f"{self.node.key}.{index + 1}.{self.node.title_field}"
            self.post_message(Edited(Op("set", path, f"{name} (copy)"), join=True))  # one undo step
        self.post_message(self.Show(index + 1))
        self.notify(f"Duplicated {self.titles[index]}", timeout=3)

    def action_delete(self) -> None:
        index = self._current()
        if index is None:
            return

        def answered(choice: str | None) -> None:
            if choice == "delete":
                self.post_message(Edited(Op("remove", self.node.key, index=index)))
                self.notify(f"{self.titles[index]} deleted: ctrl+z brings it back", timeout=4)
                remaining = len(self.titles) - 1
                self.post_message(self.Show(min(index, remaining - 1) if remaining else None))

        self.app.push_screen(confirm_delete(self.titles[index]), answered)

    def action_move(self, offset: int) -> None:
        index = self._current()
        if index is None or not 0 <= index + offset < len(self.titles):
            return
        self.post_message(Edited(Op("move", self.node.key, index=index, offset=offset)))
        self.post_message(self.Show(index + offset))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"add": self.action_add, "rename": self.action_rename, "delete": self.action_delete,
                   "up": lambda: self.action_move(-1), "down": lambda: self.action_move(1)}
        actions[event.button.name or ""]()
