"""Textual's footer, rebuilt only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` rebuilds all its key widgets whenever the screen's bindings
are updated, which happens on every focus change even when the same keys stay on show: at start-up
that was five rebuilds (a sixth of the time to the first screen), and one more on every Tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


def shown_keys(screen: Screen) -> tuple[tuple[object, ...], ...]:
    """What the footer displays: each shown binding (and the palette's) with its state."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple((binding.key, binding.action, binding.description, enabled, tooltip)
                 for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
                 if binding.show or key == palette)


class SteadyFooter(Footer):
    """A :class:`Footer` that skips rebuilding when nothing it shows has changed."""

    _shown: tuple[tuple[object, ...], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = shown_keys(screen)
        if self._bindings_ready and shown == self._shown:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # rebuilt (Footer skips it while the terminal is unfocused)
