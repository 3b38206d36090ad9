"""Each schema kind's widget: values go into the draft as typed, wrong ones are kept and flagged
under the field with the core's message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from test_tui_support import choose, editor, focus, new_file, opened, type_into, wizard
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from intwizard.tui.fields import OTHER, Field, field_id


def field_of(app, path: str) -> Field:
    control = app.screen.query_one(f"#{field_id(path)}")
    return next(node for node in control.ancestors if isinstance(node, Field))


def error_text(app, path: str) -> str:
    """What the field says under itself ("" when it has nothing to say)."""
    shown = [s for s in field_of(app, path).query(".field-error").results(Static) if s.display]
    return str(shown[0].render()) if shown else ""


async def test_a_wrong_url_is_kept_and_flagged(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="internal_system_integrations")
    async with app.run_test(size=(100, 40)) as pilot:
        app.screen.query_one("#group-entries").focus()
        await pilot.press("a")
        await pilot.pause()
        path = "internal_system_integrations.0.service_details.service_url"
        await type_into(pilot, path, "ledger 8080")
        assert editor(app).session.draft.get(path) == "ledger 8080"
        assert "a URL has no spaces" in error_text(app, path)
        assert field_of(app, path).has_class("-invalid")
        await type_into(pilot, path, "http://ledger:8080")
        assert error_text(app, path) == ""
        assert not field_of(app, path).has_class("-invalid")


async def test_dates_are_stored_as_dates_and_wrong_ones_as_typed(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(100, 40)) as pilot:
        await type_into(pilot, "meta.created", "2026-02-30")
        draft = editor(app).session.draft
        assert draft.get("meta.created") == "2026-02-30"
        assert "is not a date" in error_text(app, "meta.created")
        await type_into(pilot, "meta.created", "2026-02-28")
        assert draft.get("meta.created") == dt.date(2026, 2, 28)
        assert error_text(app, "meta.created") == ""
        assert app.screen.query_one(f"#{field_id('meta.last_updated')}", Input).disabled


async def test_json_is_parsed_and_the_error_shown_under_the_code_editor(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="message_formats_and_protocols")
    async with app.run_test(size=(100, 40)) as pilot:
        path = "message_formats_and_protocols.message_structure"
        area = app.screen.query_one(f"#{field_id(path)}", TextArea)
        assert area.show_line_numbers  # a code editor, not a plain text box
        await type_into(pilot, path, '{"a": }')
        assert editor(app).session.draft.get(path) == '{"a": }'
        assert "invalid JSON at line 1, column 7" in error_text(app, path)
        await type_into(pilot, path, '{"a": 1}')
        assert error_text(app, path) == ""


async def test_text_keeps_its_lines(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="overview")
    async with app.run_test(size=(100, 40)) as pilot:
        await type_into(pilot, "overview.summary", "One.\nTwo.")
        assert editor(app).session.draft.get("overview.summary") == "One.\nTwo."


async def test_a_choice_is_picked_from_the_options(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(100, 40)) as pilot:
        await choose(pilot, "meta.sev_level", "SEV-3")
        assert editor(app).session.draft.get("meta.sev_level") == "SEV-3"
        await choose(pilot, "meta.sev_level", Select.NULL)
        assert editor(app).session.draft.get("meta.sev_level") == ""


async def test_a_free_text_choice_takes_your_own_words(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="external_system_integrations")
    async with app.run_test(size=(100, 40)) as pilot:
        app.screen.query_one("#group-entries").focus()
        await pilot.press("a")
        await pilot.pause()
        path = "external_system_integrations.0.connection_details.authentication"
        other = app.screen.query_one(f"#{field_id(path)}-other", Input)
        assert not other.display
        await choose(pilot, path, OTHER)
        assert other.display and app.focused is other
        await pilot.press(*"mTLS")
        assert editor(app).session.draft.get(path) == "mTLS"
        await choose(pilot, path, "API Key")
        assert not other.display
        assert editor(app).session.draft.get(path) == "API Key"


async def test_a_value_outside_a_strict_choice_is_kept_and_flagged(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    text = (Path(__file__).parent / "fixtures" / "complete.yaml").read_text().replace("SEV-2", "SEV-9", 1)
    path.write_text(text)
    app = wizard(opened(path), section="meta")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(f"#{field_id('meta.sev_level')}", Select).value is Select.NULL
        assert "'SEV-9' is not one of" in error_text(app, "meta.sev_level")
        assert editor(app).session.draft.get("meta.sev_level") == "SEV-9"
        assert not editor(app).session.pending


async def test_a_list_is_one_item_per_line(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="data_integration_patterns")
    async with app.run_test(size=(100, 40)) as pilot:
        path = "data_integration_patterns.synchronous_integration.advantages"
        area = app.screen.query_one(f"#{field_id(path)}", TextArea)
        # Empty: the template's example is only shown greyed out, never filled in.
        assert area.text == "" and str(area.placeholder).splitlines()[0] == "Simple request-response pattern"
        await type_into(pilot, path, "Fast\n\n  Simple  \n")
        assert list(editor(app).session.draft.get(path)) == ["Fast", "Simple"]


async def test_checklist_items_tick_with_space(tmp_path: Path, schema) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="next_steps")
    async with app.run_test(size=(100, 40)) as pilot:
        boxes = list(app.screen.query(Checkbox))
        assert [str(box.label) for box in boxes] == [item.label for item in schema.node("next_steps").children]
        await focus(pilot, "next_steps.set_up_monitoring_and_alerting")
        await pilot.press("space")
        assert editor(app).session.draft.get("next_steps.set_up_monitoring_and_alerting") is True
        await pilot.press("space")
        assert editor(app).session.draft.get("next_steps.set_up_monitoring_and_alerting") is False


async def test_signoff_has_a_row_of_inputs_per_role(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="validation_checklist")
    async with app.run_test(size=(120, 40)) as pilot:
        base = "validation_checklist.review_and_approval"
        for role in ("technical_architect", "security_review", "operations_team"):
            for part in ("name", "date", "decision"):
                assert app.screen.query(f"#{field_id(f'{base}.{role}.{part}')}")
        await type_into(pilot, f"{base}.security_review.date", "next week")
        draft = editor(app).session.draft
        assert draft.get(f"{base}.security_review.date") == "next week"
        assert "is not a date" in error_text(app, f"{base}.security_review.date")
        await type_into(pilot, f"{base}.security_review.date", "2026-04-01")
        assert draft.get(f"{base}.security_review.date") == dt.date(2026, 4, 1)


async def test_help_text_is_shown_under_fields(tmp_path: Path, schema) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"))
    async with app.run_test(size=(100, 40)):
        help_lines = [str(s.render()) for s in app.screen.query(".field-help").results(Static)]
        assert schema.node("meta.feature_name").help in help_lines
        assert schema.node("meta.sev_level").help in help_lines


async def test_opening_a_draft_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes((Path(__file__).parent / "fixtures" / "complete.yaml").read_bytes())
    for section in ("meta", "external_system_integrations", "validation_checklist", "data_integration_patterns"):
        app = wizard(opened(path), section=section)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            assert not editor(app).session.pending, section


async def test_a_pasted_credential_is_flagged_masked_and_kept(tmp_path: Path) -> None:
    app = wizard(new_file(tmp_path / "d.yaml"), section="external_system_integrations")
    secret = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    async with app.run_test(size=(100, 40)) as pilot:
        app.screen.query_one("#group-entries").focus()
        await pilot.press("a")
        await pilot.pause()
        path = "external_system_integrations.0.security_considerations.api_security"
        await type_into(pilot, path, f"Bearer {secret}")
        assert editor(app).session.draft.get(path) == f"Bearer {secret}"  # kept as typed
        shown = error_text(app, path)
        assert "looks like a Stripe" in shown and secret not in shown  # named, masked
        await type_into(pilot, path, "Client credentials kept in Vault")
        assert error_text(app, path) == ""
