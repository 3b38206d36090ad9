"""The edit log and the save worker's own tree, without a terminal: the ops replayed on a second tree
give the same file, failures keep the edits, conflicts are refused, save-as moves on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_tui_support import TODAY, new_file, opened

from intwizard.core.draft import Draft
from intwizard.core.schema import load_schema
from intwizard.core.store import new_draft_file, read_plain
from intwizard.tui.autosave import SaveConflict, Saved, SaveEngine, SaveFailed, seed_for
from intwizard.tui.session import Op, Session, apply_op


@pytest.fixture(autouse=True)
def close_engines():
    """Each engine's save process ends when its pipe closes."""
    yield
    while ENGINES:
        ENGINES.pop().close()


ENGINES: list[SaveEngine] = []


def engine_for(draft_file) -> tuple[Session, SaveEngine]:
    session = Session(draft_file.draft)
    engine = SaveEngine(seed_for(draft_file), load_schema(), session)
    ENGINES.append(engine)
    return session, engine


def test_typing_a_word_logs_one_edit_per_field() -> None:
    session = Session(Draft.new(load_schema(), today=TODAY))
    for text in ("C", "Ch", "Che"):
        session.set("meta.feature_name", text)
    session.set("meta.author", "Ada")
    ops, version = session.take()
    assert [(op.path, op.value) for op in ops] == [("meta.feature_name", "Che"), ("meta.author", "Ada")]
    assert version == 4
    assert not session.pending


def test_an_edit_that_changes_nothing_is_not_logged() -> None:
    session = Session(Draft.new(load_schema(), today=TODAY))
    assert session.set("meta.review_status", "DRAFT") is False
    assert not session.pending and session.version == 0


def test_ops_give_the_same_tree_on_both_sides(tmp_path: Path) -> None:
    schema = load_schema()
    ui, worker = Draft.new(schema, today=TODAY), Draft.new(schema, today=TODAY)
    ops = [
        Op("append", "external_system_integrations"),
        Op("set", "external_system_integrations.0.name", "Paylane"),
        Op("append", "external_system_integrations.0.api_endpoints", {"method": "GET", "endpoint": "/a"}),
        Op("append", "external_system_integrations.0.api_endpoints", {"method": "POST", "endpoint": "/b"}),
        Op("move", "external_system_integrations.0.api_endpoints", index=1, offset=-1),
        Op("duplicate", "external_system_integrations.0.api_endpoints", index=0),
        Op("remove", "external_system_integrations.0.api_endpoints", index=2),
        Op("set", "data_integration_patterns.synchronous_integration.advantages", ["Fast", "Simple"]),
    ]
    for op in ops:
        apply_op(ui, op)
        apply_op(worker, op)
    assert ui.plain() == worker.plain()
    rows = ui.plain()["external_system_integrations"][0]["api_endpoints"]
    assert [row["endpoint"] for row in rows] == ["/b", "/b"]
    # each tree got its own containers: editing one leaves the other alone
    ui.set_value("external_system_integrations.0.api_endpoints.0.endpoint", "/changed")
    assert worker.get("external_system_integrations.0.api_endpoints.0.endpoint") == "/b"


def test_the_engine_writes_a_new_draft_from_its_own_copy(tmp_path: Path) -> None:
    draft_file = new_file(tmp_path / "new.yaml")
    session, engine = engine_for(draft_file)
    session.set("meta.feature_name", "Checkout")
    # The UI's tree moves on after the ops were taken: the worker must not see it.
    result = engine.save(today=TODAY)
    session.draft.set_value("meta.author", "not logged")
    assert isinstance(result, Saved) and result.wrote and result.version == 1
    data = read_plain(tmp_path / "new.yaml")
    assert data["meta"]["feature_name"] == "Checkout"
    assert data["meta"]["author"] == ""
    assert (tmp_path / "new.yaml").read_text().startswith("# Integration Points spec draft")


def test_an_unchanged_draft_is_not_rewritten(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    _, engine = engine_for(opened(path))
    result = engine.save(today=TODAY)
    assert isinstance(result, Saved) and not result.wrote
    assert path.read_bytes() == complete_yaml.read_bytes()


def test_hand_written_comments_survive_and_only_the_edited_line_changes(tmp_path: Path) -> None:
    source = Path(__file__).parent / "fixtures" / "hand_edited.yaml"
    path = tmp_path / "d.yaml"
    path.write_bytes(source.read_bytes())
    session, engine = engine_for(opened(path))
    session.set("meta.author", "Kim Park")
    assert isinstance(engine.save(today=TODAY), Saved)
    before, after = source.read_text().splitlines(), path.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [b for _, b in changed if "author" in b] == ["    author: 'Kim Park'"]
    assert all("author" in b or "last_updated" in b for _, b in changed)
    assert "# Our payments spec. Ask #team-checkout before changing the SEV level." in after


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_failed_save_keeps_the_edits_for_the_next_try(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    draft_file = new_file(folder / "d.yaml")
    session, engine = engine_for(draft_file)
    session.set("meta.feature_name", "Checkout")
    folder.chmod(0o500)
    try:
        result = engine.save(today=TODAY)
        assert isinstance(result, SaveFailed) and "Permission denied" in result.reason
    finally:
        folder.chmod(0o700)
    assert isinstance(engine.save(today=TODAY), Saved)
    assert read_plain(folder / "d.yaml")["meta"]["feature_name"] == "Checkout"


def test_a_save_that_cannot_write_reports_why_and_retries_with_the_edits(tmp_path: Path) -> None:
    """Works as root too: the draft's folder is a file, so nothing can be created in it."""
    blocker = tmp_path / "drafts"
    blocker.write_text("not a folder")
    target = blocker / "d.yaml"
    draft_file = new_draft_file(target, Draft.new(load_schema(), today=TODAY))
    session, engine = engine_for(draft_file)
    session.set("meta.feature_name", "Checkout")
    result = engine.save(today=TODAY)
    assert isinstance(result, SaveFailed) and "Not a directory" in result.reason
    blocker.unlink()
    blocker.mkdir()
    session.set("meta.author", "Ada")
    assert isinstance(engine.save(today=TODAY), Saved)
    data = read_plain(target)
    assert (data["meta"]["feature_name"], data["meta"]["author"]) == ("Checkout", "Ada")


def test_a_file_changed_on_disk_is_not_overwritten_unless_asked(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    session, engine = engine_for(opened(path))
    session.set("meta.author", "Kim")
    path.write_text(path.read_text().replace("SEV-2", "SEV-1"))
    assert isinstance(engine.save(today=TODAY), SaveConflict)
    assert "Kim" not in path.read_text()
    assert isinstance(engine.save(force=True, today=TODAY), Saved)
    assert read_plain(path)["meta"]["author"] == "Kim"


def test_save_as_writes_everything_to_the_new_file_and_stays_there(tmp_path: Path, complete_yaml: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(complete_yaml.read_bytes())
    session, engine = engine_for(opened(path))
    session.set("meta.author", "Kim")
    other = tmp_path / "copy.yaml"
    result = engine.save_as(other, today=TODAY)
    assert isinstance(result, Saved) and result.path == other
    assert read_plain(other)["meta"]["author"] == "Kim"
    assert path.read_bytes() == complete_yaml.read_bytes()
    session.set("meta.author", "Lee")
    assert isinstance(engine.save(today=TODAY), Saved)
    assert read_plain(other)["meta"]["author"] == "Lee"


def test_a_save_process_that_dies_is_replaced_and_gets_every_unsaved_edit(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    session, engine = engine_for(new_file(path))
    session.set("meta.feature_name", "Checkout")
    assert isinstance(engine.save(today=TODAY), Saved)
    session.set("meta.author", "Ada")
    engine._process.kill()
    engine._process.wait()
    result = engine.save(today=TODAY)
    # the dead child is noticed: either at once (a new one is started) or on the failed request
    if isinstance(result, SaveFailed):
        assert "save process stopped" in result.reason
        result = engine.save(today=TODAY)
    assert isinstance(result, Saved)
    data = read_plain(path)
    assert (data["meta"]["feature_name"], data["meta"]["author"]) == ("Checkout", "Ada")


@pytest.mark.parametrize("module", ["save_server", "first_look"])
def test_the_helper_processes_never_import_textual(module: str) -> None:
    import subprocess
    import sys

    code = (f"import sys, intwizard.tui.{module}; "
            "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_plain_view_follows_every_kind_of_edit() -> None:
    schema = load_schema()
    session = Session(Draft.new(schema, today=TODAY))
    ops = [
        Op("append", "external_system_integrations"),
        Op("append", "external_system_integrations"),
        Op("set", "external_system_integrations.1.name", "B"),
        Op("append", "external_system_integrations.1.api_endpoints", {"method": "GET"}),
        Op("move", "external_system_integrations", index=1, offset=-1),
        Op("set", "external_system_integrations.1.name", "A"),
        Op("duplicate", "external_system_integrations", index=0),
        Op("remove", "external_system_integrations", index=2),
        Op("set", "meta.author", "Ada"),
    ]
    for op in ops:
        session.edit(op)
        assert session.view.snapshot() == session.draft.plain(), op
    assert [item["name"] for item in session.view.snapshot()["external_system_integrations"]] == ["B", "B"]


def test_priming_the_plain_view_skips_sections_edited_meanwhile(complete_yaml: Path) -> None:
    from intwizard.core.store import read_plain

    draft_file = opened(complete_yaml)
    session = Session(draft_file.draft)
    session.view.touched.clear()
    session.set("meta.author", "Kim")  # typed while the worker was reading the file
    session.view.prime(read_plain(complete_yaml), set(session.view.touched))
    assert session.view.snapshot() == session.draft.plain()
    assert session.view.snapshot()["meta"]["author"] == "Kim"


def test_the_analysis_process_agrees_with_the_checks_and_the_export(complete_yaml: Path, tmp_path: Path) -> None:
    import pickle

    from intwizard.core.checks import statuses
    from intwizard.core.render import render
    from intwizard.tui.first_look import LookFailed, look_elsewhere
    from intwizard.tui.preview_text import excerpt

    schema = load_schema()
    plain = read_plain(complete_yaml)
    assert look_elsewhere(schema.path.parent, complete_yaml.read_bytes()) == (plain, statuses(schema, plain))
    found, markdown = look_elsewhere(schema.path.parent, pickle.dumps((plain, "Overview")), plain=True)
    assert found == statuses(schema, plain)
    assert markdown == excerpt(render(schema, plain), "Overview")
    with pytest.raises(LookFailed):  # the editor then computes the marks itself
        look_elsewhere(tmp_path / "no-template", complete_yaml.read_bytes())


def test_excerpt_keeps_small_documents_whole_and_cuts_big_ones_to_the_section() -> None:
    from intwizard.tui.preview_text import excerpt

    text = "# T\n\n## A\n\na\n\n## B\n\nb\n"
    assert excerpt(text, "B") == text
    assert excerpt(text, "B", limit=20) == "*Large draft: previewing this section only.*\n\n## B\n\nb\n\n"
