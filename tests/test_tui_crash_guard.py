"""The crash guard: a value a check cannot read becomes that field's message; anything else that goes
wrong writes the unsaved edits to a recovery file beside the draft, says so, and `resume` offers
to put them back (and drops the file once they are saved)."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import Seen, editor, new_file, opened, type_into, wait_for, wizard
from textual.widgets import Input, Static

from intwizard.core.store import read_plain
from intwizard.tui.autosave import Saved
from intwizard.tui.fields import Field, field_id
from intwizard.tui.modals import ChoiceModal
from intwizard.tui.recovery import read_recovery, recovery_path

GROUP = "external_system_integrations"
BASE_URL = f"{GROUP}.0.connection_details.base_url"


def field_message(app, path: str) -> str:
    control = app.screen.query_one(f"#{field_id(path)}")
    field = next(node for node in control.ancestors if isinstance(node, Field))
    errors = [str(error.render()) for error in field.query(".field-error").results(Static) if error.display]
    return "\n".join(errors)


def notes(app) -> str:
    return "\n".join(str(note.message) for note in app._notifications)


async def test_a_half_typed_ipv6_base_url_is_a_field_message_and_the_wizard_keeps_running(
        tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    app = wizard(opened(path), section=GROUP)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, BASE_URL, "http://[")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert "is not a URL" in field_message(app, BASE_URL)
        assert app.screen.query_one(f"#{field_id(BASE_URL)}", Input).value == "http://["
        await pilot.press(*"::1]:8443/v1")  # typing goes on: the finished URL is fine
        await pilot.pause()
        assert field_message(app, BASE_URL) == ""
        assert editor(app).session.draft.get(BASE_URL) == "http://[::1]:8443/v1"


async def test_a_check_that_fails_on_a_value_says_so_under_the_field(tmp_path: Path, monkeypatch) -> None:
    import intwizard.tui.fields as fields

    real = fields.problem

    def broken(node, value):
        if value == "boom":
            raise KeyError("a bug in a check")
        return real(node, value)

    monkeypatch.setattr(fields, "problem", broken)
    app = wizard(new_file(tmp_path / "d.yaml"), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "meta.author", "boom")
        await pilot.pause()
        assert app.is_running
        assert "could not check this value (KeyError" in field_message(app, "meta.author")
        assert editor(app).session.draft.get("meta.author") == "boom"  # kept as typed


async def test_a_failing_handler_writes_the_recovery_file_and_resume_restores_it(tmp_path: Path,
                                                                                complete_yaml: Path,
                                                                                monkeypatch, capsys) -> None:
    from intwizard.tui.editor import EditorScreen

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    on_disk = path.read_bytes()
    app = wizard(opened(path), section="meta")

    def broken(self) -> None:
        raise RuntimeError("a bug in a handler")

    with monkeypatch.context() as patch:
        async with app.run_test(size=(120, 40)) as pilot:
            await type_into(pilot, "meta.author", "Grace Hopper")
            await type_into(pilot, "meta.feature_name", "Split Payments v2")
            patch.setattr(EditorScreen, "action_next_section", broken)
            await pilot.press("ctrl+n")
    assert app.return_code == 1
    message = " ".join(capsys.readouterr().err.split())  # said as the wizard ends
    assert "RuntimeError: a bug in a handler" in message
    assert "spec.yaml.recovery" in message and "intwizard resume spec.yaml" in message
    assert path.read_bytes() == on_disk  # nothing saved (autosave was off)...
    rescued = read_recovery(path)  # ...but nothing lost
    assert rescued is not None and "a bug in a handler" in rescued.error
    assert rescued.document["meta"]["author"] == "Grace Hopper"

    seen = Seen(Saved)
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
        shown = str(app.screen.query_one(".dialog-message").render())
        assert "spec.yaml.recovery" in shown and "2 unsaved edits" in shown
        await pilot.click("#choice-restore")
        await pilot.pause()
        await wait_for(pilot, lambda: app.screen.query(f"#{field_id('meta.author')}"))
        assert app.screen.query_one(f"#{field_id('meta.author')}", Input).value == "Grace Hopper"
        assert "Restored 2 edits" in notes(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: seen.of(Saved) and not recovery_path(path).exists())
    saved = read_plain(path)["meta"]
    assert (saved["author"], saved["feature_name"]) == ("Grace Hopper", "Split Payments v2")
    assert "# " in path.read_text()  # replayed as edits: the draft's own comments stay


async def test_a_failing_background_job_is_reported_and_the_wizard_keeps_running(tmp_path: Path,
                                                                                monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.yaml"
    seen = Seen(Saved)
    app = wizard(new_file(path), section="meta")
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        screen = editor(app)
        await type_into(pilot, "meta.author", "Grace")

        def broken(**_options):
            raise AssertionError("a bug in the save worker")

        with monkeypatch.context() as patch:
            patch.setattr(screen.engine, "save", broken)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "Unexpected error" in [note.title for note in app._notifications])
        assert app.is_running
        assert "The wizard keeps running" in notes(app) and "d.yaml.recovery" in notes(app)
        assert "save failed" in screen.sub_title
        assert read_recovery(path).edits[0].value == "Grace"
        await type_into(pilot, "meta.feature_name", "Checkout")  # still editing, still saving
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: seen.of(Saved) and not recovery_path(path).exists())
        assert read_plain(path)["meta"]["author"] == "Grace"


async def test_a_recovery_file_for_another_version_of_the_draft_is_kept_not_replayed(tmp_path: Path,
                                                                                    complete_yaml: Path) -> None:
    from intwizard.tui.recovery import write_recovery
    from intwizard.tui.session import Op

    path = tmp_path / "spec.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    write_recovery(path, "some older text", [Op("set", "meta.author", "Someone")], {"meta": {}}, "boom")
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
        assert "changed since" in str(app.screen.query_one(".dialog-message").render())
        await pilot.click("#choice-later")
        await pilot.pause()
        assert editor(app).session.draft.get("meta.author") != "Someone"
    assert recovery_path(path).exists()
