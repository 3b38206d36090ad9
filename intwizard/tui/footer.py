"""Textual's footer, built once with the first screen and rebuilt only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` waits for the screen's first bindings update to show any
key, then rebuilds all its key widgets on every update, which comes with every focus change: at
start-up that was a second layout and paint, and one more rebuild on every Tab. Its keys also come
in the order their *key* was first bound along the focus chain, so a field's own hidden ``ctrl+e``
moved Export to the front whenever a field had focus. Here the keys are listed in the order of the
bindings that win (the focused widget's, then the screen's in :data:`~intwizard.tui.commands.COMMANDS`
order, then the app's), whatever has focus, so the same keys always give the same footer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Footer

from intwizard.tui.textual_private import FooterKey, binding_chain

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen

Shown = tuple[tuple[object, ...], ...]

#: From this width the footer has its roomy spacing; below it, compact (80 columns fit every key).
ROOMY_FOOTER = 100
#: Keys the footer leaves out first when the terminal is too narrow for all (their buttons show).
SPARE = ("next_section", "previous_section")
#: Columns the palette key takes at the right (its key, label, border and padding).
PALETTE_WIDTH = 13


def shown_bindings(screen: Screen) -> list[tuple[Binding, bool, str]]:
    """The bindings the footer shows, one per action, in the order described above."""
    active = screen.active_bindings
    ordered: list[tuple[Binding, bool, str]] = []
    actions: set[str] = set()
    for _namespace, bindings in binding_chain(screen):
        for key, binding in bindings:
            winner = active.get(key)
            if winner is None or winner.binding is not binding or not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            ordered.append((binding, winner.enabled, winner.tooltip))
    return ordered


def key_width(screen: Screen, binding: Binding, compact: bool) -> int:
    """Columns one key takes in the footer (its key, its label, the spacing around them)."""
    return len(screen.app.get_key_display(binding)) + len(binding.description) + (2 if compact else 3)


def fitting(screen: Screen, width: int) -> list[tuple[Binding, bool, str]]:
    """The footer's keys that fit in ``width`` columns: the spare ones go first, then from the end."""
    shown = shown_bindings(screen)
    compact = width < ROOMY_FOOTER

    def total(keys: list[tuple[Binding, bool, str]]) -> int:
        return sum(key_width(screen, binding, compact) for binding, _, _ in keys) + PALETTE_WIDTH

    for action in SPARE:
        if total(shown) <= width:
            break
        shown = [key for key in shown if key[0].action != action]
    while shown and total(shown) > width:
        shown.pop()
    return shown


def shown_keys(screen: Screen) -> Shown:
    """What the footer displays, to tell whether a rebuild would change anything."""
    palette = screen.active_bindings.get(screen.app.COMMAND_PALETTE_BINDING)
    width = screen.app.size.width
    keys = (*((binding.key, binding.action, binding.description, enabled, tooltip)
              for binding, enabled, tooltip in fitting(screen, width)), (width < ROOMY_FOOTER,))
    return keys + ((("palette", palette.enabled),) if palette is not None else ())


class SteadyFooter(Footer):
    """A :class:`Footer` with its keys from the first frame, rebuilt only when they change."""

    _shown: Shown | None = None

    def compose(self) -> ComposeResult:
        screen = self.screen
        width = self.app.size.width
        self.set_reactive(Footer.compact, width < ROOMY_FOOTER)
        self.set_class(width < ROOMY_FOOTER, "-compact")
        self._shown = shown_keys(screen)
        shown = fitting(screen, width)
        self.styles.grid_size_columns = len(shown)
        for binding, enabled, tooltip in shown:
            yield self._key(binding, enabled, tooltip)
        palette = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            key = self._key(palette.binding, palette.enabled, palette.binding.tooltip or palette.binding.description)
            key.add_class("-command-palette")
            yield key

    def _key(self, binding: Binding, enabled: bool, tooltip: str) -> FooterKey:
        key = FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                        disabled=not enabled, tooltip=tooltip)
        # Born with the footer's setting: Textual's keys start compact and are switched back once
        # bound, restyling each key twice per build.
        key.set_reactive(FooterKey.compact, self.compact)
        return key.data_bind(compact=Footer.compact)

    def on_resize(self) -> None:
        if self.is_attached and shown_keys(self.screen) != self._shown:
            self.call_after_refresh(self.recompose)

    def bindings_changed(self, screen: Screen) -> None:
        if not (self.is_attached and screen is self.screen and screen.app.app_focus):
            return
        if shown_keys(screen) != self._shown:
            self.call_after_refresh(self.recompose)
