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

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from intwizard.core.draft import PathError, group_item, resolve, skeleton, table_row
from intwizard.core.schema import NOT_APPLICABLE, Node
from intwizard.core.store import DraftFile, SaveError
from intwizard.core.values import as_text, is_blank, not_applicable, problem
from intwizard.core.yamlio import to_plain
from intwizard.errors import ConflictError, InputError
from intwizard.prompts.ask import KEEP, Asker, Say, ask_reason, ask_value, help_lines, wrapped


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
        if node.auto or (top is False and node is self._title) or self._inside_not_applicable(path):
            return
        kind = node.kind
        heading = self._section_heading(node) if top else [f"### {node.label}", *help_lines(node)]
        if not node.is_scalar and self._misshapen(node, path, heading):
            return
        if kind == "section" and not self._section_applies(node, path, heading):
            return
        if kind in ("section", "checklist", "signoff"):
            with self.heading(path, *heading):
                if kind == "section":
                    for child in node.children:
                        self.node(child, f"{path}.{child.key}")
                elif kind == "checklist":
                    self.checklist(node, path)
                else:
                    self.signoff(node, path)
        elif kind == "group":
            with self.heading(path, *heading):
                self.group(node, path)
        elif kind == "table":
            self.table(node, path)
        else:
            self.scalar(node, path)

    # -- "not applicable" for a whole table or section ------------------------------------------

    def _inside_not_applicable(self, path: str) -> bool:
        """A section around ``path`` is answered "not applicable": nothing in it is asked."""
        parts = path.split(".")
        return any(not_applicable(self.draft.get(".".join(parts[:end]))) is not None for end in range(1, len(parts)))

    def _section_applies(self, node: Node, path: str, heading: list[str]) -> bool:
        """A section answered "not applicable" is skipped; walking every question, the author may take
        the mark back (the section's answers are still there) or keep it."""
        reason = not_applicable(self.draft.get(path))
        if reason is None:
            return True
        if not self.ask_answered:
            return False
        with self.heading(path, *heading):
            self.flush()
        self.note(f"Now: Not applicable{': ' + reason if reason else ''}.")
        if self.asker.confirm(f"Keep {node.label} not applicable?", default=True):
            return False
        section = self.draft.get(path)
        if self.draft.set_value(path, CommentedMap((key, value) for key, value in section.items()
                                                   if key != NOT_APPLICABLE)):
            self.answered += 1
            self.save()
        return True

    def _new_sections(self) -> list[tuple[str, Node]]:
        """The sections whose heading the next question prints: it is their first question, so "not
        applicable" there may answer the whole section (innermost first)."""
        found: list[tuple[str, Node]] = []
        for heading in self._headings:
            if heading.key in self._printed:
                continue
            try:
                step = resolve(self.schema, heading.key)[-1]
            except InputError:
                continue
            if step.node.kind == "section" and step.position is None and not step.node.auto:
                found.append((heading.key, step.node))
        return found[::-1]

    def _widen(self, node: Node, value: Any, sections: list[tuple[str, Node]]) -> None:
        """After "not applicable" at a section's first question: just this, or the whole section?"""
        reason = not_applicable(value)
        if reason is None or not sections:
            return
        choices: list[tuple[str, Any]] = [(f"Only {node.label}", None)]
        choices += [(f"All of {section.label} (its remaining questions are skipped)", path)
                    for path, section in sections]
        picked = self.asker.select(f"What does not apply ({reason})?", choices, None)
        if picked is not None and self.draft.set_not_applicable(picked, reason):
            self.answered += 1
            self.save()

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
        sections = self._new_sections()
        self.flush()
        for line in help_lines(node):
            self.note(line)
        value = ask_value(self.asker, node, current, label=label)
        self.store(path, current, value)
        if value is not KEEP:
            self._widen(node, value, sections)

    def checklist(self, node: Node, path: str) -> None:
        """A checklist's items, one yes/no question each. Before them, while none is ticked, a choice:
        answer the items, or "not applicable" (a reason asked) for the whole checklist. One answered so
        is skipped on resume; walking every question, it is kept, taken back or given a new reason."""
        current = self.draft.get(path)
        reason = not_applicable(current)
        ticked = isinstance(current, dict) and reason is None and all(
            current.get(item.key) is True for item in node.children)
        if not self.ask_answered and (reason is not None or ticked):
            return
        sections = self._new_sections()
        self.flush()
        if reason is not None:
            self.note(f"Now: Not applicable{': ' + reason if reason else ''}.")
            again = self.asker.select(f"{node.label}:", [
                ("Keep it not applicable", "keep"), ("Answer the items (it applies after all)", "answer"),
                ("Not applicable… (a new reason)", "na")], "keep")
            if again == "keep" or (again == "na" and self._checklist_not_applicable(node, path, sections)):
                return
            if again == "na":
                return  # no reason given: the mark stays as it was
            self.store(path, current, skeleton(node))
        elif not (isinstance(current, dict) and any(current.get(item.key) is True for item in node.children)):
            action = self.asker.select(f"{node.label}: answer its items?", [
                ("Answer the items", "answer"), ("Not applicable… (say why)", "na")], "answer")
            if action == "na" and self._checklist_not_applicable(node, path, sections):
                return
        for item in node.children:
            self.check(item, f"{path}.{item.key}")

    def _checklist_not_applicable(self, node: Node, path: str, sections: list[tuple[str, Node]]) -> bool:
        """The whole checklist answered "not applicable" (a reason asked), in the form ``set
        --not-applicable`` and the wizard write; False when no reason was given."""
        marked = ask_reason(self.asker, node)
        if marked is None:
            return False
        if self.draft.set_not_applicable(path, not_applicable(marked) or ""):
            self.answered += 1
            self.save()
        self._widen(node, marked, sections)
        return True

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
        current = self.draft.get(path)
        reason = not_applicable(current)
        if not self.ask_answered and (self._rows(path) or reason is not None):
            return
        sections = self._new_sections()
        with self.heading(path, f"### {node.label}", *help_lines(node)):
            self.flush()
            if reason is not None:
                self.note(f"Now: Not applicable{': ' + reason if reason else ''}.")
                again = self.asker.select(f"{node.label}:", [
                    ("Keep it not applicable", "keep"), ("Add a row (it applies after all)", "add"),
                    ("Not applicable… (a new reason)", "na")], "keep")
                if again == "keep":
                    return
                if again == "na":
                    self._table_not_applicable(node, path, sections)
                    return
                self.store(path, current, CommentedSeq())
            elif self._rows(path):
                self._show_rows(node, path)
            while True:
                rows = self._rows(path)
                if rows:
                    action = self.asker.select(f"{node.label}: what next?", [
                        ("Keep these rows and go on", "done"), ("Add a row", "add"),
                        ("Change a row", "change"), ("Remove a row", "remove"),
                    ], "done")
                else:
                    action = self.asker.select(f"Add a row to {node.label}?", [
                        ("Add a row", "add"), ("No rows for now", "done"),
                        ("Not applicable… (say why)", "na")], "add" if node.required else "done")
                if action == "na":
                    if self._table_not_applicable(node, path, sections):
                        return
                    continue
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

    def _table_not_applicable(self, node: Node, path: str, sections: list[tuple[str, Node]]) -> bool:
        """The whole table answered "not applicable" (a reason asked); False when no reason was given."""
        marked = ask_reason(self.asker, node)
        if marked is None:
            return False
        self.store(path, self.draft.get(path), marked)
        self._widen(node, marked, sections)
        return True

    def _group_not_applicable(self, node: Node, path: str) -> bool:
        """The whole repeated section answered "not applicable" (a reason asked); False without a reason."""
        marked = ask_reason(self.asker, node)
        if marked is None:
            return False
        self.store(path, self.draft.get(path), marked)
        return True

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
        reason = not_applicable(self.draft.get(path))
        if reason is not None:  # the whole section answered "not applicable"
            if not self.ask_answered:
                return
            self.flush()
            self.note(f"Now: Not applicable{': ' + reason if reason else ''}.")
            again = self.asker.select(f"{node.label}:", [
                ("Keep it not applicable", "keep"), (f"Add {_an(what)} (it applies after all)", "add"),
                ("Not applicable… (a new reason)", "na")], "keep")
            if again == "na":
                self._group_not_applicable(node, path)  # no reason given: the mark stays as it was
            if again != "add":
                return
            self.store(path, self.draft.get(path), CommentedSeq())
        for index in range(len(self._rows(path))):
            self.group_item(node, path, index)
        while True:
            count = len(self._rows(path))
            self.flush()
            if count:
                if not self.asker.confirm(f"Add another {what} to {node.label}?", default=False):
                    return
            else:
                action = self.asker.select(f"Add {_an(what)} to {node.label}?", [
                    (f"Add {_an(what)}", "add"), ("None for now", "done"),
                    ("Not applicable… (say why)", "na")], "add")
                if action == "na":
                    if self._group_not_applicable(node, path):
                        return
                    continue  # no reason after all: asked again
                if action == "done":
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
