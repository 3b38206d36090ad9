"""Plain prompts: `n/a` then a reason answers "not applicable"; `example` starts from the template's example."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_prompts_driver import CTRL_C, ENTER, FINISH, User, run

from intwizard.core.draft import Draft
from intwizard.core.store import new_draft_file, read_plain


@pytest.fixture
def new_file(schema, tmp_path: Path):
    path = tmp_path / "spec.yaml"
    draft = Draft.new(schema)
    draft.set_header(str(path))
    return new_draft_file(path, draft)


def test_n_a_then_a_reason_is_stored_as_not_applicable(new_file, schema, monkeypatch, capsys) -> None:
    # Feature name, author, SEV level (Enter: the first), review status (Enter: DRAFT), then the summary.
    user = User(["Checkout\r", "Ada\r", ENTER, ENTER, "n/a" + FINISH, "an internal tool, no users\r", CTRL_C])
    assert run(new_file, user, monkeypatch, walk_all=True) == 130
    assert user.asked[5].message.startswith("Why does Summary not apply?")
    assert read_plain(new_file.path)["overview"]["summary"] == {"not_applicable": "an internal tool, no users"}
    assert "Type `n/a` if it does not apply" in " ".join(capsys.readouterr().out.split())


def test_example_starts_from_the_templates_example(new_file, schema, monkeypatch, capsys) -> None:
    example = schema.node("overview.summary").example
    user = User(["Checkout\r", "Ada\r", ENTER, ENTER, "example" + FINISH, FINISH, CTRL_C])
    assert run(new_file, user, monkeypatch, walk_all=True) == 130
    assert user.asked[5].default == example  # asked again with the example to edit
    assert read_plain(new_file.path)["overview"]["summary"] == example
    assert f"Template example: {example[:60]}" in " ".join(capsys.readouterr().out.split())  # wrapped


def test_a_choice_offers_not_applicable(new_file, schema, monkeypatch) -> None:
    def answer(prompt):
        if prompt.kind == "select" and prompt.message == schema.node("meta.sev_level").label:
            return "\x1b[B" * prompt.choices.index("Not applicable… (say why)") + ENTER
        if prompt.message.startswith("Why does SEV Level"):
            return "decided per release\r"
        if prompt.message == schema.title_field.label:
            return "Checkout\r"
        if prompt.message == "Author":
            return "Ada\r"
        return None  # no more answers: stop
    assert run(new_file, User(answer), monkeypatch, walk_all=True) == 130
    assert read_plain(new_file.path)["meta"]["sev_level"] == {"not_applicable": "decided per release"}
