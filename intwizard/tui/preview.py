"""The live preview: the exported Markdown, shown by Textual's Markdown widget beside the form.

The screen renders the Markdown in a thread worker (debounced after edits) and hands it here; the
pane then scrolls to the heading of the section being edited.

Textual's ``Markdown.update`` replaces a document in batches of blocks, so a long one shows half
old, half new for a second or more, and the pane jumps to the top meanwhile. Here a new document
is built in a second, hidden Markdown widget; only once all of it is mounted does it take the old
one's place, and it shows once it is scrolled to the current section's heading.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

#: Seconds after a swap before the heading is looked up once more (blocks settle their heights).
SETTLE = 0.3


class PreviewPane(VerticalScroll):
    """A scrolling Markdown view of the export."""

    def __init__(self) -> None:
        super().__init__(id="preview")
        self.text = ""
        self.heading = ""

    def compose(self) -> ComposeResult:
        yield Markdown("", classes="preview-markdown")

    def on_mount(self) -> None:
        self.border_title = "Preview"

    @property
    def document(self) -> Markdown:
        """The Markdown widget being shown."""
        return self.query(".preview-markdown").last(Markdown)

    async def show(self, text: str, heading: str) -> None:
        """Show ``text`` and scroll to the first heading reading ``heading``."""
        self.heading = heading
        if text == self.text:
            self.scroll_to_heading(heading)
            return
        self.text = text
        old = self.document
        new = Markdown()
        new.display = False
        await self.mount(new)
        await new.update(text)
        if self.text != text or not new.is_attached:
            await new.remove()  # a newer document arrived meanwhile: it takes over
            return
        new.styles.visibility = "hidden"  # laid out, not drawn, until it is scrolled to the heading
        with self.app.batch_update():
            await old.remove()
            new.add_class("preview-markdown")
            new.display = True
        self.call_after_refresh(self._reveal, new)

    def _reveal(self, document: Markdown) -> None:
        self.scroll_to_heading(self.heading)
        document.styles.visibility = "visible"
        self.set_timer(SETTLE, lambda: self.scroll_to_heading(self.heading))

    def scroll_to_heading(self, heading: str) -> bool:
        markdown = self.document
        for _level, label, block_id in markdown.table_of_contents:
            if label.strip() == heading.strip() and block_id:
                markdown.query_one(f"#{block_id}").scroll_visible(top=True, animate=False)
                return True
        return False
