"""The wizard's commands, as data: one record per command gives its key, its footer label and its
palette entry, so a key and its palette entry never drift apart.

Adding a command is one entry in :data:`COMMANDS`: say ``Command("import_markdown", "", "Import
Markdown…", "Read an existing spec into this draft", footer=False)`` and give the editor screen
(:class:`intwizard.tui.editor.EditorScreen`) an ``action_import_markdown`` method. The screen's
``BINDINGS`` and the palette's :class:`~intwizard.tui.palette.WizardCommands` provider are both
built from this list.
An empty key means palette only.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Command:
    action: str
    """The editor screen's action (``action_<name>``)."""
    key: str
    title: str
    help: str
    footer: bool = True
    """Shown in the footer (palette entries are always listed)."""
    priority: bool = True
    """Ahead of the focused widget's own keys. Off for undo/redo: in a text editor ctrl+z is its own."""


COMMANDS: tuple[Command, ...] = (
    Command("save", "ctrl+s", "Save", "Save the draft now"),
    Command("quit", "ctrl+q", "Quit", "Save the draft and leave"),
    Command("export", "ctrl+o", "Export", "Write the Markdown spec beside the draft"),
    Command("toggle_preview", "ctrl+t", "Preview", "Show or hide the live Markdown preview"),
    Command("previous_section", "ctrl+b", "Back", "Go to the previous section"),
    Command("next_section", "ctrl+n", "Next", "Go to the next section"),
    Command("undo", "ctrl+z", "Undo", "Undo the last change to the draft (in a text editor: its own undo)",
            footer=False, priority=False),
    Command("redo", "ctrl+y,ctrl+shift+z", "Redo", "Redo the change just undone", footer=False, priority=False),
    Command("next_problem", "f8", "Next problem", "Go to the next field `intwizard check` reports", footer=False),
    Command("not_applicable", "f4", "Not applicable", "Answer the field with the cursor \"not applicable\" (a reason "
            "is asked)", footer=False),
    Command("section_not_applicable", "", "Section not applicable…",
            "Answer the whole section with the cursor \"not applicable\" (a reason is asked)", footer=False),
    Command("use_example", "f5", "Use the example", "Copy the template's example into the field with the cursor",
            footer=False),
    Command("duplicate_integration", "", "Duplicate integration",
            "Copy the integration shown, with everything in it (d in the list of integrations)", footer=False),
    Command("toggle_sidebar", "ctrl+l", "Sections", "Hide or show the list of sections"),
    Command("save_as", "", "Save as…", "Save the draft under another name", footer=False),
    Command("import_api", "", "Import API contract…",
            "Fill an external integration from an OpenAPI, AsyncAPI, .proto or GraphQL file", footer=False),
    Command("refresh_sources", "", "Refresh from API sources",
            "Import again every API contract this draft was filled from (intwizard refresh)", footer=False),
    Command("import_markdown", "", "Import Markdown…", "Make a new draft from a Markdown spec and open it",
            footer=False),
    Command("draw_diagram", "", "Draw overview diagram", "Draw the Integration Overview Diagram from the integrations",
            footer=False),
)


def bindings(commands: tuple[Command, ...] = COMMANDS) -> list[BindingType]:
    """Screen bindings for the commands that have a key. Priority ones work inside fields: so no
    priority command may take a key that text fields use for editing (ctrl+a/e/k/u/w/d/x/c/v/z/y,
    home, end; see test_tui_view)."""
    return [Binding(c.key, c.action, c.title, show=c.footer, priority=c.priority, tooltip=c.help)
            for c in commands if c.key]
