"""Plain prompts: `n/a` then a reason answers "not applicable"; `example` starts from the template's example."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_prompts_driver import CTRL_C, ENTER, FINISH, User, run, run_part

from intwizard.core.draft import Draft
from intwizard.core.render import render
from intwizard.core.store import new_draft_file, open_draft, read_plain


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


# -- a whole table or section -------------------------------------------------------------------------

SECURITY = "integration_security"
AUTH = "integration_security.authentication_and_authorization"
COMPLIANCE = "integration_security.compliance_requirements"


def _walk_section(user: User, monkeypatch, draft_file, key: str, *, walk_all: bool = True) -> None:
    section = draft_file.draft.schema.section(key)
    run_part(user, monkeypatch, lambda walk: walk.node(section, key, top=True), draft_file, walk_all=walk_all)


def test_add_a_row_offers_not_applicable_for_the_whole_table(new_file, schema, monkeypatch) -> None:
    table = schema.node(AUTH)
    user = User(["3\r", "every call stays inside the VPC\r"])  # Add a row? Not applicable… ; why
    run_part(user, monkeypatch, lambda walk: walk.table(table, AUTH), new_file)
    ask = user.asked[0]
    assert ask.message == "Add a row to Authentication and Authorization?"
    assert ask.choices == ["Add a row", "No rows for now", "Not applicable… (say why)"]
    assert user.asked[1].message.startswith("Why does Authentication and Authorization not apply?")
    data = read_plain(new_file.path)
    assert data["integration_security"]["authentication_and_authorization"] == \
        {"not_applicable": "every call stays inside the VPC"}
    assert "### Authentication and Authorization\n\nNot applicable: every call stays inside the VPC\n" in \
        render(schema, data)


def test_a_table_answered_not_applicable_is_not_asked_again_on_resume_and_can_be_taken_back(
        new_file, schema, monkeypatch) -> None:
    new_file.draft.set_not_applicable(AUTH, "inside the VPC")
    new_file.save()
    table = schema.node(AUTH)
    resumed = User([])
    run_part(resumed, monkeypatch, lambda walk: walk.table(table, AUTH), open_draft(new_file.path, schema),
             walk_all=False)
    assert resumed.asked == []  # answered: resume asks only what is open
    def answer(prompt):
        if prompt.message == "Authentication and Authorization:":
            return "2\r"  # add a row after all
        if prompt.message == "Integration":
            return "Paylane\r"
        if prompt.message.startswith("Add another row"):
            return "n"
        if prompt.message.endswith("what next?"):
            return ENTER
        return ENTER if prompt.kind in ("text", "select") else None
    user = User(answer)
    run_part(user, monkeypatch, lambda walk: walk.table(table, AUTH), open_draft(new_file.path, schema))
    assert user.asked[0].choices == ["Keep it not applicable", "Add a row (it applies after all)",
                                     "Not applicable… (a new reason)"]
    rows = read_plain(new_file.path)["integration_security"]["authentication_and_authorization"]
    assert [row["integration"] for row in rows] == ["Paylane"]


def test_not_applicable_at_a_sections_first_question_may_answer_the_whole_section(new_file, schema,
                                                                                  monkeypatch) -> None:
    def answer(prompt):
        if prompt.message == "Add a row to Authentication and Authorization?":
            return "3\r"
        if prompt.message.startswith("Why does"):
            return "an offline batch tool\r"
        if prompt.message.startswith("What does not apply"):
            return "2\r"  # All of Integration Security
        return None
    user = User(answer)
    _walk_section(user, monkeypatch, new_file, SECURITY)
    scope = next(prompt for prompt in user.asked if prompt.message.startswith("What does not apply"))
    assert scope.message == "What does not apply (an offline batch tool)?"
    assert scope.choices == ["Only Authentication and Authorization",
                             "All of Integration Security (its remaining questions are skipped)"]
    assert user.asked[-1] is scope  # nothing else of the section is asked
    data = read_plain(new_file.path)
    assert data["integration_security"]["not_applicable"] == "an offline batch tool"
    exported = render(schema, data)
    assert "## Integration Security\n\nNot applicable: an offline batch tool\n\n## " in exported


def test_a_sub_sections_first_question_offers_that_sub_section(new_file, schema, monkeypatch) -> None:
    def answer(prompt):
        if prompt.message == "Add a row to Authentication and Authorization?":
            return "2\r"  # no rows for now
        if prompt.message == "GDPR":
            return "n/a\r"
        if prompt.message.startswith("Why does GDPR"):
            return "no personal data\r"
        if prompt.message.startswith("What does not apply"):
            return "2\r"
        if prompt.kind == "text":
            return ENTER  # the Data Protection fields: skipped
        return None
    user = User(answer)
    _walk_section(user, monkeypatch, new_file, SECURITY)
    scope = next(prompt for prompt in user.asked if prompt.message.startswith("What does not apply"))
    # Integration Security's heading came with its first question: only Compliance Requirements is new here.
    assert scope.choices == ["Only GDPR", "All of Compliance Requirements (its remaining questions are skipped)"]
    assert "PCI DSS" not in user.messages()
    data = read_plain(new_file.path)["integration_security"]
    assert data["compliance_requirements"]["not_applicable"] == "no personal data"
    assert "not_applicable" not in data


def test_walking_all_a_not_applicable_section_is_kept_or_taken_back(new_file, schema, monkeypatch, capsys) -> None:
    new_file.draft.set_not_applicable(COMPLIANCE, "no regulated data")
    new_file.save()
    kept = User(lambda prompt: "y" if prompt.message == "Keep Compliance Requirements not applicable?" else
                ("2\r" if prompt.message.startswith("Add a row") else ENTER if prompt.kind == "text" else None))
    _walk_section(kept, monkeypatch, open_draft(new_file.path, schema), SECURITY)
    assert "Now: Not applicable: no regulated data." in capsys.readouterr().out
    assert "GDPR" not in kept.messages()
    assert read_plain(new_file.path)["integration_security"]["compliance_requirements"]["not_applicable"]


def test_walking_all_a_not_applicable_section_can_be_taken_back(new_file, schema, monkeypatch) -> None:
    new_file.draft.set_not_applicable(COMPLIANCE, "no regulated data")
    new_file.save()

    def back(prompt):
        if prompt.message == "Keep Compliance Requirements not applicable?":
            return "n"
        if prompt.message == "GDPR":
            return "Lawful basis: contract\r"
        if prompt.message.startswith("Add a row"):
            return "2\r"
        return ENTER if prompt.kind == "text" else None
    user = User(back)
    _walk_section(user, monkeypatch, open_draft(new_file.path, schema), SECURITY)
    compliance = read_plain(new_file.path)["integration_security"]["compliance_requirements"]
    assert "not_applicable" not in compliance and compliance["gdpr"] == "Lawful basis: contract"


def test_new_no_input_marks_tables_and_sections(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from intwizard.cli import main

    path = tmp_path / "spec.yaml"
    result = CliRunner().invoke(main, ["new", str(path), "--no-input",
                                       "--not-applicable", AUTH, "inside the VPC",
                                       "--not-applicable", "testing_strategy", "covered by the platform"])
    assert result.exit_code == 0, result.output
    data = read_plain(path)
    assert data["integration_security"]["authentication_and_authorization"] == {"not_applicable": "inside the VPC"}
    assert data["testing_strategy"]["not_applicable"] == "covered by the platform"


def test_an_empty_repeated_section_offers_not_applicable(new_file, schema, monkeypatch) -> None:
    group = schema.section("internal_system_integrations")
    new_file.draft.set_value(group.key, [])
    new_file.save()

    def answer(prompt):
        if prompt.message == "Add an integration to Internal System Integrations?":
            return "3\r"
        if prompt.message.startswith("Why does Internal System Integrations"):
            return "talks to no internal service\r"
        return None
    user = User(answer)
    run_part(user, monkeypatch, lambda walk: walk.group(group, group.key), open_draft(new_file.path, schema))
    assert user.asked[0].choices == ["Add an integration", "None for now", "Not applicable… (say why)"]
    assert len(user.asked) == 2
    data = read_plain(new_file.path)
    assert data["internal_system_integrations"] == {"not_applicable": "talks to no internal service"}
    resumed = User([])
    run_part(resumed, monkeypatch, lambda walk: walk.group(group, group.key), open_draft(new_file.path, schema),
             walk_all=False)
    assert resumed.asked == []
    assert "## Internal System Integrations\n\nNot applicable: talks to no internal service\n\n## " in \
        render(schema, data)


# -- a checklist --------------------------------------------------------------------------------------

COMPLETENESS = "validation_checklist.integration_completeness"


def _walk_checklist(user: User, monkeypatch, draft_file, path: str, *, walk_all: bool = True) -> None:
    node = draft_file.draft.schema.node(path)
    run_part(user, monkeypatch, lambda walk: walk.node(node, path), draft_file, walk_all=walk_all)


def test_a_checklist_offers_not_applicable_before_its_items(new_file, schema, monkeypatch, tmp_path) -> None:
    user = User(["2\r", "a spike: nothing is built\r"])  # Not applicable… ; why
    _walk_checklist(user, monkeypatch, new_file, "next_steps")
    ask = user.asked[0]
    assert (ask.kind, ask.message) == ("select", "Next Steps: answer its items?")
    assert ask.choices == ["Answer the items", "Not applicable… (say why)"]
    assert user.asked[1].message.startswith("Why does Next Steps not apply?")
    assert len(user.asked) == 2  # no item is asked
    data = read_plain(new_file.path)
    assert data["next_steps"] == {"not_applicable": "a spike: nothing is built"}
    marked = Draft.new(schema)  # the same form as `set --not-applicable` and the wizard write
    marked.set_not_applicable("next_steps", "a spike: nothing is built")
    assert marked.plain()["next_steps"] == data["next_steps"]
    exported = render(schema, data)
    assert "## Next Steps\n\nNot applicable: a spike: nothing is built\n" in exported
    assert "Implement integration interfaces" not in exported


def test_answering_a_checklists_items_is_the_default(new_file, schema, monkeypatch) -> None:
    items = schema.node("next_steps").children
    user = User([ENTER, "y", *["n"] * (len(items) - 1)])
    _walk_checklist(user, monkeypatch, new_file, "next_steps")
    assert user.asked[0].default == "answer"
    assert [prompt.message for prompt in user.asked[1:]] == [f"{item.label}?" for item in items]
    steps = read_plain(new_file.path)["next_steps"]
    assert steps[items[0].key] is True and "not_applicable" not in steps


def test_no_reason_for_a_checklist_goes_on_to_its_items(new_file, schema, monkeypatch) -> None:
    items = schema.node(COMPLETENESS).children
    user = User(["2\r", ENTER, "y", *["n"] * (len(items) - 1)])  # Not applicable… ; no reason after all ; items
    _walk_checklist(user, monkeypatch, new_file, COMPLETENESS)
    assert [prompt.message for prompt in user.asked[2:]] == [f"{item.label}?" for item in items]
    assert read_plain(new_file.path)["validation_checklist"]["integration_completeness"] == \
        {item.key: number == 0 for number, item in enumerate(items)}


def test_a_checklists_not_applicable_may_answer_its_whole_section(new_file, schema, monkeypatch) -> None:
    def answer(prompt):
        if prompt.message == "Integration Completeness: answer its items?":
            return "2\r"
        if prompt.message.startswith("Why does Integration Completeness"):
            return "a prototype\r"
        if prompt.message.startswith("What does not apply"):
            return "2\r"  # All of Validation Checklist
        return None
    user = User(answer)
    _walk_section(user, monkeypatch, new_file, "validation_checklist")
    scope = user.asked[-1]
    assert scope.choices == ["Only Integration Completeness",
                             "All of Validation Checklist (its remaining questions are skipped)"]
    assert read_plain(new_file.path)["validation_checklist"]["not_applicable"] == "a prototype"


def test_a_not_applicable_checklist_is_skipped_on_resume_kept_or_taken_back(new_file, schema, monkeypatch,
                                                                            capsys) -> None:
    new_file.draft.set_not_applicable("next_steps", "a spike")
    new_file.save()
    resumed = User([])
    _walk_checklist(resumed, monkeypatch, open_draft(new_file.path, schema), "next_steps", walk_all=False)
    assert resumed.asked == []
    kept = User([ENTER])  # Keep it not applicable (the default)
    _walk_checklist(kept, monkeypatch, open_draft(new_file.path, schema), "next_steps")
    assert "Now: Not applicable: a spike." in capsys.readouterr().out
    assert kept.asked[0].message == "Next Steps:"
    assert kept.asked[0].choices == ["Keep it not applicable", "Answer the items (it applies after all)",
                                     "Not applicable… (a new reason)"]
    assert len(kept.asked) == 1 and read_plain(new_file.path)["next_steps"] == {"not_applicable": "a spike"}
    items = schema.node("next_steps").children
    back = User(["2\r", "y", *["n"] * (len(items) - 1)])
    _walk_checklist(back, monkeypatch, open_draft(new_file.path, schema), "next_steps")
    assert [prompt.message for prompt in back.asked[1:]] == [f"{item.label}?" for item in items]
    assert read_plain(new_file.path)["next_steps"] == {item.key: number == 0 for number, item in enumerate(items)}
    again = User(["3\r", "moved to the platform team\r"])  # a new reason
    new_file = open_draft(new_file.path, schema)
    new_file.draft.set_not_applicable("next_steps", "a spike")
    new_file.save()
    _walk_checklist(again, monkeypatch, open_draft(new_file.path, schema), "next_steps")
    assert read_plain(new_file.path)["next_steps"] == {"not_applicable": "moved to the platform team"}
