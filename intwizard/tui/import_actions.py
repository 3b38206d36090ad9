"""Palette actions that bring material in: fill an integration from an API contract (OpenAPI,
AsyncAPI, .proto, GraphQL) and refresh them all, draw the Integration Overview Diagram. An object the
editor screen owns (:class:`Imports`, asking of the screen only :class:`ImportHost`), which also
marks integrations whose recorded contract has drifted (the sidebar and the integration's heading),
from :func:`intwizard.importers.sources.drift` run in a worker.

They run the same core functions as ``intwizard import-api``, ``refresh`` and ``diagram --write``, on
the draft file: pending edits are saved first, the change is written with the core's atomic save
(bookkeeping under ``intwizard:`` included, so a later run from the command line knows what it wrote),
and the wizard reloads the file, as it does after "Reload" from disk.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.content import Content
from textual.widgets import Static

from intwizard.core.store import DraftFile, open_draft
from intwizard.core.values import as_text
from intwizard.errors import InputError
from intwizard.tui.messages import FileChanged, Reloaded, SourcesChecked
from intwizard.tui.modals import ChoiceModal, TextPrompt

if TYPE_CHECKING:
    from textual.screen import Screen

    from intwizard.core.schema import Node, Schema
    from intwizard.tui.saving import Saver
    from intwizard.tui.session import Session


#: What the file picker offers first: the files ``import-api`` reads.
CONTRACT_SUFFIXES = (".yaml", ".yml", ".json", ".proto", ".graphql", ".gql", ".graphqls")


def fill_from_contract(source: Path, name: str, draft_file: DraftFile, kind: str | None = None) -> str:
    from intwizard.importers.contract_fill import report
    from intwizard.importers.sources import import_file

    outcome = import_file(draft_file.draft, draft_file.path, source, name, kind)
    draft_file.save()
    return "\n".join(report(outcome))


def fill_from_openapi(spec: Path, name: str, draft_file: DraftFile) -> str:
    return fill_from_contract(spec, name, draft_file, "openapi")


def refresh_sources(draft_file: DraftFile) -> str:
    from intwizard.importers.contract_fill import report
    from intwizard.importers.sources import refresh

    result = refresh(draft_file.draft, draft_file.path)
    draft_file.save()
    if not result.done and not result.orphans:
        return "This draft records no API sources yet: fill an integration with Import API contract… first"
    lines = [line for _, outcome in result.done for line in report(outcome)]
    lines += [f"{record.get('path')}: its integration {record.get('integration')!r} is gone; import it again "
              "with Import API contract…" for record in result.orphans]
    return "\n".join(lines)


def import_markdown_file(document: Path, target: Path, _current: DraftFile) -> str:
    """Create ``target`` from a Markdown spec (the draft being edited is left as saved)."""
    from intwizard.cli.words import header_hint
    from intwizard.importers import read_source, write_new_draft
    from intwizard.importers.markdown import import_markdown

    if target.resolve() == document.resolve():
        raise InputError("the draft would overwrite the document itself; choose another name", path=target)
    draft, unplaced = import_markdown(_current.draft.schema, read_source(document))
    write_new_draft(target, draft, hint=header_hint(str(target)))
    report = f"Created {target.name} from {document.name}"
    if unplaced:
        report += (f"\n{len(unplaced)} piece(s) fit no field; kept under intwizard.unmapped "
                   f"(first: line {unplaced[0].line}, {unplaced[0].where})")
    return report


def write_diagram(force: bool, draft_file: DraftFile) -> str:
    from intwizard.core.diagram import write_into

    _, changed = write_into(draft_file.draft, force=force, where=draft_file.path)
    return "Diagram drawn into the draft" if draft_file.save() or changed else "The diagram was already up to date"


class ImportHost(Protocol):
    """What the imports ask of the editor screen that owns them."""

    schema: Schema
    session: Session
    section: str
    entry: dict[str, int | None]
    drift_sections: frozenset[str]
    """The sections the sidebar marks as drifted (the screen hands it down)."""
    saver: Saver

    @property
    def path(self) -> Path: ...

    @property
    def screen(self) -> Screen[object]: ...


class Imports:
    """``import_api``, ``refresh_sources``, ``import_markdown`` and ``draw_diagram`` for the editor
    screen, and the drift marks (what drifted is this object's state)."""

    def __init__(self, host: ImportHost) -> None:
        self.host = host
        self.drift: dict[str, list[str]] = {}
        """What drifted, by integration name (casefolded), from the last look at the recorded sources."""

    # -- API contracts ----------------------------------------------------------------------------------

    def import_api(self) -> None:
        from textual_fspicker import FileOpen, Filters

        filters = Filters(("API contracts", lambda p: p.suffix.lower() in CONTRACT_SUFFIXES), ("Any", lambda _: True))
        self.host.screen.app.push_screen(
            FileOpen(self.host.path.parent, "API contract to import (OpenAPI, AsyncAPI, .proto, GraphQL)",
                     filters=filters), self._spec_chosen)

    def _spec_chosen(self, spec: Path | str | None) -> None:
        if spec is None or not str(spec).strip():
            return
        prompt = TextPrompt("Fill which external integration? (created if missing)", self._current_integration(),
                            "Integration name")
        self.host.screen.app.push_screen(prompt, partial(self._name_chosen, Path(str(spec).strip()).expanduser()))

    def _name_chosen(self, spec: Path, name: str | None) -> None:
        if name and name.strip():
            self.run_on_file(partial(fill_from_contract, spec, name.strip()))

    def refresh_sources(self) -> None:
        self.run_on_file(refresh_sources)

    # -- drift marks ------------------------------------------------------------------------------------

    def check_sources(self) -> None:
        """Look (in a worker) whether the draft's recorded API contracts still match it."""
        engine = self.host.saver.engine
        text = engine.seed.text if engine is not None else ""
        if "sources:" in text or "openapi:" in text or self.drift:
            self.look()

    def look(self) -> None:
        """Read the recorded sources again (in a worker); the screen gets :class:`SourcesChecked`."""
        screen, path, schema = self.host.screen, self.host.path, self.host.schema

        def look() -> None:
            from intwizard.cli.check import read_draft
            from intwizard.importers.sources import drift

            try:
                states = drift(path, read_draft(path, schema, lambda _: None), schema)
            except InputError:
                return  # the draft cannot be read: the save flow says why
            found: dict[str, list[str]] = {}
            for state in states:
                for item in state.drifts:
                    found.setdefault(state.integration.casefold(), []).append(item.text())
            screen.post_message(SourcesChecked(found))

        screen.run_worker(look, thread=True, exclusive=True, group="sources", description="API sources")

    def saved(self) -> None:
        """The draft was written: an edit may have taken a source's change in by hand."""
        if self.drift:
            self.look()

    def sources_checked(self, event: SourcesChecked) -> None:
        from intwizard.tui.groups import entry_title

        host = self.host
        self.drift = event.drift
        group = self._contract_group()
        names = self._group_names(group) if group is not None else []
        drifted = group is not None and any(name.casefold() in self.drift for name in names)
        host.drift_sections = frozenset({group.key}) if drifted and group is not None else frozenset()
        index = host.entry.get(group.key) if group is not None else None
        if group is not None and host.section == group.key and index is not None and index < len(names):
            item = host.session.draft.data.get(group.key)[index]
            for heading in host.screen.query(".entry-heading").results(Static):
                heading.update(self.entry_heading(group, index, entry_title(group, index, item)))

    def entry_heading(self, node: Node, index: int, title: str) -> Text | Content:
        """An entry's heading: its title, and what drifted when its recorded API contract did."""
        from intwizard.tui.fields import plain_label

        names = self._group_names(node)
        found = self.drift.get(names[index].casefold()) if index < len(names) else None
        if not found:
            return plain_label(title)
        return Content.assemble(title, (f"  ⚠ its API source drifted ({len(found)}): {found[0]}"
                                        + (" …" if len(found) > 1 else "") + " · ctrl+p Refresh from API sources",
                                        "bold $text-warning"))

    def _contract_group(self) -> Node | None:
        from intwizard.importers.contract_fill import targets

        try:
            return targets(self.host.schema).group
        except InputError:
            return None

    def _group_names(self, node: Node) -> list[str]:
        items = self.host.session.draft.data.get(node.key)
        return [as_text(item.get(node.title_field)).strip() if isinstance(item, dict) else ""
                for item in (items if isinstance(items, list) else [])]

    def _current_integration(self) -> str:
        """The name of the integration on screen, if the screen shows one that takes endpoints."""
        from intwizard.importers.contract_fill import targets

        host = self.host
        try:
            group = targets(host.schema).group
        except InputError:
            return ""
        index = host.entry.get(group.key)
        items = host.session.draft.data.get(group.key)
        if host.section != group.key or index is None or not isinstance(items, list) \
                or not 0 <= index < len(items) or not isinstance(items[index], dict):
            return ""
        return as_text(items[index].get(group.title_field)).strip()

    # -- Markdown -------------------------------------------------------------------------------------

    def import_markdown(self) -> None:
        self.host.screen.app.push_screen(TextPrompt("Markdown spec to import into a new draft", "", "path/to/spec.md"),
                                         self._document_chosen)

    def _document_chosen(self, document: str | None) -> None:
        if not document or not document.strip():
            return
        source = Path(document.strip()).expanduser()
        self.host.screen.app.push_screen(TextPrompt("New draft to create (an existing file is never replaced)",
                                                    str(source.with_suffix(".yaml")), "draft.yaml"),
                                         partial(self._target_chosen, source))

    def _target_chosen(self, source: Path, target: str | None) -> None:
        if target and target.strip():
            path = Path(target.strip()).expanduser()
            self.run_on_file(partial(import_markdown_file, source, path), open_after=path)

    # -- diagram ----------------------------------------------------------------------------------------

    def draw_diagram(self) -> None:
        from intwizard.core.diagram import RECORD_KEY, hand_drawn, target
        from intwizard.core.draft import META_KEY

        draft = self.host.session.draft
        try:
            node = target(self.host.schema)
        except InputError as exc:
            self.host.screen.notify(str(exc), severity="error")
            return
        meta = draft.data.get(META_KEY)
        last = meta.get(RECORD_KEY) if isinstance(meta, dict) else None
        if not hand_drawn(node, draft.get(node.path), last):
            self.run_on_file(partial(write_diagram, False))
            return
        modal = ChoiceModal("Replace the diagram?",
                            f"{node.label} holds a diagram drawn by hand. Replace it with one drawn from the "
                            "integrations? (The file before the change stays as a .bak beside the draft.)",
                            [("replace", "Replace", "warning"), ("cancel", "Keep mine", "default")])
        self.host.screen.app.push_screen(modal, self._replace_chosen)

    def _replace_chosen(self, choice: str | None) -> None:
        if choice == "replace":
            self.run_on_file(partial(write_diagram, True))

    # -- running on the file --------------------------------------------------------------------------

    def run_on_file(self, operation: Callable[[DraftFile], str], open_after: Path | None = None) -> None:
        """Save what is pending, then (once the save has ended: :meth:`Saver.settled`) apply
        ``operation`` to the draft file in a worker and reload it (or open ``open_after`` instead: the
        draft the operation created). A later request replaces one still waiting."""
        screen = self.host.screen

        async def when_saved() -> None:
            if not await self.host.saver.settled():
                screen.notify("Save the draft first (see the message above); nothing was imported.",
                              severity="error")
                return
            self._on_file(operation, open_after)

        screen.run_worker(when_saved(), group="import-wait", exclusive=True, description="save before import")

    def _on_file(self, operation: Callable[[DraftFile], str], open_after: Path | None) -> None:
        screen, path, schema = self.host.screen, self.host.path, self.host.schema

        def run() -> None:
            try:
                report = operation(open_draft(path, schema))
            except InputError as exc:
                screen.post_message(FileChanged("", str(exc)))
                return
            try:
                screen.post_message(Reloaded(open_draft(open_after or path, schema, comments=False)))
            except InputError as exc:
                screen.post_message(Reloaded(None, str(exc)))
            screen.post_message(FileChanged(report))

        screen.run_worker(run, thread=True, exclusive=True, group="import", description="import")

    def file_changed(self, event: FileChanged) -> None:
        if event.error:
            self.host.screen.notify(event.error, title="Nothing changed", severity="error", timeout=10)
        else:
            self.host.screen.notify(event.report, title="Draft updated", timeout=6)
            self.look()  # an import or refresh changes what drifted
