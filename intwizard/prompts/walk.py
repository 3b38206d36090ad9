"""The walk behind the plain prompts: the schema's nodes in order, one question per answerable field.

Sections print their heading and help just before their first question (never for a part with
nothing to ask); tables become "add a row?" loops with a change/remove menu once they have rows;
repeatable groups become "add another …?" loops. Each answer is stored in the round-trip draft and
saved at once.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedSeq

from intwizard.core.draft import PathError, group_item, table_row
from intwizard.core.schema import Node
from intwizard.core.store import DraftFile, SaveError
from intwizard.core.values import as_text, is_blank, problem
from intwizard.core.yamlio import to_plain
from intwizard.errors import ConflictError
from intwizard.prompts.ask import KEEP, Asker, Say, ask_value, help_lines, wrapped


@dataclass
class _Heading:
    key: str
    lines: list[str]


def _an(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


class Walk:
    """One walk through the schema over one draft file."""

    def __init__(self, draft_file: DraftFile, asker: Asker, say: Say, *, walk_all: bool) -> None:
        self.file = draft_file
        self.draft = draft_file.draft
        self.schema = draft_file.draft.schema
        self.asker = asker
        self.say = say
        self.walk_all = walk_all
        self.answered = 0
        self._force_all = 0  # > 0 inside a new integration: ask everything, even when resuming
        self._headings: list[_Heading] = []
        self._printed: set[str] = set()
        self._title = self.schema.title_field

    # -- headings ------------------------------------------------------------------------------

    @contextmanager
    def heading(self, key: str, *lines: str) -> Iterator[None]:
        """A heading printed just before the first question under it (never for a skipped part),
        once per ``key`` (the path of what it heads)."""
        self._headings.append(_Heading(key, [line for line in lines if line]))
        try:
            yield
        finally:
            self._headings.pop()

    def flush(self) -> None:
        for heading in self._headings:
            if heading.key not in self._printed:
                self._printed.add(heading.key)
                self.say("")
                for number, line in enumerate(heading.lines):
                    self.say(line) if number == 0 else self.note(line)

    def note(self, text: str) -> None:
        """Help text, indented and wrapped to the terminal."""
        for line in wrapped(text, hang=""):
            self.say(line)

    # -- saving --------------------------------------------------------------------------------

    def save(self) -> None:
        """Write the draft now; on a conflict or a failed write, ask rather than lose the answers."""
        force = False
        while True:
            try:
                self.file.save(force=force)
                return
            except ConflictError:
                self.asker.explain(f"✗ {self.file.path} changed on disk since intwizard opened it.")
                if not self.asker.confirm(
                    f"Overwrite it with your answers (the version on disk is kept as {self.file.path.name}.bak)?",
                    default=False,
                ):
                    raise
                force = True
            except SaveError as exc:
                self.asker.explain(f"✗ {exc}")
                if not self.asker.confirm("Try saving again?", default=True):
                    raise

    def store(self, path: str, current: Any, value: Any) -> None:
        if value is KEEP or (is_blank(current) and is_blank(value)):
            return
        if isinstance(value, list):
            if to_plain(current) == value:
                return
            value = CommentedSeq(value)
        try:
            changed = self.draft.set_value(path, value)
        except PathError as exc:  # a hand-edited draft whose shape differs from the template's here
            self.asker.explain(f"✗ Not saved: {exc}. Fix that part of the file by hand.")
            return
        if changed:
            self.answered += 1
            self.save()

    # -- the walk ------------------------------------------------------------------------------

    @property
    def ask_answered(self) -> bool:
        return self.walk_all or self._force_all > 0

    def run(self) -> None:
        if self._title is not None:
            section = self.schema.section(self._title.path.split(".")[0])
            with self.heading(section.path, *self._section_heading(section)) if section else nullcontext():
                self.scalar(self._title, self._title.path)
        for section in self.schema.sections:
            self.node(section, section.key, top=True)

    def _section_heading(self, section: Node) -> list[str]:
        position = self.schema.sections.index(section) + 1
        return [f"## {section.label} ({position} of {len(self.schema.sections)})", *help_lines(section)]

    def node(self, node: Node, path: str, *, top: bool = False) -> None:
        if node.auto or (top is False and node is self._title):
            return
        kind = node.kind
        heading = self._section_heading(node) if top else [f"### {node.label}", *help_lines(node)]
        if not node.is_scalar and self._misshapen(node, path, heading):
            return
        if kind in ("section", "checklist", "signoff"):
            with self.heading(path, *heading):
                if kind == "section":
                    for child in node.children:
                        self.node(child, f"{path}.{child.key}")
                elif kind == "checklist":
                    for item in node.children:
                        self.check(item, f"{path}.{item.key}")
                else:
                    self.signoff(node, path)
        elif kind == "group":
            with self.heading(path, *heading):
                self.group(node, path)
        elif kind == "table":
            self.table(node, path)
        else:
            self.scalar(node, path)

    def _misshapen(self, node: Node, path: str, heading: list[str] | None = None) -> bool:
        """Say so, and skip the part, when the draft holds something else than the template expects
        there (a hand edit): answering into it would overwrite what the author wrote."""
        wrong = problem(node, self.draft.get(path))
        if not wrong:
            return False
        with self.heading(path, *heading) if heading else nullcontext():
            self.flush()
        self.asker.explain(f"✗ {node.label}: {wrong} in the file; skipped (fix it by hand: {path}).")
        return True

    def scalar(self, node: Node, path: str, *, label: str = "") -> None:
        current = self.draft.get(path)
        if not self.ask_answered and not is_blank(current):
            return
        self.flush()
        for line in help_lines(node):
            self.note(line)
        self.store(path, current, ask_value(self.asker, node, current, label=label))

    def check(self, item: Node, path: str) -> None:
        current = self.draft.get(path)
        if not self.ask_answered and current is True:
            return
        self.flush()
        self.store(path, current, ask_value(self.asker, item, current))

    def signoff(self, node: Node, path: str) -> None:
        for role in node.roles:
            if self._misshapen(role, f"{path}.{role.key}"):
                continue
            for part in node.children:
                self.scalar(part, f"{path}.{role.key}.{part.key}", label=f"{role.label}: {part.label}")

    # -- tables ----------------------------------------------------------------------------------

    def _rows(self, path: str) -> list:
        rows = self.draft.get(path)
        return rows if isinstance(rows, list) else []

    def table(self, node: Node, path: str) -> None:
        if not self.ask_answered and self._rows(path):
            return
        with self.heading(path, f"### {node.label}", *help_lines(node)):
            self.flush()
            if self._rows(path):
                self._show_rows(node, path)
            while True:
                rows = self._rows(path)
                if rows:
                    action = self.asker.select(f"{node.label}: what next?", [
                        ("Keep these rows and go on", "done"), ("Add a row", "add"),
                        ("Change a row", "change"), ("Remove a row", "remove"),
                    ], "done")
                elif self.asker.confirm(f"Add a row to {node.label}?", default=node.required):
                    action = "add"
                else:
                    action = "done"
                if action == "done":
                    return
                if action == "add":
                    self.add_row(node, path)
                    while self.asker.confirm(f"Add another row to {node.label}?", default=False):
                        self.add_row(node, path)
                else:
                    index = self._pick_row(node, path, action)
                    if index is not None and action == "change":
                        self._ask_row(node, path, index)
                    elif index is not None:
                        self.draft.remove_item(path, index)
                        self.answered += 1
                        self.save()
                self._show_rows(node, path)

    def _row_text(self, node: Node, row: Any) -> str:
        cells = row if isinstance(row, dict) else {}
        parts = [f"{column.label}: {as_text(cells.get(column.key)).strip()}" for column in node.children
                 if not is_blank(cells.get(column.key))]
        return "; ".join(parts) or "(empty)"

    def _show_rows(self, node: Node, path: str) -> None:
        rows = self._rows(path)
        self.say(f"{node.label} has {len(rows)} row{'s' if len(rows) != 1 else ''}:")
        for index, row in enumerate(rows):
            for line in wrapped(f"{index + 1}. {self._row_text(node, row)}", hang="   "):
                self.say(line)

    def _pick_row(self, node: Node, path: str, action: str) -> int | None:
        # One line each (the select numbers them): a long row is cut short rather than wrapped.
        width = max(30, shutil.get_terminal_size().columns - 26)  # fits after "? Which row to change? "
        choices: list[tuple[str, Any]] = [(textwrap.shorten(self._row_text(node, row), width, placeholder=" …"), index)
                                          for index, row in enumerate(self._rows(path))]
        choices.append(("Cancel", None))
        return self.asker.select(f"Which row to {action}?", choices)

    def _ask_row(self, node: Node, path: str, index: int) -> None:
        self.say(f"Row {index + 1} of {node.label}:")
        for column in node.children:
            cell_path = f"{path}.{index}.{column.key}"
            current = self.draft.get(cell_path)
            self.store(cell_path, current, ask_value(self.asker, column, current))

    def add_row(self, node: Node, path: str) -> None:
        index = len(self._rows(path))
        with self.pending(path, index, table_row(node)):
            self._ask_row(node, path, index)

    @contextmanager
    def pending(self, path: str, index: int, blank: Any) -> Iterator[None]:
        """A new row or integration: appended now, dropped again if it ends up with no answer
        (also when Ctrl-C leaves it half-way: this runs before the draft is saved on the way out)."""
        empty, changed_before = to_plain(blank), self.draft.changed  # before answers fill ``blank`` in
        self.draft.append_item(path, blank)
        try:
            yield
        finally:
            rows = self._rows(path)
            if index < len(rows) and to_plain(rows[index]) == empty:
                self.draft.remove_item(path, index)
                self.draft.changed = changed_before  # appending and dropping it again changed nothing

    # -- repeatable groups -------------------------------------------------------------------

    def group(self, node: Node, path: str) -> None:
        what = node.item_label.lower()
        for index in range(len(self._rows(path))):
            self.group_item(node, path, index)
        while True:
            count = len(self._rows(path))
            self.flush()
            question = (f"Add another {what} to {node.label}?" if count
                        else f"Add {_an(what)} to {node.label}?")
            if not self.asker.confirm(question, default=count == 0):
                return
            with self.pending(path, count, group_item(node)):
                self._force_all += 1
                try:
                    self.group_item(node, path, count)
                finally:
                    self._force_all -= 1

    def group_item(self, node: Node, path: str, index: int) -> None:
        item = self._rows(path)[index]
        if not isinstance(item, dict):
            self.flush()
            self.asker.explain(f"✗ {node.label} {node.item_label} {node.entry_number(index)} is not a mapping in the "
                               f"file; skipped (fix it by hand: {path}.{index}).")
            return
        title = as_text(item.get(node.title_field)).strip() if node.title_field else ""
        label = f"### {node.label}: {node.item_label} {node.entry_number(index)}" + (f" ({title})" if title else "")
        with self.heading(f"{path}.{index}", label):
            for child in node.children:
                self.node(child, f"{path}.{index}.{child.key}")
