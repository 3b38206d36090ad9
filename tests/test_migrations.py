"""Drafts made with an older template version: upgraded in memory, written in the new format only on save.

The test template is the built-in one (version 1) with ``fixtures/migration/migrations.yaml`` beside
it: a made-up version 0 that named a few keys differently (``fixtures/migration/draft-v0.yaml``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import run

from intwizard.core.checks import findings
from intwizard.core.migrations import MigrationError, load_steps, upgrade, upgrade_draft
from intwizard.core.schema import builtin_template_dir, load_schema
from intwizard.core.store import open_draft, read_plain
from intwizard.core.yamlio import to_plain

MIGRATION = Path(__file__).parent / "fixtures" / "migration"


@pytest.fixture
def template(tmp_path: Path) -> Path:
    folder = tmp_path / "template"
    shutil.copytree(builtin_template_dir(), folder)
    shutil.copy(MIGRATION / "migrations.yaml", folder)
    return folder


@pytest.fixture
def old_draft(tmp_path: Path) -> Path:
    path = tmp_path / "old.yaml"
    shutil.copy(MIGRATION / "draft-v0.yaml", path)
    return path


def test_upgrade_renames_and_moves_keys_with_their_comments(template: Path, old_draft: Path) -> None:
    schema = load_schema(template)
    before = old_draft.read_bytes()
    draft_file = open_draft(old_draft, schema)  # opening upgrades in memory
    result = draft_file.upgrade
    assert (result.from_version, result.to_version) == (0, 1)
    assert result.notes[0] == "meta.severity -> meta.sev_level"
    assert draft_file.draft.changed
    assert old_draft.read_bytes() == before  # nothing written yet

    draft = draft_file.draft
    assert draft.get("meta.sev_level") == "SEV-2"
    assert list(draft.data["meta"]) == ["feature_name", "author", "sev_level", "review_status"]  # same place
    assert draft.get("external_system_integrations.0.connection_details.base_url") == "https://api.paylane.example/v2"
    assert draft.get("external_system_integrations.0.connection_details.authentication") == "OAuth 2.0"
    assert draft.get("external_system_integrations.1.connection_details.base_url") == "https://rates.shipwise.example"
    # The emptied old parent is gone, and the new one sits where the template puts it.
    assert list(draft.data["external_system_integrations"][0]) == ["name", "purpose", "connection_details"]
    assert draft.get("integration_security.authentication_and_authorization.0.integration") == "Paylane"
    assert draft.data["intwizard"]["template_version"] == 1


def test_saving_writes_the_new_format_keeping_comments(template: Path, old_draft: Path) -> None:
    draft_file = open_draft(old_draft, load_schema(template))
    assert draft_file.save()
    text = old_draft.read_text(encoding="utf-8")
    assert "  sev_level: SEV-2  # agreed with the incident team\n" in text
    assert "      base_url: https://api.paylane.example/v2 # production\n" in text
    assert "  # one row per integration\n  authentication_and_authorization:\n" in text
    assert "template_version: 1\n" in text
    assert "severity" not in text and "connection:" not in text and "  auth:" not in text
    assert text.startswith("# A draft written by a version 0 template")
    assert old_draft.with_name("old.yaml.bak").read_text(encoding="utf-8") == (
        MIGRATION / "draft-v0.yaml").read_text(encoding="utf-8")
    # Read back, the draft is current: nothing more to do, and no unknown keys left.
    again = open_draft(old_draft, load_schema(template))
    assert not again.upgrade.changed
    assert not upgrade_draft(again.draft).changed  # and upgrading twice changes nothing
    assert not [f for f in findings(again.draft.schema, again.draft.plain()) if f.rule == "unknown-key"]


def test_plain_and_roundtrip_data_upgrade_the_same(template: Path, old_draft: Path) -> None:
    schema = load_schema(template)
    plain = read_plain(old_draft)
    upgrade(plain, schema)
    draft_file = open_draft(old_draft, schema)
    upgrade(draft_file.draft.data, schema)
    assert plain == to_plain(draft_file.draft.data)


def test_read_only_commands_see_the_upgraded_draft_and_write_nothing(template: Path, old_draft: Path) -> None:
    before = old_draft.read_bytes()
    got = run("get", old_draft, "meta.sev_level", "--template", template)
    assert got.stdout == "SEV-2\n"
    assert "upgraded to 1 in memory" in got.stderr and "meta.severity -> meta.sev_level" in got.stderr
    exported = run("export", old_draft, "-o", "-", "--template", template)
    assert "**SEV Level**: SEV-2" in exported.stdout
    assert "`https://api.paylane.example/v2`" in exported.stdout
    checked = run("check", old_draft, "--template", template)
    assert "unknown key" not in checked.stdout
    assert old_draft.read_bytes() == before


def test_set_writes_the_upgraded_draft(template: Path, old_draft: Path) -> None:
    result = run("set", old_draft, "meta.author=Ada Lovelace", "--template", template)
    assert result.exit_code == 0, result.output
    text = old_draft.read_text(encoding="utf-8")
    assert "author: Ada Lovelace" in text and "sev_level: SEV-2" in text and "severity" not in text


def test_an_answer_under_both_names_is_never_overwritten(template: Path, old_draft: Path) -> None:
    text = old_draft.read_text(encoding="utf-8").replace("  review_status: DRAFT\n",
                                                         "  review_status: DRAFT\n  sev_level: SEV-4\n")
    old_draft.write_text(text, encoding="utf-8")
    schema = load_schema(template)
    data = read_plain(old_draft)
    result = upgrade(data, schema)
    assert data["meta"]["sev_level"] == "SEV-4" and data["meta"]["severity"] == "SEV-2"
    assert "meta.severity -> meta.sev_level" not in result.notes
    assert [f.path for f in findings(schema, data) if f.rule == "unknown-key"] == ["meta.severity"]


def test_a_move_never_replaces_a_value_in_its_way(template: Path, old_draft: Path) -> None:
    data = read_plain(old_draft)
    data["external_system_integrations"][0]["connection_details"] = "see the wiki"
    upgrade(data, load_schema(template))
    entry = data["external_system_integrations"][0]
    assert entry["connection_details"] == "see the wiki"
    assert entry["connection"] == {"url": "https://api.paylane.example/v2", "auth": "OAuth 2.0"}
    # The other integration had nothing in the way.
    assert data["external_system_integrations"][1]["connection_details"] == {"base_url": "https://rates.shipwise.example"}


def test_a_missing_step_is_a_warning(template: Path, old_draft: Path) -> None:
    schema_file = template / "schema.yaml"
    schema_file.write_text(schema_file.read_text(encoding="utf-8").replace("version: 1\n", "version: 2\n", 1),
                           encoding="utf-8")
    data = read_plain(old_draft)
    result = upgrade(data, load_schema(template))
    assert result.to_version == 1  # the one step there still runs
    assert result.warnings == ["made with template version 1; there is no upgrade from it to 2, so it is read as it is"]
    assert data["meta"]["sev_level"] == "SEV-2"


def test_drafts_without_a_record_or_current_are_left_alone(template: Path, old_draft: Path) -> None:
    schema = load_schema(template)
    data = read_plain(old_draft)
    del data["intwizard"]
    snapshot = repr(data)
    assert not upgrade(data, schema).changed and repr(data) == snapshot
    current = read_plain(Path(__file__).parent / "fixtures" / "complete.yaml")
    snapshot = repr(current)
    result = upgrade(current, schema)
    assert not result.changed and not result.warnings and repr(current) == snapshot


def test_the_builtin_template_has_no_steps_yet() -> None:
    assert load_steps(builtin_template_dir()) == {}


@pytest.mark.parametrize(("content", "message", "line"), [
    ("- from: 0\n", "expected a mapping with a 'steps' list", 1),
    ("steps:\n  - move: []\n", "each step needs 'from: <version number>'", 2),
    ("steps:\n  - from: 0\n    move:\n      - {from: a.*.b, to: c.*.d}\n", "share everything up to", 4),
    ("steps:\n  - from: 0\n    move:\n      - {from: a.b}\n", "each move is {from: PATH, to: PATH}", 4),
    ("steps:\n  - from: 0\n  - from: 0\n", "two steps from version 0", 3),
])
def test_a_malformed_migrations_file_names_file_and_line(template: Path, content: str, message: str,
                                                         line: int) -> None:
    (template / "migrations.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(MigrationError) as caught:
        load_steps(template)
    assert message in caught.value.message
    assert caught.value.line == line
    assert caught.value.path == template / "migrations.yaml"


def test_a_malformed_migrations_file_through_the_cli(template: Path, old_draft: Path) -> None:
    (template / "migrations.yaml").write_text("steps:\n  - from: zero\n", encoding="utf-8")
    result = run("check", old_draft, "--template", template)
    assert result.exit_code == 2
    assert f"{template / 'migrations.yaml'}:2: each step needs" in result.stderr


def test_template_copy_carries_the_migrations(template: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    assert run("template", "copy", copy, "--template", template).exit_code == 0
    assert (copy / "migrations.yaml").read_bytes() == (template / "migrations.yaml").read_bytes()


def test_upgrade_never_crashes_on_odd_shapes(template: Path) -> None:
    """Any part of the old draft replaced by anything: upgraded without a crash, and no answer lost."""
    import copy
    from collections import Counter

    from hypothesis import given, settings
    from hypothesis import strategies as st

    schema = load_schema(template)
    original = read_plain(MIGRATION / "draft-v0.yaml")

    def paths(value: object, prefix: tuple = ()) -> list[tuple]:
        found = [prefix] if prefix else []
        if isinstance(value, dict):
            for key, item in value.items():
                found += paths(item, (*prefix, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                found += paths(item, (*prefix, index))
        return found

    leaves = st.one_of(st.none(), st.integers(), st.text(max_size=5))
    keys = st.sampled_from(["severity", "sev_level", "connection", "url", "auth", "connection_details", "x"])
    shapes = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                           st.dictionaries(keys, inner, max_size=4)), max_leaves=12)
    candidates = [path for path in paths(original) if path[0] != "intwizard"]

    def answers(value: object) -> Counter:
        if isinstance(value, dict):
            return sum((answers(item) for key, item in value.items() if key != "intwizard"), Counter())
        if isinstance(value, list):
            return sum((answers(item) for item in value), Counter())
        return Counter() if value in (None, "") else Counter([repr(value)])

    @settings(max_examples=300, deadline=None)
    @given(st.sampled_from(candidates), shapes)
    def upgrades(path: tuple, value: object) -> None:
        data = copy.deepcopy(original)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = value
        before = answers(data)
        result = upgrade(data, schema)
        assert result.to_version == 1 and data["intwizard"]["template_version"] == 1
        assert answers(data) == before

    upgrades()
