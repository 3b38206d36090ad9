"""The live preview: the exported Markdown, shown by Textual's Markdown widget beside the form.

The screen renders the Markdown in a thread worker (debounced after edits) and hands it here; the
pane then scrolls to the heading of the section being edited.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown


class PreviewPane(VerticalScroll):
    """A scrolling Markdown view of the export."""

    def __init__(self) -> None:
        super().__init__(id="preview")
        self.text = ""
        self.heading = ""

    def compose(self) -> ComposeResult:
        yield Markdown("", id="preview-markdown")

    def on_mount(self) -> None:
        self.border_title = "Preview"

    async def show(self, text: str, heading: str) -> None:
        """Show ``text`` and scroll to the first heading reading ``heading``."""
        markdown = self.query_one(Markdown)
        if text != self.text:
            self.text = text
            await markdown.update(text)
        self.heading = heading
        # New blocks get their final size over a few refreshes: scroll now and once they settle.
        self.call_after_refresh(self.scroll_to_heading, heading)
        self.set_timer(0.3, lambda: self.scroll_to_heading(self.heading))

    def scroll_to_heading(self, heading: str) -> bool:
        markdown = self.query_one(Markdown)
        for _level, label, block_id in markdown.table_of_contents:
            if label.strip() == heading.strip() and block_id:
                markdown.query_one(f"#{block_id}").scroll_visible(top=True, animate=False)
                return True
        return False
