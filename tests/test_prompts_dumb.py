"""TERM=dumb (Emacs' shell, some editor consoles): the same questions, asked line by line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from test_prompts_driver import copy_fixture

from intwizard.core.store import open_draft, read_plain
from intwizard.prompts import run_prompts


@pytest.fixture
def gaps(schema, complete_yaml: Path, tmp_path: Path) -> Path:
    path = copy_fixture(complete_yaml, tmp_path / "dumb.yaml")
    draft_file = open_draft(path, schema)
    for key in ("meta.author", "meta.sev_level", "overview.summary"):
        draft_file.draft.set_value(key, "")
    draft_file.save()
    return path


def answer(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def test_dumb_terminal_asks_line_by_line(gaps, schema, monkeypatch, capsys):
    answer(monkeypatch, "Ada", "9", "2", "First line", "  indented", ".", "n", "n", "y", "", "", "maybe", "n", "n")
    run_prompts(open_draft(gaps, schema))

    data = read_plain(gaps)
    assert data["meta"]["author"] == "Ada"
    assert data["meta"]["sev_level"] == "SEV-2"
    assert data["overview"]["summary"] == "First line\n  indented"
    assert data["validation_checklist"]["integration_completeness"]["security_considerations_addressed"] is True
    out = capsys.readouterr().out
    assert "\x1b[" not in out  # no escape codes for a terminal that cannot show them
    assert "  2) SEV-2" in out
    assert "✗ Type a number from 1 to" in out
    assert "? Summary (end with a line holding only .):" in out
    assert "✗ Answer y or n." in out
    assert "Your draft:" in out


def test_dumb_terminal_enter_keeps_the_current_answers(schema, complete_yaml, tmp_path, monkeypatch):
    path = copy_fixture(complete_yaml, tmp_path / "keep.yaml")
    text = path.read_text()
    # --all: Enter keeps every line and choice; "." keeps a multi-line text; stop at the first table.
    answer(monkeypatch, *[""] * 4, "", ".", ".", *[""] * 5)  # the empty line before "." types nothing

    with pytest.raises(SystemExit) as stopped:
        run_prompts(open_draft(path, schema), walk_all=True)
    assert stopped.value.code == 130
    assert path.read_text() == text
