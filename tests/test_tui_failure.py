"""The wizard when saving fails mid-session: the draft's folder disappears (a network drive dropped,
a USB stick pulled). Every autosave failure is reported, each new edit retries, the edits stay in
memory, the file on disk is never half-written, and once the folder is back everything is saved.
Quitting while the save fails asks what to do. (Tests run as root here, so a read-only file or
folder would not fail a save; a vanished folder does.)"""

from __future__ import annotations

from pathlib import Path

from test_tui_support import Seen, editor, opened, type_into, wait_for, wizard

from intwizard.core.store import read_plain
from intwizard.tui.autosave import AUTOSAVE_DELAY, Saved, SaveFailed
from intwizard.tui.modals import ChoiceModal


async def test_autosave_failures_are_reported_retried_and_nothing_is_lost(tmp_path: Path,
                                                                          complete_yaml: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    path = folder / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    away = tmp_path / "share-unmounted"
    seen = Seen(Saved, SaveFailed)
    app = wizard(opened(path), autosave_delay=AUTOSAVE_DELAY, section="meta")
    async with app.run_test(size=(100, 30), message_hook=seen) as pilot:
        screen = editor(app)
        folder.rename(away)  # the folder vanishes under the running wizard
        on_disk = (away / "spec.yaml").read_bytes()

        await type_into(pilot, "meta.author", "Grace")
        await wait_for(pilot, lambda: seen.of(SaveFailed))
        assert "save failed" in screen.sub_title
        assert any("Autosave failed" in (note.title or "") for note in app._notifications)
        failures = len(seen.of(SaveFailed))

        await type_into(pilot, "meta.feature_name", "Split Payments v2")
        await wait_for(pilot, lambda: len(seen.of(SaveFailed)) > failures)  # the next edit retried
        assert screen.session.draft.get("meta.author") == "Grace"
        assert screen.session.draft.get("meta.feature_name") == "Split Payments v2"
        assert screen.dirty and not seen.of(Saved)
        assert (away / "spec.yaml").read_bytes() == on_disk
        assert not path.exists()

        away.rename(folder)  # back again: the next save writes every edit
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: seen.of(Saved) and not screen.dirty)
        data = read_plain(path)
        assert data["meta"]["author"] == "Grace"
        assert data["meta"]["feature_name"] == "Split Payments v2"
        assert data["external_system_integrations"][1]["name"] == "Shipwise Rates API"  # the rest kept
        assert "Saved" in screen.sub_title

        # It fails again and the author quits: asked, they stay, and nothing is lost.
        folder.rename(away)
        await type_into(pilot, "meta.author", "Ada")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
        assert "spec.yaml" in app.screen.message
        await pilot.click("#choice-cancel")
        await pilot.pause()
        assert app.is_running and screen.session.draft.get("meta.author") == "Ada"
        away.rename(folder)
        await pilot.press("ctrl+q")  # now the quit saves and leaves
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_value == path
    assert read_plain(path)["meta"]["author"] == "Ada"
    assert not [entry for entry in folder.iterdir() if entry.name.endswith(".intwizard-tmp")]
