"""Every private Textual name the wizard uses, in one place, each with why no public way exists.

Textual is pinned exactly (pyproject.toml), and ``tests/test_tui_textual_private.py`` imports and
checks each name below (and what the wizard relies on it doing), so an upgrade that removes or
renames one fails loudly there instead of somewhere in the wizard. Nothing else in ``intwizard/tui``
imports from a ``textual.*._module`` or reads a Textual attribute starting with ``_``; when one is
needed, it goes here with its reason.

Uses that were private and now are not: ``Screen._on_screen_resume`` (the public ``on_screen_resume``
runs first, in the subclass, with the same event: the editor sets ``refresh_styles`` there) and
``Footer._bindings_ready`` (only ``Footer.compose``, which ``SteadyFooter`` replaces, read it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# One key of the footer. ``textual.widgets`` exports only ``Footer``, whose ``compose`` builds these;
# SteadyFooter builds them itself, in its own order (see footer.py), so it needs the class.
from textual.widgets._footer import FooterKey

# The header's parts. ``textual.widgets`` exports only ``Header``, whose ``compose`` yields these;
# SteadyHeader composes the same parts (so it looks and behaves like Textual's, clickable icon
# included) with its title filled in from the start, which Header's own compose does not allow.
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingsMap
    from textual.dom import DOMNode
    from textual.screen import Screen

__all__ = ["CRASH_HOOK", "TOGGLE_BOX", "FooterKey", "HeaderClockSpace", "HeaderIcon", "HeaderTitle", "binding_chain",
           "end_pilot_wait"]

#: The App method the crash guard (``WizardApp._handle_exception``) overrides: Textual calls it for
#: every exception a handler, timer or worker lets out, then ends the app. There is no public hook
#: between the exception and the exit (``App.exception`` only holds it afterwards), and the
#: recovery file must be written before the exit.
CRASH_HOOK = "_handle_exception"

#: The ToggleButton property that draws a checkbox's box (``▐X▌`` in Textual's look). ItemCheckbox
#: overrides it to draw ``[x]``/``[ ]``, so a ticked box reads without colour; Textual offers no style
#: or parameter for the box's glyphs.
TOGGLE_BOX = "_button"


def binding_chain(screen: Screen) -> list[tuple[DOMNode, BindingsMap]]:
    """The nodes and bindings, focused widget first, that the screen resolves keys on (up to the
    first modal). ``Screen.active_bindings`` (public) is built from it but keyed by key, in the order
    each *key* was first bound, which loses the order of the bindings that win: the footer lists
    keys by that order (see footer.py)."""
    return screen._modal_binding_chain


def end_pilot_wait(app: App[Any]) -> None:
    """Tell a test's Pilot the app has met its first unexpected error, as Textual's own
    ``_handle_exception`` does (its ``_exception_event``; there is no public setter). Without it a
    test waiting on the screen after the crash guard has run would wait for ever."""
    app._exception_event.set()
