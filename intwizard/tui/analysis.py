"""The sidebar's marks and the preview's Markdown, recomputed off the UI thread a moment after the
last edit (:class:`Analysis`, owned by the editor screen). The screen's ``statuses`` reactive takes
the marks (the sidebar is bound to it); the preview pane, when shown, takes the Markdown.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any, Protocol

from intwizard.tui.messages import Analysed, Primed

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.timer import Timer

    from intwizard.core.schema import Node, Schema
    from intwizard.tui.preview import PreviewPane
    from intwizard.tui.saving import Saver
    from intwizard.tui.session import Session

#: Seconds after the last edit before the sidebar marks and the preview are recomputed.
ANALYSE_DELAY = 0.3
#: Drafts whose text is at least this long are checked in a helper process (see :meth:`Analysis.run`).
BIG_DRAFT = 200_000


class AnalysisHost(Protocol):
    """What the analysis asks of the editor screen that owns it."""

    schema: Schema
    session: Session
    statuses: dict[str, str]
    saver: Saver

    @property
    def screen(self) -> Screen[object]: ...

    @property
    def section_node(self) -> Node: ...

    @property
    def preview(self) -> PreviewPane | None: ...


class Analysis:
    """Section marks (and the preview's Markdown) for the draft as it is now."""

    def __init__(self, host: AnalysisHost) -> None:
        self.host = host
        self._timer: Timer | None = None

    def _text(self) -> str:
        engine = self.host.saver.engine
        return engine.seed.text if engine is not None else ""

    def big(self) -> bool:
        """The draft is big enough to be checked in a helper process."""
        return len(self._text()) >= BIG_DRAFT

    def soon(self) -> None:
        """After an edit: once the author pauses for :data:`ANALYSE_DELAY`."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.host.screen.set_timer(ANALYSE_DELAY, self.run)

    def _previewing(self) -> bool:
        preview = self.host.preview
        return preview is not None and bool(preview.display)

    def run(self) -> None:
        """Compute now (in a worker); the screen gets :class:`Analysed`.

        A big draft is checked in another process: in a thread the checks would hold the GIL for a
        good part of a second, and the UI thread would stutter while the author types."""
        host = self.host
        screen, schema, data = host.screen, host.schema, host.session.view.snapshot()
        heading = host.section_node.label if self._previewing() else None
        big = self.big()

        def analyse() -> None:
            if not big:
                from intwizard.tui.first_look import analyse

                found, markdown = analyse(schema, data, heading)
            else:
                from intwizard.tui.first_look import LookFailed, look_elsewhere

                try:
                    found, markdown = look_elsewhere(schema.path.parent, pickle.dumps((data, heading)), plain=True)
                except LookFailed as exc:
                    screen.log.warning(f"analysis process failed: {exc}")
                    return  # the marks stay as they were until the next edit
            screen.post_message(Analysed(found, markdown))

        # A description, because Textual's default one is the repr of every argument: for a big
        # draft's text or data that is a long stall of the UI thread on every call.
        screen.run_worker(analyse, thread=True, exclusive=True, group="analyse", description="marks and preview")

    def prime(self) -> None:
        """The first marks of an opened big draft, from its text, in another process (see first_look);
        the screen gets :class:`Primed`."""
        screen, folder, text = self.host.screen, self.host.schema.path.parent, self._text()
        self.host.session.view.touched.clear()

        def look() -> None:
            from intwizard.tui.first_look import LookFailed, look_elsewhere

            plain: dict[str, Any] | None
            try:
                plain, found = look_elsewhere(folder, text.encode("utf-8"))
            except LookFailed:
                plain, found = None, None  # the marks are then computed here, as after an edit
            screen.post_message(Primed(plain, found))

        screen.run_worker(look, thread=True, group="prime", description="first marks")

    def primed(self, event: Primed) -> None:
        if event.plain is None or event.statuses is None:
            self.run()
            return
        view = self.host.session.view
        touched = set(view.touched)
        view.prime(event.plain, touched)
        self.host.statuses = event.statuses
        if touched or self._previewing():
            self.run()  # edited meanwhile: the marks follow the edits

    async def analysed(self, event: Analysed) -> None:
        self.host.statuses = event.statuses
        preview = self.host.preview
        if event.markdown is not None and preview is not None:
            await preview.show(event.markdown, self.host.section_node.label)
