"""``intwizard resume`` without a DRAFT: pick one of the recent drafts or of the drafts in the
current folder (or browse for another with textual-fspicker's file dialog).

The list is gathered in a thread worker (it reads the user's data folder and sniffs YAML files).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from intwizard.tui import recent
from intwizard.tui.footer import SteadyFooter


class Found(Message):
    def __init__(self, recents: list[Path], local: list[Path]) -> None:
        super().__init__()
        self.recents = recents
        self.local = local


def _shown(path: Path, folder: Path) -> str:
    try:
        return str(path.resolve().relative_to(folder.resolve()))
    except ValueError:
        return str(path)


class ResumePicker(Screen[Path | None]):
    """Choose a draft; dismisses with its path, or None to leave."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "browse", "Browse…"),
        Binding("escape,ctrl+q", "leave", "Quit"),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        with Vertical(id="picker"):
            yield Label("Resume a draft", classes="dialog-title")
            yield Static("Pick a draft and press enter: recent drafts first, then the drafts in this folder. "
                         "Browse (ctrl+o) for another.", classes="field-help", markup=False)
            yield OptionList(id="picker-list")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Open", id="picker-open", variant="primary")
                yield Button("Browse…", id="picker-browse")
                yield Button("Quit", id="picker-quit")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = "intwizard"
        self.sub_title = "resume"
        self.query_one(OptionList).focus()
        self._gather(self.folder)

    @work(thread=True, exclusive=True)
    def _gather(self, folder: Path) -> None:
        recents = [entry.path for entry in recent.recent_drafts()]
        known = {path.resolve() for path in recents}
        local = [path for path in recent.drafts_in(folder) if path.resolve() not in known]
        self.post_message(Found(recents, local))

    def on_found(self, event: Found) -> None:
        options: list[Option | None] = []
        if event.recents:
            options.append(Option(Text("Recent drafts", style="bold"), disabled=True))
            options += [Option(Text("  " + _shown(p, self.folder)), id=str(p)) for p in event.recents]
        if event.local:
            if options:
                options.append(None)
            options.append(Option(Text("In this folder", style="bold"), disabled=True))
            options += [Option(Text("  " + _shown(p, self.folder)), id=str(p)) for p in event.local]
        if not options:
            options.append(Option(Text("No drafts found here. Browse for one (ctrl+o), or quit and run "
                                       "`intwizard new`.", style="italic"), disabled=True))
        picker = self.query_one(OptionList)
        picker.clear_options()
        picker.add_options(options)
        first = next((i for i, o in enumerate(options) if o is not None and not o.disabled), None)
        if first is not None:
            picker.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(Path(event.option.id))

    @on(Button.Pressed, "#picker-open")
    def _open_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        picker = self.query_one(OptionList)
        if picker.highlighted is not None:
            option = picker.get_option_at_index(picker.highlighted)
            if option.id:
                self.dismiss(Path(option.id))

    @on(Button.Pressed, "#picker-browse")
    def _browse_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_browse()

    @on(Button.Pressed, "#picker-quit")
    def _leave_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_leave()

    def action_browse(self) -> None:
        from textual_fspicker import FileOpen, Filters

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.dismiss(Path(path))

        filters = Filters(("YAML drafts", lambda p: p.suffix.lower() in (".yaml", ".yml")), ("Any", lambda _: True))
        self.app.push_screen(FileOpen(self.folder, filters=filters), chosen)

    def action_leave(self) -> None:
        self.dismiss(None)
