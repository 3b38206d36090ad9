"""Answers that are not typed: "not applicable, because …" and "use the template's example".

The pieces an import kept aside (no template field had room for them) are shown in their section,
each as text to edit with a button to delete it (:class:`KeptPiece`).

:class:`Answers` is owned by the editor screen (:class:`intwizard.tui.editor.EditorScreen`), like
its save flow and its imports, and asks of it only :class:`AnswerHost`: ``not_applicable`` marks the
focused field (or, for ``section_not_applicable``, the section it is in) with a reason asked in a
dialog; ``use_example`` copies the template's example into the focused field. Both are one
undoable edit, and the section is shown again with the cursor back on the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Label, TextArea

from intwizard.core.checks import schema_path
from intwizard.core.draft import KEPT_PATH
from intwizard.core.schema import NOT_APPLICABLE, Node
from intwizard.core.values import is_blank, not_applicable
from intwizard.core.yamlio import to_plain
from intwizard.tui.fields import plain_label
from intwizard.tui.messages import Edited
from intwizard.tui.session import Op

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget

    from intwizard.core.schema import Schema
    from intwizard.tui.session import Session


class AnswerHost(Protocol):
    """What the answers ask of the editor screen that owns them."""

    schema: Schema
    session: Session
    section: str

    @property
    def screen(self) -> Screen[object]: ...

    def apply_edit(self, op: Op, *, join: bool = False) -> None: ...

    async def show_section(self, section: str, entry: int | None = None, *, focus: bool = False) -> None: ...

    def focus_path(self, path: str, row: int | None = None) -> Widget | None: ...


class Answers:
    """The editor's not-applicable and use-the-example commands."""

    def __init__(self, host: AnswerHost) -> None:
        self.host = host

    def _focused_field(self) -> tuple[Node, str] | None:
        from intwizard.tui.fields import Field

        focused = self.host.screen.focused
        field = next((node for node in (focused.ancestors_with_self if focused else []) if isinstance(node, Field)),
                     None)
        return (field.node, field.path) if field is not None else None

    def _section_around(self, path: str | None) -> tuple[Node, str] | None:
        """The innermost section holding ``path`` (the section shown when nothing is focused)."""
        parts = path.split(".")[:-1] if path else [self.host.section]
        while parts:
            node = self.host.schema.node(schema_path(".".join(parts)))
            if node is not None and node.kind == "section" and not parts[-1].isdigit():
                return node, ".".join(parts)
            parts = parts[:-1]
        return None

    def not_applicable(self) -> None:
        found = self._focused_field()
        if found is None:
            self.section_not_applicable()
            return
        self._ask_reason(*found, section=False)

    def section_not_applicable(self) -> None:
        focused = self._focused_field()
        found = self._section_around(focused[1] if focused else None)
        if found is None:
            self.host.screen.notify("This part is not a section: mark one of its fields instead.",
                                    title="Not applicable", timeout=4)
            return
        self._ask_reason(*found, section=True)

    def _ask_reason(self, node: Node, path: str, *, section: bool) -> None:
        from intwizard.tui.modals import TextPrompt

        current = self.host.session.draft.get(path)

        def answered(reason: str | None) -> None:
            if reason is None:
                return
            if not reason.strip():
                self.host.screen.notify("Say why it does not apply: nothing was changed.", title="Not applicable",
                                        timeout=4)
                return
            value: Any = {NOT_APPLICABLE: reason.strip()}
            if section and isinstance(current, dict):  # a section keeps what its fields hold
                value.update((key, item) for key, item in to_plain(current).items() if key != NOT_APPLICABLE)
            self._answer(path, value, f"{node.label}: not applicable")

        self.host.screen.app.push_screen(TextPrompt(f"Why does {node.label} not apply?", not_applicable(current) or "",
                                                    placeholder="e.g. no card data is stored or passed"), answered)

    def use_example(self) -> None:
        found = self._focused_field()
        node = found[0] if found else None
        if node is None or node.example is None:
            what = f"{node.label} has" if node else "Put the cursor in a field that has one; this place has"
            self.host.screen.notify(f"{what} no example in the template.", title="Use the example", timeout=4)
            return
        assert found is not None
        self._answer(found[1], to_plain(node.example), f"{node.label}: the template's example")

    def _answer(self, path: str, value: Any, said: str) -> None:
        host = self.host
        was = host.session.draft.get(path)
        host.apply_edit(Op("set", path, value))
        parts = path.split(".")
        top = host.schema.section(parts[0])
        entry = int(parts[1]) if top is not None and top.kind == "group" and len(parts) > 1 \
            and parts[1].isdigit() else None

        async def show() -> None:
            await host.show_section(parts[0], entry)
            host.focus_path(path)

        host.screen.run_worker(show(), group="show", exclusive=True)
        host.screen.notify(f"{said}{' (was empty)' if is_blank(was) else ''}; ctrl+z undoes it", timeout=3)


def kept_here(pieces: list[Any], section: str, entry: int | None) -> list[int]:
    """Indexes of the import's kept pieces that belong to the section shown (for a group: its
    introduction and the entry shown; an unknown section of the document: the section before it)."""
    own = f"{section}.{entry}" if entry is not None else section
    found = []
    for index, piece in enumerate(pieces):
        path = piece.get("path") if isinstance(piece, dict) else None
        if not isinstance(path, str):
            continue
        if path in (own, section) or path.startswith(own + ".") or (path == "" and piece.get("after") == section):
            found.append(index)
    return found


def kept_widgets(draft: Any, section: str, entry: int | None) -> list[KeptPiece]:
    """A box per kept piece of this section: its text to edit, a button to delete it."""
    pieces = list(draft.kept())
    return [KeptPiece(index, pieces[index]) for index in kept_here(pieces, section, entry)]


class KeptRemoved(Message):
    """A kept piece was deleted: the section is shown again (the others renumbered)."""


class KeptPiece(Vertical):
    """Text the imported document had where the template has no field; exported where it was found."""

    def __init__(self, index: int, piece: dict) -> None:
        super().__init__(classes="field kept-piece", id=f"kept-{index}")
        self.index = index
        self.piece = piece

    def compose(self) -> ComposeResult:
        where = str(self.piece.get("where", ""))
        yield Label(plain_label(f"Kept from the imported document (no template field): {where}"),
                    classes="field-label")
        yield TextArea(str(self.piece.get("text", "")), soft_wrap=True, id=f"kept-text-{self.index}")
        yield Button("Delete this text", id=f"kept-delete-{self.index}", variant="error", classes="kept-delete")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if event.text_area.text != str(self.piece.get("text", "")):
            self.piece = {**self.piece, "text": event.text_area.text}
            self.post_message(Edited(self, Op("set", f"{KEPT_PATH}.{self.index}.text", event.text_area.text)))

    @on(Button.Pressed, ".kept-delete")
    def _delete_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(Edited(self, Op("remove", KEPT_PATH, index=self.index)))
        self.post_message(KeptRemoved())
