"""One widget per schema kind, each a labelled field with its help text and its problem under it.

A field never writes the draft: it posts :class:`~intwizard.tui.messages.Edited` with an
:class:`~intwizard.tui.session.Op` and the editor screen applies it. What was typed is kept even
when it is wrong; the field only says what is wrong (from :func:`intwizard.core.values.problem`,
the same rule ``intwizard check`` uses).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static
from textual.widgets.select import NoSelection

from intwizard.core.schema import Node
from intwizard.core.values import ValueProblem, as_mapping, as_text, example_text, not_applicable, parse_date, problem
from intwizard.tui.messages import Edited
from intwizard.tui.session import Op

if TYPE_CHECKING:  # imported where used: the first screen needs none (start-up time)
    from textual.widgets import TextArea

#: The "type your own" entry of a choice whose options are only examples.
OTHER = "\x00other"
#: Languages highlighted in code fields. Not json/javascript: with tree-sitter 0.26 their grammar
#: wheels (tree-sitter-json 0.24.8, -javascript 0.25.0) crash the process (segfault). JSON is still
#: parsed and its errors shown under the field.
CODE_LANGUAGES = frozenset({"yaml", "toml", "sql", "python", "bash", "xml", "html", "css", "go", "rust", "java",
                            "markdown", "regex"})


def field_id(path: str) -> str:
    """A widget id for the control of the field at ``path`` (``meta.author`` -> ``f-meta-author``)."""
    return "f-" + path.replace(".", "-")


def coerce(node: Node, text: str) -> Any:
    """Typed text as the value to keep: a date when it is one, otherwise the text as typed."""
    if node.kind == "date" and text.strip():
        try:
            return parse_date(text)
        except ValueProblem:
            return text
    return text


class ProblemValidator(Validator):
    """Input validation from the core's rules, so the wizard and ``check`` agree."""

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node = node

    def validate(self, value: str) -> ValidationResult:
        found = guarded(problem, self.node, coerce(self.node, value))
        return self.failure(found) if found else self.success()


def guarded(check: Any, node: Node, value: Any) -> str | None:
    """A check's message for a value; a check that fails on it (a bug) says so as the field's
    message rather than end the wizard: what was typed is kept either way."""
    try:
        return check(node, value)
    except Exception as exc:
        return f"could not check this value ({type(exc).__name__}: {exc})"


#: Kinds whose problems are shown by their own widgets (rows, items), not under the whole field.
UNCHECKED_KINDS = frozenset({"table", "list", "checklist", "signoff"})


def _problem_text(message: str | None) -> Text:
    return plain_label(f"⚠ {message}" if message else "")


def shown_placeholder(node: Node) -> str:
    """The placeholder a control shows: none where it would only repeat the help under the field
    (the schema makes ``[hint]`` the placeholder and the hint the help), and none for a diagram
    (the template's example, its names stripped, is no diagram: the field offers to draw one). Where the
    template has an example, it is the placeholder."""
    if node.meaning == "diagram":
        return ""
    example = example_text(node) if node.example is not None else ""
    if example:
        return example  # the template's example, greyed out: offered (f5 copies it), never filled in
    placeholder = node.placeholder.strip()
    if placeholder.startswith("[") and placeholder.endswith("]") and placeholder[1:-1].strip() == node.help.strip():
        return ""
    return node.placeholder


def plain_label(text: str) -> Text:
    """Template text may hold ``[brackets]``: never read it as markup."""
    return Text(text)


def assess(node: Node, value: Any) -> str | None:
    """What to say under a field: a wrong value first, else a credential pasted into it (masked).
    The value is kept either way."""
    from intwizard.core.secrets import field_warning

    return guarded(problem, node, value) or guarded(field_warning, node, value)


class Field(Vertical):
    """Base: a label, the control(s), the help text, and a line for the value's problem."""

    def __init__(self, node: Node, path: str, value: Any) -> None:
        super().__init__(classes=f"field field-{node.kind}")
        self.node = node
        self.path = path
        self.na_reason = not_applicable(value)
        """The reason when the field is answered "not applicable": its controls start empty, and what
        the author types replaces the mark."""
        self.value = None if self.na_reason is not None else value
        self._shown_problem: str | None = None
        """What the line under the field says (None: nothing; set when composed)."""
        self._entered: set[Widget] = set()
        """The text editors the cursor has been in (the first visit selects the template's text)."""

    @property
    def label_text(self) -> str:
        return self.node.label + (" *" if self.node.required else "")

    def compose(self) -> ComposeResult:
        yield Label(plain_label(self.label_text), classes="field-label")
        if self.na_reason is not None:
            reason = f": {self.na_reason}" if self.na_reason else ""
            yield Static(plain_label(f"Not applicable{reason} (an answer typed here replaces it)"),
                         classes="field-not-applicable")
        yield from self.controls()
        help_text = self.help_text()
        if help_text:
            yield Static(plain_label(help_text), classes="field-help")
        # The value's problem is known now: shown from the start, it costs no restyle after mounting;
        # the line for it exists only once there is one (most fields never need it).
        message = assess(self.node, self.value) if self.node.kind not in UNCHECKED_KINDS else None
        self._shown_problem = message
        self.set_class(bool(message), "-invalid")
        if message:
            yield Static(_problem_text(message), classes="field-error")

    def help_text(self) -> str:
        return self.node.help

    def controls(self) -> Iterable[Widget]:
        raise NotImplementedError

    def current(self) -> Any:
        """The value as the controls hold it this moment. :attr:`value` follows their Changed
        messages, which may still be on their way: a key typed just before ctrl+s in the row editor
        is in the control but not yet in :attr:`value`."""
        return self.value

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The first time a text editor gets the cursor: the template's pre-written text is selected
        (typing replaces it rather than going in front of it); other text keeps the cursor at its
        end, as a line does (what is typed adds to what the author wrote)."""
        from textual.widgets import TextArea

        area = event.widget
        if not isinstance(area, TextArea) or area in self._entered:
            return
        self._entered.add(area)
        default = as_text(self.node.default)
        if default and area.text == default:
            area.select_all()
        elif area.text and area.cursor_location == (0, 0):
            area.move_cursor(area.document.end)

    @property
    def steady_cursors(self) -> bool:
        """Whether the app wants cursors that do not blink (tests and snapshots: frames that do not
        depend on timing)."""
        return not getattr(self.app, "cursor_blink_enabled", True)

    def on_mount(self) -> None:
        if self.steady_cursors:
            for line in self.query(Input):
                line.cursor_blink = False

    def flag(self, message: str | None) -> None:
        """Show (or clear) what is wrong with the value; the value itself is kept."""
        if message == self._shown_problem:
            return  # typing on: nothing new to say (and no restyle per keystroke)
        self._shown_problem = message
        self.set_class(bool(message), "-invalid")
        found = self.query_children(".field-error")
        if found:
            error = found.first(Static)
            error.update(_problem_text(message))
            error.display = bool(message)
        elif message:
            self.mount(Static(_problem_text(message), classes="field-error"))  # last, under the help

    def emit(self, value: Any, path: str | None = None, node: Node | None = None) -> None:
        target = node or self.node
        if path is None:
            self.value = value
        self.flag(assess(target, value))
        self.post_message(Edited(self, Op("set", path or self.path, value)))


class LineField(Field):
    """A line or a date: an Input with the core's validator."""

    def controls(self) -> Iterable[Widget]:
        # Not selected on focus: the cursor often arrives unasked (a section opens, PageDown), and a
        # key typed then must add to the author's text, not replace it.
        yield Input(as_text(self.value), placeholder=shown_placeholder(self.node), id=field_id(self.path),
                    select_on_focus=False,
                    validators=[ProblemValidator(self.node)], valid_empty=True, disabled=self.node.auto == "updated")

    def help_text(self) -> str:
        if self.node.kind == "date" and "YYYY" not in self.node.help:
            return (self.node.help + " " if self.node.help else "") + "Format: YYYY-MM-DD."
        return super().help_text()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != as_text(self.value):
            self.emit(coerce(self.node, event.value))

    def current(self) -> Any:
        text = self.query_one(Input).value
        return self.value if text == as_text(self.value) else coerce(self.node, text)


class TextField(Field):
    """Multi-line text (soft-wrapped) or a code block (a code editor, JSON checked as you type)."""

    def controls(self) -> Iterable[Widget]:
        from textual.content import Content
        from textual.widgets import TextArea

        text = as_text(self.value)
        placeholder = Content(shown_placeholder(self.node))  # Content: the template's [names] are no markup
        if self.node.kind == "code":
            language = self.node.language if self.node.language in CODE_LANGUAGES else None
            yield TextArea.code_editor(text, language=language, theme="css", tab_behavior="focus",
                                       soft_wrap=False, placeholder=placeholder, id=field_id(self.path))
        else:
            yield TextArea(text, soft_wrap=True, placeholder=placeholder, id=field_id(self.path))
        if self.node.meaning == "diagram":
            yield Button("Draw it from the integrations", compact=True, classes="field-command draw-diagram",
                         tooltip="The palette's \"Draw overview diagram\"")

    def on_mount(self) -> None:
        steady_text_areas(self)

    @on(Button.Pressed, ".draw-diagram")
    async def draw_diagram(self, event: Button.Pressed) -> None:
        event.stop()
        await self.screen.run_action("draw_diagram")  # a coroutine: not awaited, it never ran

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        if text != as_text(self.value):
            self.emit(text)

    def current(self) -> Any:
        from textual.widgets import TextArea

        text = self.query_one(TextArea).text
        return self.value if text == as_text(self.value) else text


class ListField(Field):
    """A bullet list, edited as one item per line."""

    def controls(self) -> Iterable[Widget]:
        from textual.widgets import TextArea

        items = self.value if isinstance(self.value, list) else []
        yield TextArea("\n".join(as_text(item) for item in items), soft_wrap=True, id=field_id(self.path),
                       placeholder=example_text(self.node) if self.node.example else "One item per line")

    def help_text(self) -> str:
        return ((self.node.help + " ") if self.node.help else "") + "One item per line."

    def on_mount(self) -> None:
        steady_text_areas(self)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        items = [line.strip() for line in event.text_area.text.split("\n") if line.strip()]
        current = [as_text(item) for item in self.value] if isinstance(self.value, list) else []
        if items != current:
            self.value = items
            self.post_message(Edited(self, Op("set", self.path, items)))


def steady_text_areas(field: Field) -> None:
    """The text editors of a field with a cursor that does not blink, where the app says so (as
    :meth:`Field.on_mount` does for its lines; TextArea is imported only by the fields that have one)."""
    from textual.widgets import TextArea

    if field.steady_cursors:
        for area in field.query(TextArea):
            area.cursor_blink = False


def choice_options(node: Node, value: Any) -> tuple[list[tuple[str, str]], str | NoSelection]:
    """The options of a choice's Select (a free-text choice gets an "Other…" entry) and the one to show."""
    options: list[tuple[str, str]] = [(option, option) for option in node.options]
    text = as_text(value).strip()
    if node.free_text:
        options.append(("Other (type it)…", OTHER))
    current: str | NoSelection = Select.NULL
    if text in node.options:
        current = text
    elif text and node.free_text:
        current = OTHER
    return options, current


def choice_select(node: Node, value: Any, control_id: str | None = None) -> Select[str]:
    """A Select of the node's options."""
    options, current = choice_options(node, value)
    return Select(options, value=current, prompt="Choose…", id=control_id, allow_blank=True)


class PartControl:
    """What a control that edits one part of its field's value knows (a sign-off's name, date or
    decision; a checklist's item): the part's node and the path of its value in the draft."""

    part: Node
    part_path: str


class PartInput(PartControl, Input):
    """A line for one part of a field (a sign-off's name or date), checked by the part's rules."""

    def __init__(self, part: Node, part_path: str, value: Any) -> None:
        super().__init__(as_text(value), placeholder=part.label, id=field_id(part_path), select_on_focus=False,
                         validators=[ProblemValidator(part)], valid_empty=True)
        self.part = part
        self.part_path = part_path


class PartSelect(PartControl, Select[str]):
    """A choice for one part of a field (a sign-off's decision)."""

    def __init__(self, part: Node, part_path: str, value: Any) -> None:
        options, current = choice_options(part, value)
        super().__init__(options, value=current, prompt="Choose…", id=field_id(part_path), allow_blank=True)
        self.part = part
        self.part_path = part_path


class ChoiceField(Field):
    """A Select; where the template's options are only examples, "Other…" opens a line to type in."""

    def controls(self) -> Iterable[Widget]:
        yield choice_select(self.node, self.value, field_id(self.path))
        if self.node.free_text:
            text = as_text(self.value)
            other = Input(text if text not in self.node.options else "", placeholder="Type your own",
                          select_on_focus=False, id=field_id(self.path) + "-other", classes="choice-other")
            other.display = bool(text) and text not in self.node.options
            yield other

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value == OTHER:
            other = self.query_one(".choice-other", Input)
            other.display = True
            other.focus()
            value = other.value
        else:
            if self.node.free_text:
                self.query_one(".choice-other", Input).display = False
            value = "" if event.value is Select.NULL else str(event.value)
        if event.value is Select.NULL and as_text(self.value) and as_text(self.value) not in self.node.options \
                and not self.node.free_text:
            return  # a wrong value read from the file: keep it until the author picks an option
        if value != as_text(self.value):
            self.emit(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != as_text(self.value):
            self.emit(event.value)

    def current(self) -> Any:
        chosen = self.query_one(Select).value
        if chosen == OTHER:
            value: Any = self.query_one(".choice-other", Input).value
        elif chosen is Select.NULL:
            kept = as_text(self.value)
            value = self.value if kept and kept not in self.node.options and not self.node.free_text else ""
        else:
            value = str(chosen)
        return self.value if value == as_text(self.value) else value


class ItemCheckbox(PartControl, Checkbox):
    """A checklist item's box. It reads ``[x]`` ticked and ``[ ]`` not, in any theme and without
    colour (Textual's shows the same ``X`` either way, only its colour differs)."""

    def __init__(self, item: Node, part_path: str, value: bool) -> None:
        super().__init__(plain_label(item.label), value=value, id=field_id(part_path))
        self.part = item
        self.part_path = part_path

    @property
    def _button(self) -> Content:  # textual_private.TOGGLE_BOX: ToggleButton draws its box here
        style = self.get_visual_style("toggle--button")
        return Content.styled("[x]" if self.value else "[ ]", style)


class ChecklistField(Field):
    """A checkbox per item."""

    def controls(self) -> Iterable[Widget]:
        values = self.value if isinstance(self.value, dict) else {}
        for item in self.node.children:
            yield ItemCheckbox(item, f"{self.path}.{item.key}", values.get(item.key) is True)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if isinstance(event.checkbox, ItemCheckbox):
            self.post_message(Edited(self, Op("set", event.checkbox.part_path, event.value)))


class SignoffField(Field):
    """One row per role: the role's name, then its parts (name, date, decision) side by side under
    column headings."""

    def controls(self) -> Iterable[Widget]:
        values = self.value if isinstance(self.value, dict) else {}
        self._texts: dict[str, str] = {}
        for role in self.node.roles:
            parts = as_mapping(values.get(role.key))
            yield Label(plain_label(role.label), classes="signoff-role")
            with Horizontal(classes="signoff-row"):
                for part in self.node.children:
                    path = f"{self.path}.{role.key}.{part.key}"
                    kind = PartSelect if part.kind == "choice" else PartInput
                    control = kind(part, path, parts.get(part.key))
                    self._texts[path] = as_text(parts.get(part.key))
                    control.add_class("signoff-part", f"signoff-{part.kind}")
                    control.tooltip = f"{role.label}: {part.label}"
                    yield control

    def compose(self) -> ComposeResult:
        yield Label(plain_label(self.label_text), classes="field-label")
        with Horizontal(classes="signoff-row signoff-head"):
            for part in self.node.children:
                yield Label(plain_label(part.label), classes=f"signoff-part signoff-{part.kind}")
        with Vertical(classes="signoff-rows"):
            yield from self.controls()
        if self.node.help:
            yield Static(plain_label(self.node.help), classes="field-help")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if isinstance(event.input, PartInput):
            self._changed(event.input, coerce(event.input.part, event.value), event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.select, PartSelect):
            value = "" if event.value is Select.NULL else str(event.value)
            self._changed(event.select, value, value)

    def _changed(self, control: PartControl, value: Any, text: str) -> None:
        if self._texts.get(control.part_path) == text:
            return
        self._texts[control.part_path] = text
        self.emit(value, control.part_path, control.part)

