"""Keys typed where no text goes (a list, a table, a button) are not dropped without a word: the
screen says what has the cursor and how to get to a field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widget import Widget

from intwizard.tui.groups import EntryList
from intwizard.tui.sidebar import Sidebar

if TYPE_CHECKING:
    from textual.screen import Screen

    _Host = Screen  # for the type checker: the screen this mixes into
else:
    _Host = object

#: Seconds between two such notes (typing on into a list says it once).
QUIET = 3.0


def where_text_goes(widget: Widget | None) -> bool:
    """Whether ``widget`` takes typed text (or has its own use for letters: a menu's type-to-search)."""
    from textual.widgets import Input, Select, TextArea

    return widget is None or isinstance(widget, (Input, TextArea, Select)) or \
        any(isinstance(ancestor, Select) for ancestor in widget.ancestors)


def stray_note(widget: Widget) -> str:
    """What to tell an author whose typing went to ``widget``."""
    from textual.widgets import Button, Checkbox, DataTable, OptionList

    if isinstance(widget, Sidebar):
        what = "the list of sections has the cursor: enter opens one"
    elif isinstance(widget, EntryList):
        what = "the list of entries has the cursor: enter opens one (its name first), a adds one"
    elif isinstance(widget, DataTable):
        what = "the table has the cursor: enter edits the row, a adds one"
    elif isinstance(widget, Checkbox):
        what = "a checkbox has the cursor: space ticks it"
    elif isinstance(widget, Button):
        what = "a button has the cursor: enter presses it"
    elif isinstance(widget, OptionList):
        what = "a list has the cursor: enter picks an entry"
    else:
        what = "nothing that takes text has the cursor"
    return f"Not typed: {what}; Tab moves to the next field."


class StrayKeys(_Host):
    """Mixin for a screen: a printable key nothing used gets a note instead of vanishing."""

    _stray_at: float = -QUIET

    def on_key(self, event: events.Key) -> None:
        if not event.is_printable or event.character in (None, " ") or event.key in self.active_bindings:
            return
        focused = self.app.focused
        if focused is None or where_text_goes(focused):
            return
        now = event.time
        if now - self._stray_at >= QUIET:
            self._stray_at = now
            self.notify(stray_note(focused), title="Nothing typed", timeout=QUIET)
