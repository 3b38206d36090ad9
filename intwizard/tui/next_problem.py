""""Next problem" (f8): the next place ``intwizard check`` reports, after the cursor, in document
order (:class:`NextProblem`, owned by the editor screen; the ordering is :mod:`intwizard.tui.problems`'s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from intwizard.tui.messages import ProblemsFound

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget

    from intwizard.core.schema import Schema
    from intwizard.tui.session import Session


class ProblemHost(Protocol):
    """What "next problem" asks of the editor screen that owns it."""

    schema: Schema
    session: Session
    section: str

    @property
    def screen(self) -> Screen[object]: ...

    async def show_section(self, section: str, entry: int | None = None, *, focus: bool = False) -> None: ...

    def focus_path(self, path: str, row: int | None = None) -> Widget | None: ...


class NextProblem:
    """Finds the checks' findings in a worker and puts the cursor on the next one."""

    def __init__(self, host: ProblemHost) -> None:
        self.host = host

    def find(self) -> None:
        """Look for the findings (in a worker); the screen gets :class:`ProblemsFound`."""
        screen, schema = self.host.screen, self.host.schema
        data, after = self.host.session.view.snapshot(), self.cursor_position()

        def look() -> None:
            from intwizard.tui.problems import in_order

            screen.post_message(ProblemsFound(in_order(schema, data), after))

        screen.run_worker(look, thread=True, exclusive=True, group="problems", description="next problem")

    def cursor_position(self) -> tuple[int, ...]:
        """Where the cursor is, as :func:`intwizard.tui.problems.position` orders places: just past
        the focused field (and its row, its item), or just before the section shown."""
        from textual.widgets import DataTable

        from intwizard.tui.fields import Field, PartControl
        from intwizard.tui.problems import AFTER, position

        host = self.host
        focused = host.screen.focused
        field = next((node for node in (focused.ancestors_with_self if focused else []) if isinstance(node, Field)),
                     None)
        if field is None or focused is None:
            keys = [node.key for node in host.schema.sections]
            return (keys.index(host.section) - 1, AFTER)
        path = field.path
        if isinstance(focused, PartControl):  # a sign-off's part, a checklist's item
            path = focused.part_path
        elif isinstance(focused, DataTable) and focused.row_count:
            path = f"{field.path}.{focused.cursor_row}"
        return (*position(host.schema, path), AFTER)

    async def found(self, event: ProblemsFound) -> None:
        from intwizard.tui.problems import next_after

        host, screen = self.host, self.host.screen
        finding, wrapped = next_after(host.schema, event.found, event.after)
        if finding is None:
            screen.notify("No problems: `intwizard check` finds nothing to fix.", title="Next problem", timeout=4)
            return
        parts = finding.path.split(".")
        node = host.schema.section(parts[0])
        if node is None:
            return
        entry = int(parts[1]) if node.kind == "group" and len(parts) > 1 and parts[1].isdigit() else None
        await host.show_section(node.key, entry)
        host.focus_path(finding.path)
        number = event.found.index(finding) + 1
        screen.notify(f"{finding.message}\n(problem {number} of {len(event.found)}"
                      f"{', from the top' if wrapped else ''}; f8 for the next)",
                      title="Next problem", severity="warning" if finding.blocking else "information", timeout=6)
