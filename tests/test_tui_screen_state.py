"""The editor screen's state flows down: one save status in a reactive, shown by the header; the
section, the marks and the drift handed to the sidebar by data binding; an import waits for the save
before it by the save's own message, not by looking every few milliseconds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from functools import partial
from pathlib import Path

from test_tui_support import Seen, editor, new_file, type_into, wait_for, wizard, workers_settled

from intwizard.tui.header import SteadyHeader
from intwizard.tui.import_actions import fill_from_openapi
from intwizard.tui.messages import FileChanged, Saved, SaveFailed
from intwizard.tui.sidebar import Sidebar
from intwizard.tui.textual_private import HeaderTitle

PETSTORE = Path(__file__).parent / "fixtures" / "openapi_petstore_expanded.yaml"


def header_text(app) -> str:
    return str(app.screen.query_one(SteadyHeader).query_one(HeaderTitle).render())


async def test_the_header_says_what_the_save_status_says(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = editor(app)
        await pilot.pause()
        assert "d.yaml · Unsaved changes" in header_text(app)  # a new draft is not on disk yet
        for change, said in ((dict(on_disk=True), "d.yaml · No changes"),
                             (dict(saved_at=dt.datetime(2026, 3, 14, 10, 42)), "d.yaml · Saved 10:42"),
                             (dict(error="disk full"), "d.yaml · Unsaved changes (save failed)"),
                             (dict(blocked=True), "d.yaml · Not saved: file changed on disk")):
            screen.save_status = dataclasses.replace(screen.save_status, **change)
            await pilot.pause()
            assert said in header_text(app), change
        assert screen.sub_title.endswith("d.yaml · Not saved: file changed on disk")


async def test_an_edit_and_its_save_show_in_the_header(tmp_path: Path) -> None:
    seen = Seen(Saved)
    app = wizard(new_file(tmp_path / "d.yaml"), section="meta", autosave_delay=0.2)
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await type_into(pilot, "meta.feature_name", "Pets")
        await wait_for(pilot, lambda: seen.messages)
        await wait_for(pilot, lambda: "d.yaml · Saved " in header_text(app))
        screen = editor(app)
        assert not screen.save_status.edited and not screen.save_status.running and screen.save_status.on_disk
        assert header_text(app).startswith("Pets")
        await type_into(pilot, "meta.author", "Ada")
        assert screen.save_status.edited and "d.yaml · Unsaved changes" in header_text(app)


def prompt(sidebar: Sidebar, key: str) -> str:
    index = [node.key for node in sidebar.sections].index(key)
    return str(sidebar.get_option_at_index(index).prompt)


async def test_the_sidebar_follows_the_screens_section_marks_and_drift(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = editor(app)
        sidebar = screen.query_one(Sidebar)
        await wait_for(pilot, lambda: screen.statuses)  # the first analysis is in: nothing overwrites ours
        await workers_settled(pilot)
        assert prompt(sidebar, "overview").startswith("○")
        screen.statuses = {**screen.statuses, "overview": "complete"}
        screen.drift_sections = frozenset({"external_system_integrations"})
        await pilot.pause()
        assert prompt(sidebar, "overview").startswith("●")
        assert prompt(sidebar, "external_system_integrations").endswith("⚠ drift")
        screen.goto("overview")
        await pilot.pause()
        keys = [node.key for node in sidebar.sections]
        assert sidebar.current == "overview" and sidebar.highlighted == keys.index("overview")
        sidebar.highlighted = 0  # the author moved along the list without opening a section
        screen.section = "overview"  # shown again (after an undo, say): the highlight comes back
        await pilot.pause()
        assert sidebar.highlighted == keys.index("overview")


async def test_an_import_waits_for_the_running_save_without_polling(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "d.yaml"
    seen = Seen(FileChanged, Saved)
    app = wizard(new_file(path), section="meta")
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await type_into(pilot, "meta.feature_name", "Pets")
        screen = editor(app)
        release = threading.Event()
        save = screen.engine.save

        def slow_save(**options):
            release.wait(10)
            return save(**options)

        monkeypatch.setattr(screen.engine, "save", slow_save)
        intervals: list[tuple] = []
        set_interval = screen.set_interval

        def spy(*args, **options):
            intervals.append(args)
            return set_interval(*args, **options)

        monkeypatch.setattr(screen, "set_interval", spy)
        getattr(screen, "imports", screen).run_on_file(partial(fill_from_openapi, PETSTORE, "Petstore"))
        await pilot.pause(0.3)
        assert seen.messages == []  # the save is still running: nothing imported yet
        release.set()
        await wait_for(pilot, lambda: seen.of(FileChanged))
        kinds = [type(message) for message in dict.fromkeys(seen.messages)]  # a bubbling message is seen twice
        assert kinds[:2] == [Saved, FileChanged]
        assert seen.of(FileChanged)[0].error == ""
        assert intervals == []  # woken by the save's message, no timer looking for it


async def test_an_import_after_a_failed_save_is_refused_at_once(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "d.yaml"
    seen = Seen(FileChanged, SaveFailed)
    app = wizard(new_file(path), section="meta")
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await type_into(pilot, "meta.feature_name", "Pets")
        screen = editor(app)
        monkeypatch.setattr(screen.engine, "save", lambda **_: SaveFailed(path, "disk full"))
        getattr(screen, "imports", screen).run_on_file(partial(fill_from_openapi, PETSTORE, "Petstore"))
        await wait_for(pilot, lambda: any("nothing was imported" in str(note.message)
                                          for note in app._notifications))
        assert seen.of(SaveFailed) and not seen.of(FileChanged)
        assert "Unsaved changes (save failed)" in header_text(app)
    assert not path.exists()
