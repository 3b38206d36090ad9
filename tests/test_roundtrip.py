"""The draft file round-trips: what the author wrote by hand survives every save."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest

from intwizard.cli.words import header_hint
from intwizard.core.draft import Draft
from intwizard.core.store import new_draft_file, open_draft

HAND_EDITED = Path(__file__).parent / "fixtures" / "hand_edited.yaml"
TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def hand_edited(tmp_path: Path) -> Path:
    path = tmp_path / "refunds.yaml"
    shutil.copy(HAND_EDITED, path)
    return path


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("fixture", ["hand_edited.yaml", "complete.yaml"])
def test_unmodified_draft_saves_byte_identical(tmp_path: Path, schema, fixture: str) -> None:
    path = tmp_path / fixture
    shutil.copy(Path(__file__).parent / "fixtures" / fixture, path)
    before = path.read_bytes()
    draft_file = open_draft(path, schema)
    assert draft_file.save(today=TODAY) is False
    assert path.read_bytes() == before
    assert not path.with_name(path.name + ".bak").exists()


def test_edit_and_undo_leaves_the_file_byte_identical(hand_edited: Path, schema) -> None:
    """Goes through the whole dump-and-merge path with a net change of nothing."""
    before = hand_edited.read_text()
    draft_file = open_draft(hand_edited, schema)
    draft_file.draft.set("meta.author", "Someone Else")
    draft_file.draft.set("meta.author", "Sam Lee")
    draft_file.draft.changed = True
    draft_file.save(today=dt.date(2026, 9, 2))  # the date already in the file
    assert hand_edited.read_text() == before


def test_one_edit_changes_only_that_value_and_last_updated(hand_edited: Path, schema) -> None:
    before = hand_edited.read_text()
    draft_file = open_draft(hand_edited, schema)
    draft_file.draft.set("external_system_integrations.0.api_endpoints.1.purpose", "Poll a refund")
    assert draft_file.save(today=TODAY)
    after = hand_edited.read_text()
    assert sorted(changed_lines(before, after)) == [
        "+        purpose: Poll a refund",
        "+    last_updated: 2026-11-28",
        "-        purpose: Check a refund",
        "-    last_updated: 2026-09-02",
    ]


def test_comments_quotes_flow_style_and_unknown_keys_survive_edits(hand_edited: Path, schema) -> None:
    draft_file = open_draft(hand_edited, schema)
    draft_file.draft.set("meta.author", "Sam Q. Lee")
    draft_file.draft.set("external_system_integrations.0.connection_details.rate_limits", "100/min")
    draft_file.save(today=TODAY)
    after = hand_edited.read_text()
    for kept in (
        "# Our payments spec. Ask #team-checkout before changing the SEV level.",
        'feature_name: "Refund Requests"      # the title on the exported page',
        "reviewers: [ana, bo]   # not in the template: kept as written",
        "# --- integrations -------------------------------------------",
        "    # one row per call",
        "endpoint: /refunds   # idempotent",
        "criticality:   HIGH",
        "team_notes: |\n    Free text that intwizard does not know about.\n    It stays.\n",
        "implement_integration_interfaces: yes",
    ):
        assert kept in after
    assert "author: 'Sam Q. Lee'" in after  # the author's single quotes are kept for the new value
    assert "rate_limits: 100/min}" in after


def test_multiline_text_is_written_as_a_literal_block(hand_edited: Path, schema) -> None:
    draft_file = open_draft(hand_edited, schema)
    draft_file.draft.set("overview.summary", "First line\nSecond line")
    draft_file.save(today=TODAY)
    assert "    summary: |-\n        First line\n        Second line\n" in hand_edited.read_text()


def test_setting_the_same_value_leaves_the_file_untouched(hand_edited: Path, schema) -> None:
    stat_before = hand_edited.stat()
    draft_file = open_draft(hand_edited, schema)
    assert draft_file.draft.set("meta.author", "Sam Lee") is False
    assert draft_file.save(today=TODAY) is False
    assert hand_edited.stat().st_mtime_ns == stat_before.st_mtime_ns
    assert hand_edited.read_bytes() == HAND_EDITED.read_bytes()


def test_adding_an_integration_follows_the_authors_indentation(hand_edited: Path, schema) -> None:
    draft_file = open_draft(hand_edited, schema)
    draft_file.draft.set("external_system_integrations.1.name", "Shipwise")
    draft_file.save(today=TODAY)
    after = hand_edited.read_text()
    assert "\n-   name: Shipwise\n    purpose: ''\n" in after
    assert open_draft(hand_edited, schema).draft.get("external_system_integrations.1.name") == "Shipwise"


def test_missing_keys_are_added_in_template_order(hand_edited: Path, schema) -> None:
    draft_file = open_draft(hand_edited, schema)
    draft_file.draft.set("integration_architecture.integration_categories.event_based", "Kafka")
    draft_file.save(today=TODAY)
    keys = list(open_draft(hand_edited, schema).draft.data)
    assert keys.index("overview") < keys.index("integration_architecture") < keys.index(
        "external_system_integrations")


def test_new_draft_has_every_section_dates_and_a_header(tmp_path: Path, schema) -> None:
    path = tmp_path / "new.yaml"
    draft = Draft.new(schema, today=TODAY, hint=header_hint("new.yaml"))
    new_draft_file(path, draft).save(today=TODAY)
    text = path.read_text()
    assert text.startswith("# Integration Points spec draft, written by intwizard.")
    assert "# Resume: intwizard resume new.yaml" in text
    assert "  created: 2026-11-28\n  last_updated: 2026-11-28\n" in text
    assert "&" not in text and "*id" not in text  # no YAML anchors or aliases
    reopened = open_draft(path, schema).draft
    assert [key for key in reopened.data] == ["intwizard"] + [s.key for s in schema.sections]
    assert reopened.data["intwizard"]["format"] == 1
    # Real defaults are there; the template's examples are not (they are offered, never filled in).
    assert reopened.get("meta.review_status") == "DRAFT"
    assert list(reopened.get("testing_strategy.test_environments")) == []
    assert list(reopened.get("data_integration_patterns.synchronous_integration.advantages")) == []
    assert reopened.get("performance_and_scalability.monitoring_and_alerting") == ""


def test_removing_and_moving_rows_keeps_other_rows_comments(hand_edited: Path, schema) -> None:
    draft_file = open_draft(hand_edited, schema)
    path = "external_system_integrations.0.api_endpoints"
    draft_file.draft.append_item(path)
    draft_file.draft.set(f"{path}.2.method", "DELETE")
    assert draft_file.draft.move_item(path, 2, -1) == 1
    draft_file.draft.remove_item(path, 1)
    draft_file.save(today=TODAY)
    after = hand_edited.read_text()
    assert "endpoint: /refunds   # idempotent" in after
    assert "DELETE" not in after
    assert [row["method"] for row in open_draft(hand_edited, schema).draft.get(path)] == ["POST", "GET"]


def test_replacing_an_empty_quoted_value_writes_it_plain(tmp_path: Path, schema) -> None:
    """`''` is YAML's way to write nothing, not a quoting style to keep for the new value."""
    path = tmp_path / "new.yaml"
    new_draft_file(path, Draft.new(schema, today=TODAY)).save(today=TODAY)
    assert "  author: ''\n" in path.read_text()
    draft_file = open_draft(path, schema)
    draft_file.draft.set("meta.author", "Ada")
    draft_file.save(today=TODAY)
    assert "  author: Ada\n" in path.read_text()


def test_a_baseline_taken_at_open_gives_the_same_save(hand_edited: Path, tmp_path: Path, schema) -> None:
    other = tmp_path / "other.yaml"
    shutil.copy(hand_edited, other)
    for path, baseline in ((hand_edited, False), (other, True)):
        draft_file = open_draft(path, schema, baseline=baseline)
        draft_file.draft.set("external_system_integrations.0.api_endpoints.1.purpose", "Poll a refund")
        draft_file.save(today=TODAY)
    assert hand_edited.read_bytes() == other.read_bytes()
