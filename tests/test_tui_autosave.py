"""Never lose work: autosave after edits, failures reported with the edits kept, conflicts with the
file on disk, quitting saves first. Real files in a temp folder; results observed as messages."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import TODAY, Seen, editor, focus, new_file, opened, type_into, wait_for, wizard
from textual.widgets import Input

from intwizard.core.store import read_plain
from intwizard.tui.autosave import AUTOSAVE_DELAY, SaveConflict, Saved, SaveFailed
from intwizard.tui.modals import ChoiceModal

HAND_EDITED = Path(__file__).parent / "fixtures" / "hand_edited.yaml"


def test_the_autosave_delay_is_under_a_second() -> None:
    assert 0 < AUTOSAVE_DELAY < 1


async def test_edits_are_saved_without_asking(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.yaml"
    seen = Seen(Saved, SaveFailed, SaveConflict)
    app = wizard(new_file(path), autosave_delay=AUTOSAVE_DELAY)
    async with app.run_test(size=(100, 30), message_hook=seen) as pilot:
        screen = editor(app)
        await pilot.press(*"Checkout")
        await wait_for(pilot, lambda: seen.of(Saved) and not screen.dirty)
        assert screen.sub_title.startswith("d.yaml · Saved ")
        assert read_plain(path)["meta"]["feature_name"] == "Checkout"
        saves = len(seen.of(Saved))
        await type_into(pilot, "meta.author", "Ada")
        await wait_for(pilot, lambda: len(seen.of(Saved)) > saves and not screen.dirty)
        assert read_plain(path)["meta"]["author"] == "Ada"


async def test_a_failed_autosave_is_reported_and_the_edits_stay(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    blocker = tmp_path / "drafts"
    blocker.write_text("a file where the draft's folder should be")
    path = blocker / "d.yaml"
    seen = Seen(Saved, SaveFailed, SaveConflict)
    app = wizard(new_file(path), autosave_delay=AUTOSAVE_DELAY)
    async with app.run_test(size=(100, 30), message_hook=seen) as pilot:
        await pilot.press(*"Checkout")
        await wait_for(pilot, lambda: seen.of(SaveFailed))
        screen = editor(app)
        assert "Not a directory" in seen.of(SaveFailed)[0].reason
        assert "save failed" in screen.sub_title
        assert any("Autosave failed" in (n.title or "") for n in app._notifications)
        assert screen.session.draft.get("meta.feature_name") == "Checkout"
        assert screen.dirty
        # The author fixes the folder and saves: everything typed is written.
        blocker.unlink()
        blocker.mkdir()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: seen.of(Saved))
        assert read_plain(path)["meta"]["feature_name"] == "Checkout"
        assert "Saved" in screen.sub_title


async def test_quit_saves_first(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    app = wizard(new_file(path))  # no autosave while typing: the quit must do it
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"Checkout")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_value is not None)
    assert app.return_value == path
    assert read_plain(path)["meta"]["feature_name"] == "Checkout"


async def test_quit_after_a_failed_save_asks_and_can_stay_or_leave(tmp_path: Path) -> None:
    blocker = tmp_path / "drafts"
    blocker.write_text("x")
    app = wizard(new_file(blocker / "d.yaml"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"Checkout")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
        assert "Not a directory" in app.screen.message
        await pilot.click("#choice-cancel")
        await pilot.pause()
        assert app.editor is app.screen and app.is_running
        assert app.editor.session.draft.get("meta.feature_name") == "Checkout"
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
        await pilot.click("#choice-discard")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_value is None


async def test_a_change_on_disk_offers_overwrite(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    seen = Seen(Saved, SaveFailed, SaveConflict)
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(100, 30), message_hook=seen) as pilot:
        await type_into(pilot, "meta.author", "Kim")
        path.write_text(path.read_text().replace("SEV-2", "SEV-1"))  # another editor saves
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
        assert seen.of(SaveConflict) and "SEV-1" in path.read_text() and "Kim" not in path.read_text()
        assert "changed on disk" in editor(app).sub_title
        await pilot.click("#choice-overwrite")
        await wait_for(pilot, lambda: seen.of(Saved))
    assert read_plain(path)["meta"]["author"] == "Kim"


async def test_a_change_on_disk_offers_reload(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "meta.author", "Kim")
        path.write_text(path.read_text().replace("SEV-2", "SEV-1"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
        await pilot.click("#choice-reload")
        screen = editor(app)
        await wait_for(pilot, lambda: screen.session.draft.get("meta.sev_level") == "SEV-1")
        assert screen.session.draft.get("meta.author") == "Priya Raman"
        assert not screen.dirty
        # the form shows the reloaded values, and saving works again
        await pilot.pause()
        await type_into(pilot, "meta.author", "Lee")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Lee" in path.read_text())
    data = read_plain(path)
    assert (data["meta"]["sev_level"], data["meta"]["author"]) == ("SEV-1", "Lee")


async def test_a_change_on_disk_offers_save_as(tmp_path: Path, complete_yaml: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    seen = Seen(Saved, SaveFailed, SaveConflict)
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(100, 30), message_hook=seen) as pilot:
        await type_into(pilot, "meta.author", "Kim")
        path.write_text(path.read_text().replace("SEV-2", "SEV-1"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
        await pilot.click("#choice-save_as")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FileSave")
        name = app.screen.query_one(Input)  # the dialog's file name line
        name.focus()
        name.value = ""
        await pilot.press(*"mine.yaml", "enter")
        await wait_for(pilot, lambda: seen.of(Saved))
        assert editor(app).path == tmp_path / "mine.yaml"
        assert "mine.yaml · Saved" in editor(app).sub_title
    assert read_plain(tmp_path / "mine.yaml")["meta"]["author"] == "Kim"
    assert read_plain(path)["meta"]["sev_level"] == "SEV-1"  # the other editor's version is kept


async def test_hand_written_comments_survive_a_session(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(HAND_EDITED.read_bytes())
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "meta.author", "Kim Park")
        await pilot.press("ctrl+n")  # move around: nothing else may change
        await pilot.pause()
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
    before, after = HAND_EDITED.read_text().splitlines(), path.read_text().splitlines()
    assert len(before) == len(after)
    changed = [b for a, b in zip(before, after, strict=True) if a != b]
    assert changed == ["    last_updated: " + TODAY.isoformat(), "    author: 'Kim Park'"]


async def test_a_draft_from_an_older_template_is_saved_upgraded_with_the_edits(tmp_path: Path) -> None:
    import shutil

    from intwizard.core.schema import builtin_template_dir, load_schema
    from intwizard.core.store import open_draft
    from intwizard.tui.app import make_app

    migration = Path(__file__).parent / "fixtures" / "migration"
    template = tmp_path / "template"
    shutil.copytree(builtin_template_dir(), template)
    shutil.copy(migration / "migrations.yaml", template)
    path = tmp_path / "old.yaml"
    shutil.copy(migration / "draft-v0.yaml", path)
    schema = load_schema(template)
    seen = Seen(Saved, SaveFailed, SaveConflict)
    app = make_app(open_draft(path, schema), schema, section="meta", cursor_blink=False, today=TODAY,
                   autosave_delay=3600.0)
    async with app.run_test(size=(100, 30), message_hook=seen) as pilot:
        await type_into(pilot, "meta.author", "Kim")
        await type_into(pilot, "meta.feature_name", "Split")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: seen.of(Saved) or seen.of(SaveFailed))
    assert seen.of(Saved), [m.reason for m in seen.of(SaveFailed)]
    data = read_plain(path)
    assert data["meta"]["sev_level"] == "SEV-2" and "severity" not in data["meta"]
    assert (data["meta"]["author"], data["meta"]["feature_name"]) == ("Kim", "Split")
    assert data["external_system_integrations"][0]["connection_details"]["base_url"] == \
        "https://api.paylane.example/v2"
    assert "# agreed with the incident team" in path.read_text()


async def test_six_seconds_of_steady_typing_are_saved_before_the_first_pause(tmp_path: Path, monkeypatch) -> None:
    """Keys 40 ms apart never leave the half-second pause the autosave waits for; it saves anyway,
    within AUTOSAVE_MAX_WAIT of the first unsaved key: the first save covers only part of the typing."""
    import time

    from intwizard.tui.autosave import AUTOSAVE_MAX_WAIT

    assert AUTOSAVE_MAX_WAIT <= 5
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.yaml"
    seen = Seen(Saved)
    app = wizard(new_file(path), autosave_delay=AUTOSAVE_DELAY, section="meta")
    async with app.run_test(size=(100, 30), message_hook=seen) as pilot:
        screen = editor(app)
        await focus(pilot, "meta.author")
        start = time.monotonic()
        typed = ""
        while time.monotonic() - start < 6:
            letter = "abcdefghij"[len(typed) % 10]
            await pilot.press(letter)
            typed += letter
            await pilot.pause(0.04)
        assert screen.save_status.running or seen.of(Saved), "no save started during 6 s of typing"
        typed_version = screen.session.version
        await wait_for(pilot, lambda: seen.of(Saved))
        first = seen.of(Saved)[0]
        assert first.wrote and first.version < typed_version  # started before the typing ended
        await wait_for(pilot, lambda: not screen.dirty)
        assert read_plain(path)["meta"]["author"] == typed
        assert screen.sub_title.startswith("d.yaml · Saved ")
