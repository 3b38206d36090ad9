"""Plain prompts on a new draft: the first questions, saving after each answer, stopping early."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_prompts_driver import CTRL_C, ENTER, User, run

from intwizard.cli.words import header_hint
from intwizard.core.draft import Draft
from intwizard.core.store import new_draft_file, read_plain


@pytest.fixture
def new_file(schema, tmp_path: Path):
    path = tmp_path / "checkout.yaml"
    draft = Draft.new(schema)
    draft.set_header(header_hint(str(path)))
    return new_draft_file(path, draft)


def test_first_question_is_the_feature_name_and_each_answer_is_saved(new_file, schema, monkeypatch, capsys):
    user = User(["Checkout\r", "Ada Lovelace\r"])  # then no more answers: the pipe closes
    status = run(new_file, user, monkeypatch, walk_all=True)

    assert status == 130
    assert user.asked[0].message == schema.title_field.label
    assert user.asked[0].kind == "text"
    data = read_plain(new_file.path)
    assert data["meta"]["feature_name"] == "Checkout"
    assert data["meta"]["author"] == "Ada Lovelace"
    out = capsys.readouterr().out
    assert "## Document Information (1 of" in out
    assert schema.title_field.help in out
    assert f"saved in {new_file.path} (2 changes this time)." in out
    assert f"Continue with: intwizard resume --plain {new_file.path}" in out


@pytest.mark.parametrize("stop_at", [1, 2], ids=["in-a-text-prompt", "in-a-select"])
def test_ctrl_c_keeps_every_earlier_answer(new_file, monkeypatch, capsys, stop_at):
    script = [*["Checkout\r", "Ada\r"][:stop_at], CTRL_C]
    user = User(script)
    status = run(new_file, user, monkeypatch, walk_all=True)

    assert status == 130
    assert user.asked[-1].kind == ("text" if stop_at == 1 else "select")  # Ctrl-C hit the prompt it meant to
    data = read_plain(new_file.path)
    assert data["meta"]["feature_name"] == "Checkout"
    assert data["meta"]["author"] == ("Ada" if stop_at == 2 else "")
    assert "Stopped. Every answer so far is saved" in capsys.readouterr().out
    assert not list(new_file.path.parent.glob("*.intwizard-tmp"))


def test_ctrl_c_before_any_answer_creates_no_file(new_file, monkeypatch, capsys):
    status = run(new_file, User([CTRL_C]), monkeypatch, walk_all=True)

    assert status == 130
    assert not new_file.path.exists()
    assert "Nothing was answered" in capsys.readouterr().out


def test_a_skipped_answer_stays_blank_and_the_walk_goes_on(new_file, monkeypatch):
    user = User([ENTER, "Ada\r"])
    run(new_file, user, monkeypatch, walk_all=True)

    data = read_plain(new_file.path)
    assert data["meta"]["feature_name"] == ""
    assert data["meta"]["author"] == "Ada"
    assert [prompt.message for prompt in user.asked[:2]] == ["Feature Name", "Author"]


def test_ctrl_c_at_once_still_keeps_values_given_with_set(new_file, monkeypatch):
    new_file.draft.set("meta.author", "Ada")  # what `intwizard new --plain --set meta.author=Ada` does

    assert run(new_file, User([CTRL_C]), monkeypatch, walk_all=True) == 130
    assert read_plain(new_file.path)["meta"]["author"] == "Ada"
