"""The span editor on the cases people hit: only the edited node's text changes."""

from __future__ import annotations

import datetime as dt

import pytest

from intwizard.core.spanedit import Edit, Unplaceable, apply_edits, rewrite
from intwizard.core.yamlio import load_plain_text


def test_a_set_keeps_each_lines_own_ending_and_the_alignment() -> None:
    text = "a:     1\r\nname:  old   # why\nlong:  'x'\r\nblock: |\r\n  one\n  two\r\nlast:  3\r"
    result = apply_edits(text, [Edit("set", ("name",), "new"), Edit("set", ("long",), "y")])
    assert result == "a:     1\r\nname:  new   # why\nlong:  'y'\r\nblock: |\r\n  one\n  two\r\nlast:  3\r"


def test_cr_only_file_stays_cr_only_and_new_lines_take_their_neighbours_ending() -> None:
    text = "a: 1\rb:\r  c: 2\r"
    result = apply_edits(text, [Edit("set", ("b", "d"), "two\nlines"), Edit("set", ("e",), [1, 2])])
    assert "\n" not in result
    assert load_plain_text(result) == {"a": 1, "b": {"c": 2, "d": "two\nlines"}, "e": [1, 2]}
    assert result.startswith("a: 1\rb:\r  c: 2\r  d: |-\r    two\r    lines\r")


def test_a_new_key_goes_after_the_key_before_it_at_its_siblings_indentation() -> None:
    text = "top:\n    a: 1\n    # about c\n    c: 3\n"
    old = load_plain_text(text)
    new = {"top": {"a": 1, "b": 2, "c": 3}}
    assert rewrite(text, old, new) == "top:\n    a: 1\n    b: 2\n    # about c\n    c: 3\n"


def test_rows_inserted_deleted_and_moved_keep_the_other_rows_and_their_comments() -> None:
    text = ("rows:\n"
            "- {m: GET, p: /a}   # first\n"
            "# the second\n"
            "- {m: PUT, p: /b}\n"
            "- {m: DEL, p: /c}\n")
    result = apply_edits(text, [Edit("move", ("rows", 2), to=0), Edit("insert", ("rows", 3), {"m": "NEW", "p": "/d"}),
                                Edit("delete", ("rows", 1))])
    assert result == ("rows:\n"
                      "- {m: DEL, p: /c}\n"
                      "# the second\n"
                      "- {m: PUT, p: /b}\n"
                      "- {m: NEW, p: /d}\n")


def test_an_integration_added_to_a_block_list_matches_its_neighbours() -> None:
    text = "items:\n  - name: A   # keep\n    url: x\n"
    result = apply_edits(text, [Edit("insert", ("items", 1), {"name": "B", "url": "y", "tags": ["t"]})])
    assert result == "items:\n  - name: A   # keep\n    url: x\n  - name: B\n    url: y\n    tags:\n      - t\n"


def test_scalars_keep_their_quotes_and_a_comment_survives_a_block_coming_in() -> None:
    text = "a: 'one'\nb: \"two\"\nc: ''   # note\n"
    result = apply_edits(text, [Edit("set", ("a",), "uno"), Edit("set", ("b",), "dos"),
                                Edit("set", ("c",), "line one\nline two")])
    assert result == "a: 'uno'\nb: \"dos\"\nc: |-   # note\n  line one\n  line two\n"


def test_dates_and_types_read_back_as_written() -> None:
    text = "updated: 2024-01-01\nflag: false\n"
    result = apply_edits(text, [Edit("set", ("updated",), dt.date(2026, 12, 1)), Edit("set", ("flag",), "true")])
    assert load_plain_text(result) == {"updated": dt.date(2026, 12, 1), "flag": "true"}


@pytest.mark.parametrize("text, edit", [
    ("a: &x 1\nb: *x\n", Edit("set", ("a",), 2)),
    ("base: &b {k: 1}\nuse:\n  <<: *b\n  j: 2\n", Edit("set", ("use", "j"), 3)),
])
def test_anchors_aliases_and_merge_keys_are_left_to_the_whole_document_path(text: str, edit: Edit) -> None:
    with pytest.raises(Unplaceable):
        apply_edits(text, [edit])


def test_an_edit_elsewhere_in_a_file_with_anchors_is_still_placed() -> None:
    text = "a: &x 1\nb: *x\nc: old\n"
    assert apply_edits(text, [Edit("set", ("c",), "new")]) == "a: &x 1\nb: *x\nc: new\n"


@pytest.mark.parametrize("value", [
    "2026-12-02", "0001-01-01", "9999-12-31", "2024-02-29", "2023-02-29", "2026-13-01", "2026-00-10", "0000-01-01",
    "\uff12\uff10\uff12\uff16-01-01", "2026-1-01", "2026-01-1", "2026-01-01x", "1234-56-78", "2026-12-02T10:00:00",
    "2026-12-02 10:00:00Z", "20261202", "2026-12-0\u0663",
])
def test_plain_dates_read_as_ruamels_safe_loader_reads_them(value: str) -> None:
    from ruamel.yaml import YAML

    from intwizard.core.spanedit import parse

    text = f"v: {value}\n"
    try:
        expected = YAML(typ="safe", pure=True).load(text)["v"]
    except Exception:  # refused (no such day): the fast reader leaves it to ruamel too
        with pytest.raises(Unplaceable):
            parse(text)
        return
    read = parse(text)[1]["v"]
    assert (type(read), read) == (type(expected), expected)
