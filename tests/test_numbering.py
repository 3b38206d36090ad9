"""Entries of a group are numbered one way everywhere: the 27th lettered entry is "AA" in the export,
the wizard and the plain prompts alike (one function, :func:`intwizard.core.schema.ordinal`)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from test_prompts_driver import User, run_part
from test_tui_support import TODAY, opened, wizard
from textual.widgets import OptionList, Static

from intwizard.cli.words import header_hint
from intwizard.core.draft import Draft, group_item
from intwizard.core.render import render
from intwizard.core.schema import load_schema
from intwizard.core.store import DraftFile, new_draft_file, open_draft

GROUP = "internal_system_integrations"  # numbered A, B, C ... in the template


def many_entries(path: Path, count: int = 27) -> DraftFile:
    """A draft whose lettered group has ``count`` entries, named svc-1 ... svc-<count>."""
    schema = load_schema()
    draft = Draft.new(schema, today=TODAY)
    draft.set_header(header_hint(path.name))
    node = schema.node(GROUP)
    for number in range(1, count + 1):
        index = draft.append_item(GROUP, group_item(node))
        draft.set(f"{GROUP}.{index}.name", f"svc-{number}")
    draft_file = new_draft_file(path, draft)
    draft_file.save(today=TODAY)
    return draft_file


def test_the_group_is_lettered_and_ordinal_goes_past_z() -> None:
    from intwizard.core.schema import ordinal

    assert load_schema().node(GROUP).numbering == "alpha"
    assert [ordinal(n, "alpha") for n in (1, 26, 27, 28, 52, 53, 702, 703)] == \
        ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
    assert ordinal(27) == "27"


def test_export_numbers_the_27th_entry_aa(tmp_path: Path) -> None:
    many_entries(tmp_path / "d.yaml")
    data = open_draft(tmp_path / "d.yaml", load_schema()).draft.plain()
    text = render(load_schema(), data)
    assert "### Integration Z: svc-26" in text
    assert "### Integration AA: svc-27" in text


def test_prompts_number_the_27th_entry_aa(tmp_path: Path, monkeypatch, capsys) -> None:
    draft_file = many_entries(tmp_path / "d.yaml")
    node = load_schema().node(GROUP)
    asked: list[str] = []

    def stop_at_first_question(walk) -> None:
        def first_question(prompt) -> None:
            asked.append(prompt.message)
            raise _Stop  # the heading is printed before the first question under it

        user.on_prompt = first_question
        with contextlib.suppress(_Stop):
            walk.group_item(node, GROUP, 26)

    user = User([])
    run_part(user, monkeypatch, stop_at_first_question, draft_file)

    assert asked, "the walk asked nothing about the 27th entry"
    out = capsys.readouterr().out
    assert "### Internal System Integrations: Integration AA (svc-27)" in out.splitlines()


class _Stop(Exception):
    pass


async def test_wizard_numbers_the_27th_entry_aa(tmp_path: Path) -> None:
    many_entries(tmp_path / "d.yaml")
    app = wizard(opened(tmp_path / "d.yaml"), section=GROUP)
    async with app.run_test(size=(120, 40)) as pilot:
        entries = app.screen.query_one("#group-entries", OptionList)
        assert entries.option_count == 27
        assert str(entries.get_option_at_index(25).prompt) == "Integration Z: svc-26"
        assert str(entries.get_option_at_index(26).prompt) == "Integration AA: svc-27"
        entries.focus()
        entries.highlighted = 26
        await pilot.press("enter")
        await pilot.pause()
        heading = app.screen.query_one(".entry-heading", Static)
        assert str(heading.render()) == "Integration AA: svc-27"
