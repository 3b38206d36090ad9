"""The wizard's answers that are not typed: f4 "not applicable" (a reason asked), f5 "use the example",
and the template's example shown greyed out in an empty field."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import editor, focus, new_file, wait_for, wizard
from textual.widgets import Button, Input, Static, TextArea

from intwizard.tui.fields import field_id

PCI = "integration_security.compliance_requirements.pci_dss"
MONITORING = "performance_and_scalability.monitoring_and_alerting"


def shown(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def test_f4_marks_the_focused_field_not_applicable_with_a_reason(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="integration_security")
    async with app.run_test(size=(110, 40)) as pilot:
        await focus(pilot, PCI)
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.screen.query("#prompt-input"))
        assert "Why does PCI DSS not apply?" in shown(app)
        for key in "no card data":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not applicable: no card data" in shown(app))
        assert editor(app).session.draft.get(PCI) == {"not_applicable": "no card data"}
        assert app.screen.query_one(f"#{field_id(PCI)}", Input).value == ""
        # Typing an answer replaces the mark.
        await focus(pilot, PCI)
        await pilot.press("x")
        assert editor(app).session.draft.get(PCI) == "x"


async def test_the_palette_marks_the_whole_section(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="integration_security")
    async with app.run_test(size=(110, 40)) as pilot:
        await focus(pilot, PCI)
        editor(app).action_section_not_applicable()
        await wait_for(pilot, lambda: app.screen.query("#prompt-input"))
        assert "Why does Compliance Requirements not apply?" in shown(app)
        app.screen.query_one("#prompt-input", Input).value = "internal tool"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not applicable: internal tool" in shown(app))
        value = editor(app).session.draft.get("integration_security.compliance_requirements")
        assert value["not_applicable"] == "internal tool" and "gdpr" in value


async def test_f5_copies_the_example_shown_greyed_out(tmp_path: Path, schema) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="performance_and_scalability")
    async with app.run_test(size=(110, 40)) as pilot:
        area = app.screen.query_one(f"#{field_id(MONITORING)}", TextArea)
        example = schema.node(MONITORING).example
        assert area.text == "" and str(area.placeholder) == example  # shown, not filled in
        await focus(pilot, MONITORING)
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.screen.query_one(f"#{field_id(MONITORING)}", TextArea).text == example)
        assert editor(app).session.draft.get(MONITORING) == example


async def test_pieces_an_import_kept_are_shown_in_their_section_to_edit_or_delete(tmp_path: Path, schema) -> None:
    from test_tui_support import opened

    from intwizard.core.render import render
    from intwizard.core.store import read_plain
    from intwizard.importers import write_new_draft
    from intwizard.importers.markdown import import_markdown

    document = (Path(__file__).parent / "fixtures" / "handmade" / "checkout-split.md").read_text(encoding="utf-8")
    draft, unplaced = import_markdown(schema, document)
    path = tmp_path / "imported.yaml"
    write_new_draft(path, draft)
    rotation = next(i for i, piece in enumerate(unplaced) if "Key Rotation" in piece.text)
    app = wizard(opened(path), section="integration_security")
    async with app.run_test(size=(110, 50)) as pilot:
        area = app.screen.query_one(f"#kept-text-{rotation}", TextArea)
        assert "Kept from the imported document" in shown(app)
        assert area.text == "* **Key Rotation**: every 90 days, by the platform team 🔑"
        area.text = "* **Key Rotation**: every 30 days"
        await wait_for(pilot, lambda: "30 days" in str(editor(app).session.draft.kept()[rotation]["text"]))
        assert "- **Key Rotation**: every 30 days\n" in render(schema, editor(app).session.draft.plain())
        before = len(editor(app).session.draft.kept())
        button = app.screen.query_one(f"#kept-delete-{rotation}", Button)
        assert str(button.label) == "Delete this text"
        button.focus()
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(editor(app).session.draft.kept()) == before - 1)
        assert "Key Rotation" not in render(schema, editor(app).session.draft.plain())
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = read_plain(path)
    assert not any("Key Rotation" in entry["text"] for entry in saved["intwizard"]["unmapped"])
