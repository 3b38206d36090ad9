"""``open_draft(comments=False)``: the wizard's quick read. Its tree holds the same data as a
round-trip read, it is never saved from, and whatever the two readers could see differently
(errors, anchors shared between places, merge keys) is read round-trip instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from intwizard.core.store import open_draft
from intwizard.core.yamlio import to_plain
from intwizard.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", ["complete.yaml", "hand_edited.yaml"])
def test_the_quick_read_holds_what_the_round_trip_read_holds(name: str, schema) -> None:
    quick = open_draft(FIXTURES / name, schema, comments=False)
    full = open_draft(FIXTURES / name, schema)
    assert quick.view_only and not full.view_only
    assert to_plain(quick.draft.data) == to_plain(full.draft.data)
    assert quick.source == full.source and quick.indent == full.indent
    assert quick.plain == to_plain(full.draft.data)  # what the wizard's checks and preview start from
    # The same edits through the core's methods leave both trees equal too.
    for draft in (quick.draft, full.draft):
        draft.set("meta.author", "Kim Park")
        draft.set_value("overview.summary", "Two\nlines")
        draft.append_item("external_system_integrations")
        draft.move_item("external_system_integrations", 0, 1)
    assert to_plain(quick.draft.data) == to_plain(full.draft.data)


def test_a_quick_read_is_never_saved_from(tmp_path: Path, schema) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes((FIXTURES / "hand_edited.yaml").read_bytes())
    quick = open_draft(path, schema, comments=False)
    quick.draft.set("meta.author", "Kim")
    with pytest.raises(RuntimeError):
        quick.save()  # its tree has no comments: saving it would drop the author's
    assert path.read_bytes() == (FIXTURES / "hand_edited.yaml").read_bytes()


SHARED = """\
meta:
  feature_name: Shared
external_system_integrations:
- name: A
  connection_details: &details
    base_url: https://a.example
- name: B
  connection_details: *details
"""

MERGED = """\
meta:
  feature_name: Merged
defaults: &defaults
  author: Kim
extra:
  <<: *defaults
  review: soon
"""


@pytest.mark.parametrize("text", [SHARED, MERGED], ids=["shared-anchor", "merge-key"])
def test_files_the_readers_could_see_differently_are_read_round_trip(tmp_path: Path, schema, text: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    opened = open_draft(path, schema, comments=False)
    assert not opened.view_only
    assert to_plain(opened.draft.data) == to_plain(open_draft(path, schema).draft.data)


@pytest.mark.parametrize("text", [
    "meta:\n  feature_name: [unclosed\n",
    "meta:\n\tfeature_name: tab\n",
    "meta:\n  author: a\n  author: b\n",
    "- a list\n",
    "",
    "a: !!python/object/apply:os.system [echo hi]\n",
])
def test_a_bad_file_gets_the_round_trip_readers_message(tmp_path: Path, schema, text: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as quick:
        open_draft(path, schema, comments=False)
    with pytest.raises(InputError) as full:
        open_draft(path, schema)
    assert str(quick.value) == str(full.value)
    assert path.read_text() == text


def test_an_upgraded_draft_has_no_plain_copy(tmp_path: Path) -> None:
    import shutil

    from intwizard.core.schema import builtin_template_dir, load_schema

    migration = FIXTURES / "migration"
    template = tmp_path / "template"
    shutil.copytree(builtin_template_dir(), template)
    shutil.copy(migration / "migrations.yaml", template)
    opened = open_draft(migration / "draft-v0.yaml", load_schema(template), comments=False)
    assert opened.view_only and opened.upgrade.changed
    assert opened.plain is None  # the tree moved on from what was read
