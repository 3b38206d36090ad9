"""The editing screen: header, section sidebar, the current section's form, Back/Next, the optional
preview, the footer. It owns the session (the UI's draft and its edit log) and three parts, each
with its own state: the save flow (:class:`~intwizard.tui.saving.Saver`), the imports
(:class:`~intwizard.tui.import_actions.Imports`) and the untyped answers
(:class:`~intwizard.tui.answers.Answers`). Each asks of the screen only a small Protocol.

State flows down: the screen decides which section (and which group entry) is shown and rebuilds the
form from the draft; the sidebar gets the section, the marks and the drift through ``data_bind``, the
header the save status through the ``save_status`` watcher. Widgets post
:class:`~intwizard.tui.messages.Edited` and the screen applies it. Disk and ruamel work run in
thread workers (see :mod:`intwizard.tui.autosave`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static
from textual.worker import Worker, WorkerState

from intwizard.core.schema import Node, Schema
from intwizard.core.store import DraftFile
from intwizard.core.values import as_text
from intwizard.errors import InputError
from intwizard.tui import commands, recent
from intwizard.tui.analysis import Analysis
from intwizard.tui.answers import Answers, KeptRemoved, kept_widgets
from intwizard.tui.autosave import AUTOSAVE_DELAY, SaveEngine
from intwizard.tui.fields import field_id, plain_label
from intwizard.tui.footer import SteadyFooter
from intwizard.tui.form import FormScroll, SectionForm
from intwizard.tui.groups import GroupEditor, entry_title
from intwizard.tui.header import SteadyHeader
from intwizard.tui.import_actions import Imports
from intwizard.tui.list_editor import ListEditor
from intwizard.tui.messages import (
    Analysed,
    Edited,
    Exported,
    FileChanged,
    Primed,
    ProblemsFound,
    RecoveryFound,
    Reloaded,
    SaveConflict,
    Saved,
    SaveFailed,
    SourcesChecked,
)
from intwizard.tui.next_problem import NextProblem
from intwizard.tui.rescue import Rescuer
from intwizard.tui.row_editor import RowEditor
from intwizard.tui.saving import Saver, SaveStatus
from intwizard.tui.session import Op, Session
from intwizard.tui.sidebar import Sidebar
from intwizard.tui.stray import StrayKeys
from intwizard.tui.table_editor import TableEditor
from intwizard.tui.undo import History, Step, changed, describe, inverse

if TYPE_CHECKING:
    from rich.text import Text

    from intwizard.tui.preview import PreviewPane

#: The widgets of a form that take focus, the first of which gets it when a section opens.
FOCUSABLE = "Input, TextArea, Select, Checkbox, DataTable, OptionList"
#: Seconds after the first screen before the sidebar marks are computed (start-up stays quick).
STARTUP_DELAY = 0.4
#: Below this width the sidebar hides (the palette and Back/Next still move between sections).
NARROW = 72
#: From this width the sidebar has room for every section's full name.
ROOMY = 110
#: Below this width the preview replaces the form instead of sharing the screen with it.
SHARED = 110
#: From this width the sidebar stays beside the form and the preview.
WIDE = 150
#: Below this height inputs lose their borders, so a 24-line terminal shows more than three fields.
SHORT = 32


class EditorScreen(StrayKeys, Screen[None]):
    """The wizard. Its keys come from :data:`intwizard.tui.commands.COMMANDS`."""

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings()
    #: The form's first field, as the screen first shows (else Textual focuses the sidebar, and then
    #: the field a moment later: two footer builds and two focus changes on the way to the first screen).
    AUTO_FOCUS = ", ".join(f"#form-scroll {kind}" for kind in FOCUSABLE.split(", "))

    section: var[str] = var("", always_update=True)
    """The section shown (set at once on a jump, so quick key presses add up); the sidebar follows it,
    highlighting it on every show (``always_update``)."""
    statuses: var[dict[str, str]] = var(dict)
    """Each section's mark, from the last analysis; handed down to the sidebar."""
    drift_sections: var[frozenset[str]] = var(frozenset)
    """Sections with an integration whose recorded API contract drifted (set by :class:`Imports`)."""
    save_status: var[SaveStatus] = var(SaveStatus(Path(), on_disk=False), init=False)
    """Where the draft stands against its file (owned by :class:`Saver`); the header shows it."""

    def __init__(self, draft_file: DraftFile, schema: Schema, *, section: str = "",
                 opened: dict[str, int] | None = None, autosave_delay: float = AUTOSAVE_DELAY,
                 today: dt.date | None = None) -> None:
        """``opened``: per group, the entry to show when it is opened (where the author left off)."""
        super().__init__()
        self.schema = schema
        self.today = today
        self._set_narrow(self.app.size.width, self.app.size.height)  # before the first styling
        self.saver = Saver(self, schema, autosave_delay=autosave_delay, today=today)
        self.imports = Imports(self)
        self.answers = Answers(self)
        self.rescuer = Rescuer(self)
        self.analysis = Analysis(self)
        self.problems = NextProblem(self)
        self._install(draft_file)
        keys = [node.key for node in schema.sections]
        self.set_reactive(EditorScreen.section, section if section in keys else keys[0])
        self.entry: dict[str, int | None] = dict(opened or {})
        self._shown_once = False

    def _install(self, draft_file: DraftFile) -> None:
        upgrade = getattr(draft_file, "upgrade", None)
        self.upgraded = bool(upgrade is not None and upgrade.changed)
        """Opened from an older template version: the file's text no longer matches the tree."""
        self.session = Session(draft_file.draft)
        self.history = History()
        """Undo and redo (see :mod:`intwizard.tui.undo`); a draft read again starts a new history."""
        if draft_file.plain is not None:
            # The plain data the draft was read from: the first marks and preview need no copy of
            # the whole tree on the UI thread (a tenth of a second per MB).
            self.session.view.prime(draft_file.plain, set())
        self.saver.install(draft_file, self.session)
        self.title = self.session.draft.title or "(untitled feature)"

    @property
    def engine(self) -> SaveEngine:
        """The save side of the draft (see :mod:`intwizard.tui.autosave`), owned by the save flow."""
        assert self.saver.engine is not None
        return self.saver.engine

    @property
    def path(self) -> Path:
        """The draft's file (a save as moves it)."""
        return self.save_status.path

    @property
    def on_disk(self) -> bool:
        return self.save_status.on_disk

    @property
    def dirty(self) -> bool:
        return self.saver.dirty

    def watch_save_status(self, status: SaveStatus) -> None:
        self.sub_title = status.header()

    # -- layout --------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Everything the first screen shows is known here: composed as it will look, it is laid out
        # and painted once (each change after mounting costs another frame before the author can type).
        form = self._section_widgets(self.section)
        title, position, first, last = self._section_chrome()
        yield SteadyHeader(icon="✎")
        with Horizontal(id="body"):
            yield Sidebar(self.schema.sections, self.statuses, self.section).data_bind(
                current=EditorScreen.section, statuses=EditorScreen.statuses, drift=EditorScreen.drift_sections)
            with Vertical(id="main"):
                yield Static(title, id="section-title")
                yield FormScroll(*form, id="form-scroll")
                with Horizontal(id="nav"):
                    yield Button("← Back", id="nav-back", compact=True, disabled=first)
                    yield Static(position, id="nav-position")
                    yield Button("Next →", id="nav-next", compact=True, variant="primary", disabled=last)
        yield SteadyFooter()

    async def on_mount(self) -> None:
        self._focus_first(self.query_one("#form-scroll"))
        # Marks and the recent list wait until the first screen is up and idle.
        if self.on_disk and not self.upgraded and self.analysis.big():
            self.analysis.prime()
        else:
            self.set_timer(STARTUP_DELAY, self.analysis.run)
        self.set_timer(STARTUP_DELAY, self._remember)
        self.set_timer(STARTUP_DELAY, self.rescuer.look)
        self.set_timer(STARTUP_DELAY, self.imports.check_sources)

    def on_unmount(self) -> None:
        self.saver.close()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles a resumed screen in case the theme changed while it was covered; the
        # first time it shows, every widget was styled a moment ago as it mounted (a tenth of start-up).
        # Screen's own handler (_on_screen_resume) runs after this one: Textual calls one handler per
        # class of the screen's MRO, subclass first.
        if not self._shown_once:
            self._shown_once = True
            event.refresh_styles = False

    def on_resize(self, event: Resize) -> None:
        self._set_narrow(event.size.width, event.size.height)

    def _set_narrow(self, width: int, height: int | None = None) -> None:
        self.set_class(width < NARROW, "narrow")
        self.set_class(width >= ROOMY, "roomy")
        if height is not None:
            self.set_class(height < SHORT, "short")

    # -- showing a section ---------------------------------------------------------------------------

    @property
    def section_node(self) -> Node:
        node = self.schema.section(self.section)
        assert node is not None
        return node

    def destinations(self) -> list[tuple[str, str, int | None]]:
        """Every place the palette can jump to: sections, and each entry of a group."""
        places: list[tuple[str, str, int | None]] = []
        for node in self.schema.sections:
            places.append((node.label, node.key, None))
            if node.kind == "group":
                items = self.session.draft.data.get(node.key)
                for index, item in enumerate(items if isinstance(items, list) else []):
                    places.append((f"{node.label} › {entry_title(node, index, item)}", node.key, index))
        return places

    def goto(self, section: str, entry: int | None = None) -> None:
        """Show a section (and a group's entry). The section changes now, so quick key presses add up;
        the form is rebuilt by the latest request only."""
        self.section = section
        self.run_worker(self.show_section(section, entry, focus=True), group="show", exclusive=True)

    def _section_widgets(self, section: str, entry: int | None = None) -> list[Widget]:
        """The form of a section (for a group: its entries bar and the chosen entry's form)."""
        self.section = section
        node = self.section_node
        data = self.session.draft.data
        widgets: list[Widget] = []
        if node.kind == "group":
            items = data.get(node.key)
            items = items if isinstance(items, list) else []
            if entry is None:
                entry = self.entry.get(node.key, 0 if items else None)
            if entry is not None and not 0 <= entry < len(items):
                entry = len(items) - 1 if items else None
            self.entry[node.key] = entry
            widgets.append(GroupEditor(node, items, entry))
            if entry is not None:
                widgets.append(Static(self.imports.entry_heading(node, entry, entry_title(node, entry, items[entry])),
                                      classes="entry-heading"))
                widgets.append(SectionForm(node.children, f"{node.key}.{entry}", items[entry]))
        elif node.kind == "section":
            widgets.append(SectionForm(node.children, node.key, data.get(node.key)))
        else:
            widgets.append(SectionForm((node,), "", data))
        widgets += kept_widgets(self.session.draft, section, entry if node.kind == "group" else None)
        return widgets

    async def show_section(self, section: str, entry: int | None = None, *, focus: bool = False) -> None:
        widgets = self._section_widgets(section, entry)
        node = self.section_node
        scroll = self.query_one("#form-scroll", VerticalScroll)
        with self.app.batch_update():
            await scroll.remove_children()
            await scroll.mount_all(widgets)
            scroll.scroll_home(animate=False)
            self._update_section_chrome()
        if focus:
            self._focus_first(scroll)
        preview = self.preview
        if preview is not None and preview.display and not preview.scroll_to_heading(node.label):
            self.analysis.run()  # a large draft previews one section at a time
        self._remember()

    def _section_chrome(self) -> tuple[Text, str, bool, bool]:
        """The current section's title, its position line, and whether it is the first / the last."""
        keys = [node.key for node in self.schema.sections]
        position = keys.index(self.section)
        return (plain_label(self.section_node.label), f"Section {position + 1} of {len(keys)}", position == 0,
                position == len(keys) - 1)

    def _update_section_chrome(self) -> None:
        title, position, first, last = self._section_chrome()
        self.query_one("#section-title", Static).update(title)
        self.query_one("#nav-position", Static).update(position)
        self.query_one("#nav-back", Button).disabled = first
        self.query_one("#nav-next", Button).disabled = last

    def _focus_first(self, scroll: Widget) -> None:
        # Screen.set_focus, not Widget.focus (which waits a turn): on the first screen, Textual
        # would meanwhile focus the sidebar, and the footer would be built once per focus.
        title = self.schema.title_field
        if title is not None and self.section == title.path.split(".")[0]:
            found = scroll.query(f"#{field_id(title.path)}")
            if found:
                self.set_focus(found.first())
                return
        # In a group, the entry's own fields come first (its name): the list of entries is above.
        forms = scroll.query(SectionForm)
        for place in ([forms.first()] if forms else []) + [scroll]:
            for widget in place.query(FOCUSABLE):
                if widget.focusable:
                    self.set_focus(widget)
                    return

    def _remember(self) -> None:
        path, section = self.path, self.section
        opened = {group: index for group, index in self.entry.items() if index is not None}
        if self.on_disk:
            self.run_worker(lambda: _remember_quietly(path, section, opened), thread=True, group="recent")

    # -- edits ---------------------------------------------------------------------------------------

    def on_edited(self, event: Edited) -> None:
        event.stop()
        self.apply_edit(event.op, join=event.join)

    def apply_edit(self, op: Op, *, join: bool = False) -> None:
        """Apply an edit to the draft, keeping what undoes it."""
        undo = inverse(self.session.draft, op)
        if changed(op, self.session.edit(op)):
            self.history.record(op, undo, describe(self.schema, op), join=join)
        self._after_edit(op.path)

    # -- undo and redo -------------------------------------------------------------------------------

    def action_undo(self) -> None:
        step = self.history.undo()
        if step is None:
            self.notify("Nothing to undo", timeout=2)
            return
        self._replay(step.inverse, step, "Undone")

    def action_redo(self) -> None:
        step = self.history.redo()
        if step is None:
            self.notify("Nothing to redo", timeout=2)
            return
        self._replay(step.ops, step, "Redone")

    def _replay(self, ops: list[Op], step: Step, done: str) -> None:
        for op in ops:
            self.session.edit(op)
        self.mark_dirty()
        again = "ctrl+y redoes it" if done == "Undone" else "ctrl+z undoes it again"
        self.notify(f"{done}: {step.label} ({again})", timeout=3)
        self.run_worker(self._show_place(ops[-1]), group="show", exclusive=True)

    async def _show_place(self, op: Op) -> None:
        """Show where an undone or redone op changed the draft, with the cursor on it."""
        parts = op.path.split(".")
        node = self.schema.section(parts[0])
        if node is None:
            return
        row = _index_after(op, self.session.draft)
        entry = None
        if node.kind == "group":
            if len(parts) > 1 and parts[1].isdigit():
                entry = int(parts[1])
            elif op.name != "set":
                entry = row
        await self.show_section(node.key, entry)
        self.focus_path(op.path, row if op.name != "set" else None)

    def focus_path(self, path: str, row: int | None = None) -> Widget | None:
        """Put the cursor on the field at ``path`` of the form shown (or on the nearest widget that
        holds it: a table for its cell, the entries list for an integration) and scroll it into view."""
        parts = path.split(".")
        widget: Widget | None = None
        for end in range(len(parts), 0, -1):
            found = self.query(f"#form-scroll #{field_id('.'.join(parts[:end]))}")
            if found:
                widget = found.first()
                if row is None and end < len(parts) and parts[end].isdigit():
                    row = int(parts[end])
                break
        if widget is None:
            node = self.schema.section(parts[0])
            found = self.query("#group-entries")
            if node is None or node.kind != "group" or not found:
                return None
            widget = found.first()
        if isinstance(widget, DataTable) and row is not None and widget.row_count:
            widget.move_cursor(row=max(0, min(row, widget.row_count - 1)))
        self.set_focus(widget)
        widget.scroll_visible(animate=False)
        return widget

    def _after_edit(self, path: str) -> None:
        # A table's rows, a group's entries: the draft's, handed down (walked, not queried: a query's
        # selector matching costs a millisecond per keystroke in a big form)
        for lister in self.walk_children(ListEditor):
            if lister.follows(path):
                lister.given(self.session.draft.get(lister.path))
        parts = path.split(".")
        node = self.schema.section(parts[0])
        if node is not None and node.kind == "group" and len(parts) == 3 and parts[2] == node.title_field:
            index = int(parts[1])
            item = self.session.draft.get(f"{parts[0]}.{index}")
            for heading in self.query(".entry-heading").results(Static):
                heading.update(self.imports.entry_heading(node, index, entry_title(node, index, item)))
        self.mark_dirty()

    async def on_group_editor_show(self, event: GroupEditor.Show) -> None:
        event.stop()
        await self.show_section(self.section, event.index, focus=False)
        form = self.query(SectionForm)
        if event.edit and form:
            self._focus_first(form.first())
        else:
            self.query_one("#group-entries").focus()

    def on_table_editor_row_edit_requested(self, event: TableEditor.RowEditRequested) -> None:
        """A table asks for its row editor: opened here, offering the integrations' names in a column
        that ``covers`` them."""
        event.stop()
        suggestions = {column.key: self.entry_names(column.covers) for column in event.node.children if column.covers}
        self.app.push_screen(RowEditor(event.node, event.row, event.title, suggestions), event.answer)

    def on_sidebar_jump(self, event: Sidebar.Jump) -> None:
        event.stop()
        self.goto(event.section)

    @on(Button.Pressed, "#nav-next")
    def _next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_next_section()

    @on(Button.Pressed, "#nav-back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_previous_section()

    def mark_dirty(self) -> None:
        self.title = self.session.draft.title or "(untitled feature)"
        self.saver.edited()
        self.analysis.soon()

    @property
    def preview(self) -> PreviewPane | None:
        """The preview pane, once it has been shown (mounted on first use: its Markdown widget is
        a slow import)."""
        found = self.query("#preview")
        return cast("PreviewPane", found.first()) if found else None

    # -- commands (see commands.py); the save flow's, the imports' and the answers' are theirs -------

    def action_save(self) -> None:
        self.saver.save()

    def action_save_as(self) -> None:
        self.saver.save_as()

    def action_quit(self) -> None:
        self.saver.quit()

    def action_export(self) -> None:
        self.saver.export()

    def action_import_api(self) -> None:
        self.imports.import_api()

    action_import_openapi = action_import_api

    def action_refresh_sources(self) -> None:
        self.imports.refresh_sources()

    def action_import_markdown(self) -> None:
        self.imports.import_markdown()

    def action_draw_diagram(self) -> None:
        self.imports.draw_diagram()

    def action_next_problem(self) -> None:
        """Jump to the next field ``intwizard check`` reports, after the cursor, in document order."""
        self.problems.find()

    def action_not_applicable(self) -> None:
        self.answers.not_applicable()

    def action_section_not_applicable(self) -> None:
        self.answers.section_not_applicable()

    def action_use_example(self) -> None:
        self.answers.use_example()

    async def action_toggle_preview(self) -> None:
        preview = self.preview
        if preview is None:
            from intwizard.tui.preview import PreviewPane

            preview = PreviewPane()
            preview.display = False
            await self.query_one("#body").mount(preview)
        preview.display = not preview.display
        # Form and preview side by side need the sidebar's room, unless the terminal is wide.
        self.set_class(preview.display and self.app.size.width < WIDE, "previewing")
        # Too narrow to share: the preview takes the form's place until toggled off.
        self.set_class(preview.display and self.app.size.width < SHARED, "preview-full")
        if preview.display:
            self.analysis.run()

    def _step(self, offset: int) -> None:
        keys = [node.key for node in self.schema.sections]
        index = keys.index(self.section) + offset
        if 0 <= index < len(keys):
            self.goto(keys[index])

    def action_next_section(self) -> None:
        self._step(1)

    def action_toggle_sidebar(self) -> None:
        """Hide or show the section list (below NARROW columns it starts hidden)."""
        sidebar = self.query_one(Sidebar)
        shown = sidebar.display
        self.set_class(shown, "no-sidebar")
        self.set_class(not shown, "with-sidebar")
        if shown and sidebar.has_focus:
            self._focus_first(self.query_one("#form-scroll"))

    def action_previous_section(self) -> None:
        self._step(-1)


    def entry_names(self, groups: tuple[str, ...]) -> list[str]:
        """The names of the entries of these groups (the integrations), as written, for suggestions."""
        names: list[str] = []
        for key in groups:
            node = self.schema.section(key)
            items = self.session.draft.data.get(key)
            if node is None or not node.title_field or not isinstance(items, list):
                continue
            for item in items:
                name = as_text(item.get(node.title_field)).strip() if isinstance(item, dict) else ""
                if name and name not in names:
                    names.append(name)
        return names

    def action_duplicate_integration(self) -> None:
        found = self.query(GroupEditor)
        if not found:
            groups = " or ".join(node.label for node in self.schema.sections if node.kind == "group")
            self.notify(f"Open an integration first ({groups}).", title="Duplicate integration", timeout=4)
            return
        found.first().action_duplicate()

    # -- what the workers report (to the part they concern, then the screen's own part) ------------------

    def on_saved(self, event: Saved) -> None:
        self.saver.saved(event)
        if event.wrote:
            self._remember()
            self.imports.saved()
        self.rescuer.saved()
        self.saver.go_on()

    def on_save_failed(self, event: SaveFailed) -> None:
        self.saver.failed(event)

    def on_save_conflict(self, event: SaveConflict) -> None:
        self.saver.conflict(event)

    def on_exported(self, event: Exported) -> None:
        self.saver.exported(event)

    async def on_reloaded(self, event: Reloaded) -> None:
        if event.draft_file is None:
            self.notify(event.error, title="Could not reload", severity="error")
            return
        self._install(event.draft_file)
        await self.show_section(self.section)
        self.analysis.run()
        self.notify("Reloaded from disk", timeout=3)

    def on_sources_checked(self, event: SourcesChecked) -> None:
        event.stop()
        self.imports.sources_checked(event)

    def on_file_changed(self, event: FileChanged) -> None:
        event.stop()
        self.imports.file_changed(event)

    def on_primed(self, event: Primed) -> None:
        self.analysis.primed(event)

    async def on_analysed(self, event: Analysed) -> None:
        await self.analysis.analysed(event)

    async def on_problems_found(self, event: ProblemsFound) -> None:
        await self.problems.found(event)

    def on_recovery_found(self, event: RecoveryFound) -> None:
        self.rescuer.found(event)

    async def on_kept_removed(self, event: KeptRemoved) -> None:
        event.stop()
        await self.show_section(self.section, self.entry.get(self.section))
        self.notify("Deleted the kept text; ctrl+z brings it back", timeout=3)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A save worker that failed unexpectedly (the crash guard reports it): saving must go on.
        if event.state == WorkerState.ERROR and event.worker.group == "save":
            self.saver.crashed(event.worker.error)


def _index_after(op: Op, draft: Any) -> int | None:
    """The list entry an op leaves the cursor on (None: the op is not on a list)."""
    if op.name in ("insert", "duplicate", "move"):
        return op.index + (1 if op.name == "duplicate" else op.offset if op.name == "move" else 0)
    if op.name in ("remove", "append"):
        items = draft.get(op.path)
        count = len(items) if isinstance(items, list) else 0
        return max(0, min(op.index, count - 1)) if op.name == "remove" else count - 1
    return None


def _remember_quietly(path: Path, section: str, opened: dict[str, int]) -> None:
    # The recent list is a convenience: never disturb the author over it.
    with contextlib.suppress(OSError, InputError):
        recent.remember(path, section, opened)


