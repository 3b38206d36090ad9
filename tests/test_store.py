"""Saves are atomic, keep a backup and the file mode, and never overwrite someone else's edits."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

import pytest

from intwizard.core.store import SaveError, atomic_write, clean_stale_temps, open_draft, read_plain
from intwizard.errors import ConflictError, InputError

FIXTURE = Path(__file__).parent / "fixtures" / "complete.yaml"
TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def draft_path(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    shutil.copy(FIXTURE, path)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".intwizard-tmp"))


def test_save_keeps_the_previous_version_as_backup(draft_path: Path, schema) -> None:
    before = draft_path.read_bytes()
    draft_file = open_draft(draft_path, schema)
    draft_file.draft.set("meta.author", "Someone New")
    assert draft_file.save(today=TODAY)
    assert draft_path.with_name("spec.yaml.bak").read_bytes() == before
    assert b"Someone New" in draft_path.read_bytes()
    assert leftovers(draft_path.parent) == []


def test_save_keeps_the_file_mode(draft_path: Path, schema) -> None:
    draft_path.chmod(0o640)
    draft_file = open_draft(draft_path, schema)
    draft_file.draft.set("meta.author", "Someone New")
    draft_file.save(today=TODAY)
    assert stat.S_IMODE(draft_path.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_draft_intact(draft_path: Path, schema, monkeypatch) -> None:
    before = draft_path.read_bytes()
    draft_file = open_draft(draft_path, schema)
    draft_file.draft.set("meta.author", "Someone New")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(SaveError, match="No space left on device"):
        draft_file.save(today=TODAY)
    monkeypatch.undo()
    assert draft_path.read_bytes() == before
    assert leftovers(draft_path.parent) == []
    assert draft_file.draft.get("meta.author") == "Someone New"  # the edit is still in memory
    assert draft_file.save(today=TODAY)  # and a later save succeeds
    assert b"Someone New" in draft_path.read_bytes()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_a_read_only_folder_is_reported(draft_path: Path, schema) -> None:
    draft_file = open_draft(draft_path, schema)
    draft_file.draft.set("meta.author", "Someone New")
    draft_path.parent.chmod(0o500)
    try:
        with pytest.raises(SaveError, match="cannot save"):
            draft_file.save(today=TODAY)
    finally:
        draft_path.parent.chmod(0o700)


def test_a_change_on_disk_is_not_overwritten(draft_path: Path, schema) -> None:
    draft_file = open_draft(draft_path, schema)
    draft_file.draft.set("meta.author", "Mine")
    draft_path.write_text(draft_path.read_text().replace("Priya Raman", "Theirs"))
    theirs = draft_path.read_bytes()
    assert draft_file.conflict()
    with pytest.raises(ConflictError, match="changed on disk"):
        draft_file.save(today=TODAY)
    assert draft_path.read_bytes() == theirs
    draft_file.save(force=True, today=TODAY)  # "overwrite" is an explicit choice
    assert b"Mine" in draft_path.read_bytes()


def test_touching_the_file_without_changing_it_is_no_conflict(draft_path: Path, schema) -> None:
    draft_file = open_draft(draft_path, schema)
    os.utime(draft_path, (0, 0))
    assert not draft_file.conflict()


def test_stale_temp_files_from_a_crash_are_cleaned_on_the_next_save(draft_path: Path) -> None:
    stale = draft_path.with_name(".spec.yaml.abc123.intwizard-tmp")
    stale.write_text("half a draft")
    other = draft_path.with_name(".other.yaml.abc123.intwizard-tmp")
    other.write_text("another draft's temp")
    atomic_write(draft_path, b"x: 1\n")
    assert not stale.exists()
    assert other.exists()  # only this draft's temp files
    assert clean_stale_temps(draft_path) == []


@pytest.mark.parametrize(("newline", "bom"), [("\r\n", False), ("\n", True), ("\r\n", True)])
def test_line_endings_and_bom_are_kept(tmp_path: Path, schema, newline: str, bom: bool) -> None:
    path = tmp_path / "spec.yaml"
    text = FIXTURE.read_text().replace("\n", newline)
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    draft_file = open_draft(path, schema)
    draft_file.draft.set("meta.author", "Someone New")
    draft_file.save(today=TODAY)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == bom
    body = data.decode("utf-8-sig")
    assert body.count("\r\n") == (body.count("\n") if newline == "\r\n" else 0)
    assert read_plain(path)["meta"]["author"] == "Someone New"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"meta: [\n", "invalid YAML"),
        (b"", "empty"),
        (b"- a\n- b\n", "a draft is a YAML mapping"),
        (b"\x00\x01\x02binary", "binary file"),
        (b"meta:\n  author: caf\xe9\n", "not UTF-8"),
        (b"meta:\n  author: a\n  author: b\n", "duplicate key"),
    ],
)
def test_broken_files_get_a_clear_message(tmp_path: Path, schema, content: bytes, message: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    for read in (lambda: read_plain(path), lambda: open_draft(path, schema)):
        with pytest.raises(InputError, match=message) as caught:
            read()
        assert str(caught.value).startswith(str(path))
    assert path.read_bytes() == content


def test_yaml_errors_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("meta:\n  author: [unclosed\n  sev_level: SEV-1\n")
    with pytest.raises(InputError) as caught:
        read_plain(path)
    assert caught.value.line == 3 and caught.value.column > 0
    assert str(caught.value).startswith(f"{path}:3:")


def test_a_save_into_a_vanished_folder_fails_instead_of_recreating_it(tmp_path: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    draft = folder / "spec.yaml"
    draft.write_text("a: 1\n")
    folder.rename(tmp_path / "unmounted")
    with pytest.raises(SaveError, match="No such file"):
        atomic_write(draft, b"a: 2\n")
    assert not folder.exists()  # the lock did not bring the folder back to save into
