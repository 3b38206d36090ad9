"""Small dialogs: a question with a few answers (delete?, conflict, quit after a failed save), and a
one-line prompt (rename). Each dismisses with the answer, or None on escape."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static
from textual.widgets.button import ButtonVariant

from intwizard.tui.fields import plain_label


class ChoiceModal(ModalScreen[str | None]):
    """A message and buttons; dismisses with the pressed button's id (None on escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, message: str, choices: list[tuple[str, str, ButtonVariant]]) -> None:
        """``choices``: (id, label, variant) per button, e.g. ("overwrite", "Overwrite", "warning")."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain_label(self.title_text), classes="dialog-title")
            yield Static(plain_label(self.message), classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                for choice_id, label, variant in self.choices:
                    yield Button(label, id=f"choice-{choice_id}", variant=variant, classes="choice")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed, ".choice")
    def _chosen(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-") or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def confirm_delete(what: str) -> ChoiceModal:
    return ChoiceModal("Delete?", f"Delete {what}? Everything written in it goes too (ctrl+z brings it back).",
                       [("delete", "Delete", "error"), ("cancel", "Keep it", "default")])


def conflict_modal(path: str) -> ChoiceModal:
    return ChoiceModal(
        "The draft changed on disk",
        f"{path} was changed by another program since the wizard read it. Nothing was written.\n\n"
        "Reload: read the file again (edits made here since the last save are dropped).\n"
        "Overwrite: replace the file with what is here.\n"
        "Save as: keep both, write this version to another file.",
        [("reload", "Reload", "warning"), ("overwrite", "Overwrite", "error"), ("save_as", "Save as…", "primary"),
         ("cancel", "Cancel", "default")],
    )


def quit_failed_modal(reason: str) -> ChoiceModal:
    return ChoiceModal(
        "Could not save before quitting",
        f"{reason}\n\nYour edits are still here. Save them to another file, or quit and lose them.",
        [("save_as", "Save as…", "primary"), ("discard", "Quit without saving", "error"),
         ("cancel", "Cancel", "default")],
    )


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text (e.g. an integration's new name)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain_label(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", id="prompt-ok", variant="primary")
                yield Button("Cancel", id="prompt-cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    @on(Button.Pressed, "#prompt-ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.query_one(Input).value)

    @on(Button.Pressed, "#prompt-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
