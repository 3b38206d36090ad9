"""Resuming with the plain prompts: only unanswered questions (every kind), or --all with defaults."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_prompts_driver import CLEAR, ENTER, FINISH, Prompt, User, copy_fixture, run

from intwizard.core.store import open_draft, read_plain
from intwizard.core.values import as_text
from intwizard.errors import ConflictError

BLANKED = {
    "meta.author": "",
    "overview.summary": "",
    "external_system_integrations.0.type": "",
    "external_system_integrations.1.connection_details.base_url": "",
    "data_integration_patterns.synchronous_integration.advantages": [],
    "message_formats_and_protocols.message_structure": "",
    "validation_checklist.review_and_approval.security_review.name": "",
    "validation_checklist.review_and_approval.security_review.date": "",
    "validation_checklist.review_and_approval.security_review.decision": "",
}


@pytest.fixture
def gappy(schema, complete_yaml: Path, tmp_path: Path) -> Path:
    """The complete fixture with one question of every kind left unanswered."""
    path = copy_fixture(complete_yaml, tmp_path / "gappy.yaml")
    draft_file = open_draft(path, schema)
    for key, value in BLANKED.items():
        draft_file.draft.set_value(key, value)
    draft_file.save()
    return path


def test_resume_asks_only_the_unanswered_questions_of_every_kind(gappy, schema, monkeypatch, capsys):
    before = read_plain(gappy)
    other = len(schema.node("external_system_integrations.type").options) + 1
    user = User([
        "Ada\r",                                   # Author (line)
        "Splits payments.\rTwo methods." + FINISH,  # Summary (multi-line text)
        f"{other}\r", "gRPC\r",                    # Type: Other… then the free text
        "not a url\r", CLEAR + "https://ship.example/v1\r",  # Base URL: refused, explained, asked again
        "n",                                       # Add another external integration?
        "n",                                       # Add another internal integration?
        "- Fast\rSimple\r\r" + FINISH,             # Advantages (list, one per line; bullets dropped)
        '{"a": }' + FINISH, CLEAR + '{"a": 1}' + FINISH,  # Message Structure (JSON code): refused, fixed
        "y",                                       # checklist: Security considerations addressed
        "Grace\r", "2026-02-30\r", CLEAR + "2026-02-28\r", "2\r",  # sign-off: name, bad date, date, Rejected
        "y", "n", "y", "n",                        # Next Steps items left unticked
    ])
    status = run(open_draft(gappy, schema), user, monkeypatch)

    assert status == 0
    assert user.messages() == [
        "Author", "Summary", "Type", "Type (your own)", "Base URL", "Base URL",
        "Add another integration to External System Integrations?",
        "Add another integration to Internal System Integrations?",
        "Advantages, one per line", "Message Structure", "Message Structure",
        "Security considerations addressed?",
        "Security Review: Name", "Security Review: Date", "Security Review: Date", "Security Review: Decision",
        "Set up monitoring and alerting?", "Create integration tests?", "Document operational procedures?",
        "Validate performance and security?",
    ]
    assert [prompt.kind for prompt in user.asked[:4]] == ["text", "multiline", "select", "text"]
    assert user.asked[5].default == "not a url"  # the bad answer comes back to be fixed
    after = read_plain(gappy)
    expected = before
    expected["meta"]["author"] = "Ada"
    expected["overview"]["summary"] = "Splits payments.\nTwo methods."
    expected["external_system_integrations"][0]["type"] = "gRPC"
    expected["external_system_integrations"][1]["connection_details"]["base_url"] = "https://ship.example/v1"
    expected["data_integration_patterns"]["synchronous_integration"]["advantages"] = ["Fast", "Simple"]
    expected["message_formats_and_protocols"]["message_structure"] = '{"a": 1}'
    expected["validation_checklist"]["integration_completeness"]["security_considerations_addressed"] = True
    expected["validation_checklist"]["review_and_approval"]["security_review"] = {
        "name": "Grace", "date": dt.date(2026, 2, 28), "decision": "Rejected"}
    expected["next_steps"].update(set_up_monitoring_and_alerting=True, document_operational_procedures=True)
    expected["meta"]["last_updated"] = after["meta"]["last_updated"]
    # A sign-off made here records what it signed (signoffs.py): one entry, for that role only.
    expected["intwizard"]["signoffs"] = {"security_review": after["intwizard"]["signoffs"]["security_review"]}
    assert after == expected
    out = capsys.readouterr().out
    assert "✗ a URL has no spaces" in out
    assert "✗ invalid JSON at line 1" in out
    assert "is not a date" in out
    assert "## Integration Architecture" not in out  # nothing to ask there: no heading either
    assert "## Overview (2 of" in out
    assert "Your draft:" in out


def test_resume_with_nothing_left_only_offers_more_integrations(schema, complete_yaml, tmp_path, monkeypatch,
                                                                  capsys):
    path = copy_fixture(complete_yaml, tmp_path / "done.yaml")
    draft_file = open_draft(path, schema)
    for item in schema.node("next_steps").children:
        draft_file.draft.set_value(f"next_steps.{item.key}", True)
    draft_file.draft.set_value("validation_checklist.integration_completeness.security_considerations_addressed",
                               True)
    draft_file.save()
    text = path.read_text()
    user = User(["n", "n"])

    assert run(open_draft(path, schema), user, monkeypatch) == 0
    assert [prompt.kind for prompt in user.asked] == ["confirm", "confirm"]
    assert all(prompt.default is False for prompt in user.asked)
    assert path.read_text() == text  # nothing answered: not even the date of the last update moves


@pytest.mark.slow
def test_all_asks_everything_with_the_current_answers_as_defaults(schema, complete_yaml, tmp_path, monkeypatch):
    path = copy_fixture(complete_yaml, tmp_path / "all.yaml")
    text = path.read_text()
    data = read_plain(path)

    def accept_everything(prompt: Prompt) -> str:
        return FINISH if prompt.kind == "multiline" else ENTER

    user = User(accept_everything)
    assert run(open_draft(path, schema), user, monkeypatch, walk_all=True) == 0

    assert path.read_text() == text  # every default accepted: the file is untouched
    by_message: dict[str, list] = {}
    for prompt in user.asked:
        by_message.setdefault(prompt.message, []).append(prompt.default)
    assert by_message["Feature Name"] == [data["meta"]["feature_name"]]
    assert by_message["Summary"] == [data["overview"]["summary"]]
    assert by_message["SEV Level"] == [data["meta"]["sev_level"]]
    assert by_message["Base URL"] == [item["connection_details"]["base_url"]
                                      for item in data["external_system_integrations"]]
    assert by_message["Security Review: Date"] == [
        as_text(data["validation_checklist"]["review_and_approval"]["security_review"]["date"])]
    assert by_message["Advantages, one per line"][0] == "\n".join(
        data["data_integration_patterns"]["synchronous_integration"]["advantages"])
    checks = data["next_steps"]
    assert [by_message[f"{item.label}?"][0] for item in schema.node("next_steps").children] == list(checks.values())
    tables = [node.label for node in schema.walk() if node.kind == "table"]
    for label in tables:
        assert f"{label}: what next?" in by_message, label
    assert len(user.asked) > 150


def test_a_file_changed_on_disk_meanwhile_is_overwritten_only_when_asked(gappy, schema, monkeypatch):
    draft_file = open_draft(gappy, schema)
    user = User(["Ada\r", "Sum." + FINISH, "y"])

    def edit_behind_our_back(prompt: Prompt) -> None:
        if prompt.message == "Summary":
            with gappy.open("a") as handle:
                handle.write("# added in an editor\n")

    user.on_prompt = edit_behind_our_back
    status = run(draft_file, user, monkeypatch)

    assert status == 130  # the script ran out after the overwrite
    assert user.asked[2].kind == "confirm" and "changed on disk" not in user.asked[2].message
    assert "Overwrite it with your answers" in user.asked[2].message
    assert read_plain(gappy)["overview"]["summary"] == "Sum."
    assert "# added in an editor" in (gappy.parent / "gappy.yaml.bak").read_text()


def test_refusing_to_overwrite_stops_with_the_conflict(gappy, schema, monkeypatch):
    user = User(["Ada\r", "Sum." + FINISH, "n"])

    def edit_behind_our_back(prompt: Prompt) -> None:
        if prompt.message == "Summary":
            with gappy.open("a") as handle:
                handle.write("# mine\n")

    user.on_prompt = edit_behind_our_back

    with pytest.raises(ConflictError):
        run(open_draft(gappy, schema), user, monkeypatch)
    assert gappy.read_text().endswith("# mine\n")  # the other edit is kept as it is
    assert read_plain(gappy)["meta"]["author"] == "Ada"  # the answer before the conflict was saved


def test_parts_shaped_unlike_the_template_are_skipped_not_overwritten(schema, complete_yaml, tmp_path,
                                                                       monkeypatch, capsys):
    text = complete_yaml.read_text()
    start, end = text.index("\noverview:"), text.index("\nintegration_architecture:")
    text = text[:start] + "\noverview: see the wiki" + text[end:]
    role = "    operations_team:\n      name: Lena Fischer\n      date: 2026-11-20\n      decision: Approved\n"
    assert role in text
    text = text.replace(role, "    operations_team: Lena, on 2026-11-20\n")
    path = tmp_path / "odd.yaml"
    path.write_text(text.replace("  author: Priya Raman\n", "  author: ''\n"))
    user = User(["Ada\r", "n", "n", "y", "n", "n", "n", "n"])

    assert run(open_draft(path, schema), user, monkeypatch, walk_all=False) == 0
    after = path.read_text()
    assert "\noverview: see the wiki\n" in after
    assert "    operations_team: Lena, on 2026-11-20\n" in after
    assert read_plain(path)["meta"]["author"] == "Ada"
    out = " ".join(capsys.readouterr().out.split())  # the messages are wrapped to the terminal
    assert "✗ Overview: expected a mapping, found a str in the file; skipped (fix it by hand: overview)." in out
    assert "✗ Operations Team: expected a mapping, found a str in the file; skipped" in out


def test_the_end_summary_lists_the_same_findings_as_check(gappy, schema, monkeypatch, capsys):
    from intwizard.core.checks import findings

    def skip_everything(prompt: Prompt) -> str:
        if prompt.kind == "select":
            return f"{len(prompt.choices)}\r"  # the last choice: skip
        return {"multiline": FINISH, "confirm": "n"}.get(prompt.kind, ENTER)

    assert run(open_draft(gappy, schema), User(skip_everything), monkeypatch) == 0

    found = findings(schema, read_plain(gappy))
    errors = [f for f in found if f.blocking]
    assert errors  # the blanked required answers are still missing
    out = " ".join(capsys.readouterr().out.split())
    assert f"Still to do: {len(errors)} to fix, {len(found) - len(errors)} to look at:" in out
    for finding in found:
        assert f"{'✗' if finding.blocking else '!'} {finding.message} ({finding.path})" in out
    assert f"Check it again: intwizard check {gappy}" in out
    assert f"Fill in what is missing: intwizard resume --plain {gappy}" in out


# Built by concatenation so secret scanners on this repository do not flag the test itself.
STRIPE_KEY = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"


@pytest.mark.parametrize("keep", [False, True], ids=["refused", "kept"])
def test_an_answer_that_looks_like_a_credential_is_warned_about(gappy, schema, monkeypatch, capsys, keep):
    user = User([f"Key {STRIPE_KEY}\r", "y" if keep else "n", *([] if keep else ["Ada\r"])])
    run(open_draft(gappy, schema), user, monkeypatch)

    assert [prompt.message for prompt in user.asked[:2]] == ["Author", "Keep it anyway?"]
    assert user.asked[1].default is False
    out = capsys.readouterr().out
    assert "! That looks like a Stripe Access Key (sk_l" in out
    assert STRIPE_KEY not in out  # masked
    if keep:
        assert read_plain(gappy)["meta"]["author"] == f"Key {STRIPE_KEY}"
    else:
        assert user.asked[2].message == "Author" and user.asked[2].default == ""
        assert read_plain(gappy)["meta"]["author"] == "Ada"


def test_a_failed_save_is_explained_and_tried_again(gappy, schema, monkeypatch, capsys):
    import intwizard.core.store as store

    real_write = store.atomic_write
    failures = iter([True])

    def flaky_write(path, data, *, backup=True):
        if next(failures, False):
            raise store.SaveError("cannot save: No space left on device; the file on disk is unchanged", path=path)
        return real_write(path, data, backup=backup)

    monkeypatch.setattr(store, "atomic_write", flaky_write)
    user = User(["Ada\r", ENTER])  # Try saving again? yes (the default)

    assert run(open_draft(gappy, schema), user, monkeypatch) == 130
    assert user.asked[1].message == "Try saving again?" and user.asked[1].default is True
    assert read_plain(gappy)["meta"]["author"] == "Ada"
    assert "No space left on device" in capsys.readouterr().out
