"""The form of one section (or of one entry of a repeatable group), generated from the schema, and
the scrolling area that holds it.

Nothing here knows the template's fields: a section's children become field widgets by kind
(:func:`make_field`, also used by the row editor for a row's columns), and a subsection becomes a
subheading followed by its own fields.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Static

from intwizard.core.schema import Node
from intwizard.core.values import as_mapping, not_applicable
from intwizard.tui.fields import (
    ChecklistField,
    ChoiceField,
    Field,
    LineField,
    ListField,
    SignoffField,
    TextField,
    plain_label,
)
from intwizard.tui.table_editor import TableField

#: Seconds after the mouse wheel stops before focus follows the fields into view.
WHEEL_SETTLE = 0.25

#: The widget of each kind of field (sections and groups are not fields: see :func:`_fields`).
FIELD_CLASSES: dict[str, type[Field]] = {
    "line": LineField, "date": LineField, "text": TextField, "code": TextField, "choice": ChoiceField,
    "list": ListField, "checklist": ChecklistField, "signoff": SignoffField, "table": TableField,
}


def make_field(node: Node, path: str, value: Any) -> Field:
    """The widget for a field of this node's kind."""
    return FIELD_CLASSES[node.kind](node, path, value)


class SectionForm(Vertical):
    """Fields for ``nodes`` under ``path``, filled from ``values`` (the draft's mapping there).

    Its height is its content's (``.section-form`` in app.tcss): a Vertical's default ``1fr`` would
    clip everything below the first screenful inside the scrolling :class:`FormScroll`."""

    def __init__(self, nodes: tuple[Node, ...], path: str, values: Any, *, id: str | None = None) -> None:
        super().__init__(classes="section-form", id=id)
        self.nodes = nodes
        self.path = path
        self.values = as_mapping(values)

    def compose(self) -> ComposeResult:
        yield from _fields(self.nodes, self.path, self.values, depth=0)


def visible_focusables(scroll: Widget) -> list[Widget]:
    """The focusable widgets under ``scroll`` whose whole region is on screen in it, top to bottom."""
    window = scroll.content_region
    return [widget for widget in scroll.query("*") if widget.focusable and widget.region
            and window.contains_region(widget.region)]


class FormScroll(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The scrolling form. Focus stays on what the author sees: PageUp/PageDown scroll a page and put
    the cursor in the first field shown; the mouse wheel scrolls, and once it stops, a cursor left
    out of sight moves to the first field in view (in a text box too: PageUp/PageDown are the form's).
    Up/down between fields move the cursor (in widgets
    that use the arrows themselves, the arrows stay theirs). Never focused itself: Tab goes to fields."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: a text box on the way would otherwise keep them, and the form would stop paging.
        Binding("pageup", "page(-1)", "Page up", show=False, priority=True),
        Binding("pagedown", "page(1)", "Page down", show=False, priority=True),
        Binding("up", "app.focus_previous", "Previous field", show=False),
        Binding("down", "app.focus_next", "Next field", show=False),
    ]

    def action_page(self, direction: int) -> None:
        # Where each field will be is worked out from where it is now and how far the page moves:
        # the widgets' screen regions (and the scroll offset) change only with the next refresh.
        before = round(self.scroll_y)
        window = self.scrollable_content_region
        target = min(max(before + direction * window.height, 0), round(self.max_scroll_y))
        placed = [(widget, widget.region) for widget in self.query("*") if widget.focusable and widget.region]
        self.scroll_to(y=target, animate=False)
        shown = [widget for widget, region in placed if window.contains_region(region.translate((0, before - target)))]
        if shown:
            self._focus_one(shown)

    def _focus_in_view(self, direction: int = 1) -> None:
        """Put the cursor in the first field in view, unless (after the wheel) it still is in view."""
        focused = self.screen.focused
        inside = focused is not None and self in focused.ancestors
        if direction == 0 and focused is not None and inside and self.content_region.contains_region(focused.region):
            return
        shown = visible_focusables(self)
        if shown:
            self._focus_one(shown)

    def _focus_one(self, shown: list[Widget]) -> None:
        """Focus the first of the fields in view (a button only when no field is)."""
        target = next((widget for widget in shown if not isinstance(widget, Button)), shown[0])
        if target is not self.screen.focused:
            self.screen.set_focus(target, scroll_visible=False)

    def _wheeled(self) -> None:
        timer: Timer | None = getattr(self, "_wheel_timer", None)
        if timer is not None:
            timer.stop()
        self._wheel_timer = self.set_timer(WHEEL_SETTLE, lambda: self._focus_in_view(0))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheeled()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheeled()


def _fields(nodes: tuple[Node, ...], path: str, values: dict, depth: int) -> ComposeResult:
    for node in nodes:
        child_path = f"{path}.{node.key}" if path else node.key
        value = values.get(node.key)
        if node.kind == "section":
            yield Static(plain_label(node.label), classes=f"subheading depth-{depth}")
            reason = not_applicable(value)
            if reason is not None:
                yield Static(plain_label(f"Not applicable{': ' + reason if reason else ''} (answering a field "
                                         "below says it applies after all)"), classes="field-not-applicable")
            yield from _fields(node.children, child_path, as_mapping(value), depth + 1)
        elif node.kind == "group":
            yield Static(plain_label(f"{node.label}: edit it from its own section."), classes="field-help")
        else:
            yield make_field(node, child_path, value)
