"""The list of the template's sections, each with its progress mark, for jumping around.

Marks come from :func:`intwizard.core.checks.statuses` (the rules ``intwizard check`` uses):
``○`` nothing written yet, ``◐`` started but something required is missing or wrong, ``●`` complete.
A section holding an integration whose API contract drifted from it (``check --sources``) also shows
``⚠ drift``. Up/down and enter, or a click, open a section.
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from intwizard.core.schema import Node

MARKS = {"empty": "○", "partial": "◐", "complete": "●"}
#: Theme colours, so the marks read in light and dark themes alike.
MARK_STYLES = {"empty": "$text-muted", "partial": "bold $text-warning", "complete": "bold $text-success"}


class Sidebar(OptionList):
    """Sections with marks. Posts :class:`Sidebar.Jump` when one is chosen."""

    class Jump(Message):
        def __init__(self, section: str) -> None:
            super().__init__()
            self.section = section

    def __init__(self, sections: tuple[Node, ...], statuses: dict[str, str], current: str) -> None:
        self.sections = sections
        self.statuses = dict(statuses)
        self.current = current
        self.drift: frozenset[str] = frozenset()
        """Sections with an integration whose recorded API contract has drifted."""
        super().__init__(*(self._option(node) for node in sections), id="sidebar")
        # Set before mounting, so the first frame already shows them (no second paint).
        self.border_title = "Sections"
        keys = [node.key for node in sections]
        if current in keys:
            self.set_reactive(OptionList.highlighted, keys.index(current))

    def _option(self, node: Node) -> Option:
        status = self.statuses.get(node.key, "empty")
        prompt = Content.assemble((MARKS[status] + " ", MARK_STYLES[status]),
                                  (node.label, "bold" if node.key == self.current else ""),
                                  (" ⚠ drift" if node.key in self.drift else "", "bold $text-warning"))
        return Option(prompt, id=node.key)

    def _highlight_current(self) -> None:
        keys = [node.key for node in self.sections]
        if self.current in keys:
            self.highlighted = keys.index(self.current)

    def _refresh_prompts(self) -> None:
        for index, node in enumerate(self.sections):
            self.replace_option_prompt_at_index(index, self._option(node).prompt)

    def set_statuses(self, statuses: dict[str, str]) -> None:
        if statuses != self.statuses:
            self.statuses = dict(statuses)
            self._refresh_prompts()

    def set_drift(self, sections: frozenset[str]) -> None:
        if sections != self.drift:
            self.drift = sections
            self._refresh_prompts()

    def set_current(self, section: str) -> None:
        if section != self.current:  # the bold name moves (redrawing every line costs a frame)
            self.current = section
            self._refresh_prompts()
        self._highlight_current()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))
