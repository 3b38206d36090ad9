"""The command palette's wizard entries: every command of :data:`~intwizard.tui.commands.COMMANDS`,
and a jump to every section and every integration.

The provider knows the screen it serves only by what it asks of it (:class:`PaletteHost`), so it does
not import the editor screen, which imports the commands it lists: no import cycle.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from intwizard.tui.commands import COMMANDS


@runtime_checkable
class PaletteHost(Protocol):
    """What a screen offers the palette (the editor screen does; other screens get no entries)."""

    def destinations(self) -> list[tuple[str, str, int | None]]:
        """(title, section key, entry index or None) for every place to jump to."""
        ...

    def goto(self, section: str, entry: int | None = None) -> None: ...

    def run_action(self, action: str) -> Awaitable[bool]: ...


class WizardCommands(Provider):
    """Palette entries: every command, and a jump to every section and every integration."""

    def _entries(self) -> list[tuple[str, str, Callable[[], object]]]:
        host = self.screen
        if not isinstance(host, PaletteHost):
            return []
        entries: list[tuple[str, str, Callable[[], object]]] = [
            (command.title, command.help + (f" ({command.key.split(',')[0]})" if command.key else ""),
             partial(host.run_action, command.action))
            for command in COMMANDS
        ]
        for title, section, item in host.destinations():
            entries.append((f"Go to {title}", "Jump to this part of the draft", partial(host.goto, section, item)))
        return entries

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
