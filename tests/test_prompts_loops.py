"""Tables ("add a row?") and repeatable integrations ("add another …?") in the plain prompts."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml.comments import CommentedSeq
from test_prompts_driver import CLEAR, CTRL_C, ENTER, FINISH, Prompt, User, copy_fixture, run, run_part

from intwizard.core.store import open_draft, read_plain


def fixture_with(schema, complete_yaml: Path, tmp_path: Path, **emptied: str) -> Path:
    """The complete fixture with the lists at the given paths emptied (``a__b`` for ``a.b``)."""
    path = copy_fixture(complete_yaml, tmp_path / "loops.yaml")
    draft_file = open_draft(path, schema)
    for key in emptied.values():
        draft_file.draft.set_value(key, CommentedSeq())
    draft_file.save()
    return path


def test_table_loop_adds_rows_column_by_column(schema, complete_yaml, tmp_path, monkeypatch, capsys):
    table = "performance_and_scalability.performance_requirements"
    path = fixture_with(schema, complete_yaml, tmp_path, table=table)
    user = User([
        "n", "n",                         # add another external / internal integration?
        "1\r",                            # Add a row to Performance Requirements? Add a row
        "Paylane\r", "800ms\r", ENTER, "99.9%\r",
        "y",                              # Add another row?
        ENTER, ENTER, ENTER, ENTER,       # ... all left empty: the row is dropped again
        "y",
        "Shipwise\r", ENTER, "400/s\r", ENTER,
        "n",
        ENTER,                            # what next? keep these rows and go on
    ])
    status = run(open_draft(path, schema), user, monkeypatch)

    assert status == 130  # the checklist questions after it had no answers in the script
    columns = [column.label for column in schema.node(table).children]
    assert user.messages()[2:8] == ["Add a row to Performance Requirements?", *columns,
                                    "Add another row to Performance Requirements?"]
    assert read_plain(path)["performance_and_scalability"]["performance_requirements"] == [
        {"integration": "Paylane", "response_time": "800ms", "throughput": "", "availability": "99.9%"},
        {"integration": "Shipwise", "response_time": "", "throughput": "400/s", "availability": ""},
    ]
    out = capsys.readouterr().out
    assert "Performance Requirements has 2 rows:" in out
    assert "  1. Integration: Paylane; Response Time: 800ms; Availability: 99.9%" in out
    menu = user.asked[-2]  # the last one got no answer: the checklist after the table
    assert menu.message == "Performance Requirements: what next?" and menu.default == "done"
    assert menu.choices == ["Keep these rows and go on", "Add a row", "Change a row", "Remove a row"]


def test_table_rows_can_be_changed_and_removed_when_walking_all(schema, complete_yaml, tmp_path, monkeypatch):
    path = copy_fixture(complete_yaml, tmp_path / "rows.yaml")
    table = schema.node("error_handling_and_resilience.failure_scenarios")
    user = User([
        "3\r", "2\r",                                   # what next? change a row; which? row 2
        CLEAR + "Card declined\r", ENTER, ENTER, ENTER,  # its columns, current answers as defaults
        "4\r", "3\r",                                   # what next? remove a row; which? row 3
        ENTER,                                          # what next? keep these rows and go on
    ])
    draft_file = open_draft(path, schema)
    run_part(user, monkeypatch, lambda walk: walk.table(table, table.path), draft_file)

    rows = read_plain(path)["error_handling_and_resilience"]["failure_scenarios"]
    assert [row["scenario"] for row in rows] == ["Paylane timeout", "Card declined"]
    assert rows[1]["response"] == "Void the authorised part and ask for another method"  # kept by Enter
    which = user.asked[1]
    assert which.message == "Which row to change?"
    assert which.choices[1].startswith("Scenario: One part declined; Impact:")
    assert which.choices[-1] == "Cancel"
    assert [prompt.default for prompt in user.asked[2:6]] == ["One part declined", "Order cannot be paid as split",
                                                              "402 from Paylane", rows[1]["response"]]


def test_integration_loop_asks_each_new_integrations_questions_in_order(schema, complete_yaml, tmp_path,
                                                                        monkeypatch, capsys):
    group = schema.node("internal_system_integrations")
    path = fixture_with(schema, complete_yaml, tmp_path, group=group.path)
    script = iter(["Billing\r", "Invoices\r", "1\r", "Finance team\r", "http://billing:8080\r"])

    def answer(prompt: Prompt) -> str | None:
        if prompt.message.startswith("Add another integration to External"):
            return "n"
        if prompt.message == "Add an integration to Internal System Integrations?":
            return ENTER  # the default is yes when there is none yet
        if prompt.message == "Add another integration to Internal System Integrations?":
            return "y"
        if prompt.message == "Internal Service Name" and len(read_plain(path)[group.key]) == 1:
            return "Ledger\r"
        if prompt.message == "Purpose" and len(read_plain(path)[group.key]) == 2:
            return CTRL_C  # stop inside the second integration
        return next(script, FINISH if prompt.kind == "multiline" else ENTER)

    user = User(answer)
    assert run(open_draft(path, schema), user, monkeypatch) == 130

    leaves = [node.label for node in group.walk() if node.is_scalar]
    first = user.messages()[2:2 + len(leaves)]
    assert first == leaves  # a new integration asks all its questions, in the schema's order
    items = read_plain(path)[group.key]
    assert [item["name"] for item in items] == ["Billing", "Ledger"]
    assert items[0]["type"] == group.child("type").options[0]
    assert items[0]["service_details"]["service_url"] == "http://billing:8080"
    assert items[0]["interface_specification"] == ""  # skipped: empty, not the template's example
    out = capsys.readouterr().out
    assert "### Internal System Integrations: Integration A" in out  # numbering from the schema
    assert "### Internal System Integrations: Integration B" in out


@pytest.mark.parametrize("stop", [CTRL_C, None], ids=["ctrl-c", "end-of-input"])
def test_a_new_integration_left_without_answers_is_dropped(schema, complete_yaml, tmp_path, monkeypatch, stop):
    path = copy_fixture(complete_yaml, tmp_path / "drop.yaml")
    text = path.read_text()
    user = User(["y", stop] if stop else ["y"])  # Add another external integration? yes, then stop

    assert run(open_draft(path, schema), user, monkeypatch) == 130
    assert user.messages() == ["Add another integration to External System Integrations?", "External System Name"]
    assert path.read_text() == text


def test_existing_integrations_are_resumed_where_they_have_gaps(schema, complete_yaml, tmp_path, monkeypatch,
                                                                capsys):
    path = copy_fixture(complete_yaml, tmp_path / "gap.yaml")
    draft_file = open_draft(path, schema)
    draft_file.draft.set_value("internal_system_integrations.1.ownership", "")
    draft_file.save()
    user = User(["n", "Identity team\r", "n"])

    assert run(open_draft(path, schema), user, monkeypatch) == 130
    assert user.messages()[:3] == ["Add another integration to External System Integrations?", "Ownership",
                                   "Add another integration to Internal System Integrations?"]
    assert read_plain(path)["internal_system_integrations"][1]["ownership"] == "Identity team"
    assert "### Internal System Integrations: Integration B (Customer Profile Service)" in capsys.readouterr().out
