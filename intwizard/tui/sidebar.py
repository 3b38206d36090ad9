"""The list of the template's sections, each with its progress mark, for jumping around.

Marks come from :func:`intwizard.core.checks.statuses` (the rules ``intwizard check`` uses):
``○`` nothing written yet, ``◐`` started but something required is missing or wrong, ``●`` complete.
A section holding an integration whose API contract drifted from it (``check --sources``) also shows
``⚠ drift``. Up/down and enter, or a click, open a section. What it shows comes down from the
editor screen by ``data_bind`` (:attr:`Sidebar.current`, :attr:`Sidebar.statuses`, :attr:`Sidebar.drift`).
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from intwizard.core.schema import Node

MARKS = {"empty": "○", "partial": "◐", "complete": "●"}
#: Theme colours, so the marks read in light and dark themes alike.
MARK_STYLES = {"empty": "$text-muted", "partial": "bold $text-warning", "complete": "bold $text-success"}


def section_option(node: Node, statuses: dict[str, str], current: str, drift: frozenset[str]) -> Option:
    """A section's line: its mark, its name (bold when shown), and the drift warning."""
    status = statuses.get(node.key, "empty")
    prompt = Content.assemble((MARKS[status] + " ", MARK_STYLES[status]),
                              (node.label, "bold" if node.key == current else ""),
                              (" ⚠ drift" if node.key in drift else "", "bold $text-warning"))
    return Option(prompt, id=node.key)


class Sidebar(OptionList):
    """Sections with marks. Posts :class:`Sidebar.Jump` when one is chosen."""

    class Jump(Message):
        def __init__(self, section: str) -> None:
            super().__init__()
            self.section = section

    current: var[str] = var("")
    """The section shown (its name is bold and highlighted); bound to the editor screen's ``section``."""
    statuses: var[dict[str, str]] = var(dict)
    """Each section's mark (``empty``, ``partial``, ``complete``); bound to the screen's ``statuses``."""
    drift: var[frozenset[str]] = var(frozenset)
    """Sections with an integration whose recorded API contract has drifted."""

    def __init__(self, sections: tuple[Node, ...], statuses: dict[str, str], current: str) -> None:
        self.sections = sections
        super().__init__(*(section_option(node, statuses, current, frozenset()) for node in sections), id="sidebar")
        # Set before mounting, so the first frame already shows them (no second paint).
        self.set_reactive(Sidebar.statuses, dict(statuses))
        self.set_reactive(Sidebar.current, current)
        self.border_title = "Sections"
        keys = [node.key for node in sections]
        if current in keys:
            self.set_reactive(OptionList.highlighted, keys.index(current))

    def _refresh_prompts(self) -> None:
        for index, node in enumerate(self.sections):
            option = section_option(node, self.statuses, self.current, self.drift)
            self.replace_option_prompt_at_index(index, option.prompt)

    # A bound reactive is set on every change of the screen's (even to an equal value), so each
    # watcher redraws only when what it shows changed (redrawing every line costs a frame).

    def watch_statuses(self, old: dict[str, str], new: dict[str, str]) -> None:
        if new != old:
            self._refresh_prompts()

    def watch_drift(self, old: frozenset[str], new: frozenset[str]) -> None:
        if new != old:
            self._refresh_prompts()

    def watch_current(self, old: str, new: str) -> None:
        if new != old:  # the bold name moves
            self._refresh_prompts()
        keys = [node.key for node in self.sections]
        if new in keys:
            self.highlighted = keys.index(new)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))
