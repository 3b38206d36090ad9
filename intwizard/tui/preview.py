"""The live preview: the exported Markdown, shown by Textual's Markdown widget beside the form.

The screen renders the Markdown in a thread worker (debounced after edits) and hands it here; the
pane then scrolls to the heading of the section being edited.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

#: Beyond this many characters the pane shows only the current section: Textual's Markdown widget
#: builds a widget per block, and a whole large draft would take seconds to lay out.
FULL_PREVIEW_LIMIT = 40_000


def excerpt(markdown: str, heading: str, limit: int = FULL_PREVIEW_LIMIT) -> str:
    """The whole document when it is small enough, else the ``## heading`` section alone."""
    if len(markdown) <= limit:
        return markdown
    lines = markdown.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() == f"## {heading}"), None)
    if start is None:
        return markdown[:limit] + "\n\n*(preview cut: the draft is large)*\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    part = "\n".join(lines[start:end])[:limit]
    return f"*Large draft: previewing this section only.*\n\n{part}\n"


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
