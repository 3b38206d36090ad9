"""Textual's header, with the screen's title in place from the first frame.

Textual's :class:`~textual.widgets.Header` fills in its title only once it has mounted, which lays
out and paints the screen a second time before the author can type; this one composes the title
and skips an update that would not change it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Header

from intwizard.tui.textual_private import HeaderClockSpace, HeaderIcon, HeaderTitle


class SteadyTitle(HeaderTitle):
    """The title line; an update to what it already shows is ignored."""

    def __init__(self, content: Content) -> None:
        super().__init__(content)
        self._shown: object = content

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        if content == self._shown:
            return
        self._shown = content
        super().update(content, layout=layout)


class SteadyHeader(Header):
    """A clockless :class:`Header` whose title is composed rather than filled in after mounting."""

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield SteadyTitle(self.format_title())
        yield HeaderClockSpace()
