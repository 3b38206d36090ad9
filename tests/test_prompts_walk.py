"""The whole schema, walked to the end through the real prompts, gives a spec with nothing to fix."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from test_prompts_driver import ENTER, FINISH, Prompt, User, run

from intwizard.core.checks import findings
from intwizard.core.draft import Draft
from intwizard.core.render import render
from intwizard.core.store import new_draft_file, read_plain


def careful_user(schema) -> User:
    """Answers like a person filling everything in (tersely, to keep the test quick): valid values,
    one of each integration, one row per table."""
    json_labels = {node.label for node in schema.walk() if node.validate == "json"}
    url_labels = {node.label for node in schema.walk() if node.validate == "url"}
    seen: Counter[str] = Counter()

    def answer(prompt: Prompt) -> str:
        seen[prompt.message] += 1
        message = prompt.message
        if prompt.kind == "confirm":
            if message.startswith("Add another"):
                return "n"
            return "y"  # add the first integration / row; tick every checklist item
        if prompt.kind == "select":
            if message.startswith("Add a row to"):
                return "1\r"  # add the first row
            return ENTER  # the current answer, else the first option; "keep these rows"
        if prompt.kind == "multiline":
            if prompt.default:
                return FINISH
            if message in json_labels:
                return '{"ok": true}' + FINISH
            return "a\rb" + FINISH
        if message in url_labels:
            return "https://svc.example.com/v1\r"
        if message.endswith("Date"):
            return "2026-11-20\r"
        if message == schema.title_field.label:
            return "Walk\r"
        return ENTER if prompt.default else "x\r"

    return User(answer)


@pytest.mark.slow
def test_walking_every_question_to_the_end(schema, tmp_path: Path, monkeypatch, capsys):
    path = tmp_path / "walk.yaml"
    draft_file = new_draft_file(path, Draft.new(schema))
    user = careful_user(schema)

    status = run(draft_file, user, monkeypatch, walk_all=True)

    assert status == 0
    data = read_plain(path)
    assert [f for f in findings(schema, data) if f.blocking] == []
    # Every field a person answers was asked, by its schema label.
    messages = set(user.messages())
    for node in schema.walk():
        if (node.is_scalar or node.kind in ("list", "check")) and not node.auto and node.path.count(".") and \
                schema.node(node.path.rsplit(".", 1)[0]).kind not in ("table", "signoff"):
            assert any(message.startswith(node.label) for message in messages), node.path
    for role in schema.node("validation_checklist.review_and_approval").roles:
        assert f"{role.label}: Name" in messages
    assert len(data["external_system_integrations"]) == 1
    assert len(data["internal_system_integrations"]) == 1
    assert all(len(item["api_endpoints"]) == 1 for item in data["external_system_integrations"])
    out = capsys.readouterr().out
    assert f"Your draft: {path}" in out
    assert f"intwizard export {path}" in out
    assert render(schema, data).splitlines()[0] == "# Integration Points - Walk"
