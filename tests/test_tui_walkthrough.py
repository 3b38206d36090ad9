"""The whole draft filled through the keyboard, section after section, then exported with ctrl+e and
compared with the expected Markdown (tests/fixtures/tui_walkthrough.md)."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import choose, editor, focus, new_file, schema_path, type_into, wizard, workers_settled
from textual.widgets import DataTable, Input

from intwizard.core.render import render
from intwizard.core.schema import load_schema
from intwizard.core.store import read_plain
from intwizard.tui.autosave import Saved
from intwizard.tui.messages import Exported
from intwizard.tui.row_editor import RowEditor

EXPECTED = Path(__file__).parent / "fixtures" / "tui_walkthrough.md"


async def next_section(pilot, label: str) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()
    screen = editor(pilot.app)
    await workers_settled(pilot)
    await pilot.pause()
    assert screen.section_node.label == label


async def add_row(pilot, table_path: str, values: dict[str, str], choices: dict[str, str] | None = None) -> None:
    """``a`` on the table opens the row editor; fill it with the keyboard; ctrl+s saves it."""
    await focus(pilot, table_path)
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RowEditor)
    table = load_schema().node(schema_path(table_path))
    for key, value in (choices or {}).items():
        await choose(pilot, key, value, table.child(key))
    for key, value in values.items():
        await type_into(pilot, key, value)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert not isinstance(pilot.app.screen, RowEditor)


async def test_fill_every_section_with_the_keyboard_and_export(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "checkout.yaml"
    app = wizard(new_file(path))
    exported: list[Exported] = []
    saved: list[Saved] = []

    def hook(message) -> None:
        if isinstance(message, Exported):
            exported.append(message)
        if isinstance(message, Saved):
            saved.append(message)

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await pilot.pause()
        # Document Information: focus starts in Feature Name, so typing fills it.
        assert isinstance(app.focused, Input) and app.focused.id == "f-meta-feature_name"
        await pilot.press(*"Checkout")
        await type_into(pilot, "meta.author", "Ada")
        await choose(pilot, "meta.sev_level", "SEV-2")
        await choose(pilot, "meta.review_status", "UNDER_REVIEW")
        assert app.screen.title == "Checkout"

        await next_section(pilot, "Overview")
        await type_into(pilot, "overview.summary", "Split pay.\nRefunds too.")

        await next_section(pilot, "Integration Architecture")
        await type_into(pilot, "integration_architecture.integration_overview_diagram", "[Shop] <-> [Pay]")
        await type_into(pilot, "integration_architecture.integration_categories.external_apis", "Paylane")
        await type_into(pilot, "integration_architecture.integration_categories.internal_services", "Ledger")

        await next_section(pilot, "External System Integrations")
        entries = app.screen.query_one("#group-entries")
        entries.focus()
        await pilot.press("a")  # add the first integration
        await pilot.pause()
        base = "external_system_integrations.0"
        await type_into(pilot, f"{base}.name", "Paylane")
        await type_into(pilot, f"{base}.purpose", "Cards")
        await choose(pilot, f"{base}.type", "REST API")
        await choose(pilot, f"{base}.criticality", "CRITICAL")
        await type_into(pilot, f"{base}.connection_details.base_url", "https://pay.example")
        await choose(pilot, f"{base}.connection_details.authentication", "OAuth 2.0")
        await type_into(pilot, f"{base}.data_exchange_format", '{"a": 1}')
        table = f"{base}.api_endpoints"
        await add_row(pilot, table, {"endpoint": "/p", "purpose": "Add"}, {"method": "POST"})
        await add_row(pilot, table, {"endpoint": "/p/{id}", "purpose": "Get"}, {"method": "GET"})
        await add_row(pilot, table, {"endpoint": "/old", "purpose": "Old"}, {"method": "DELETE"})
        grid = app.screen.query_one(f"#{'f-' + table.replace('.', '-')}", DataTable)
        assert grid.row_count == 3
        # edit row 1 (enter opens the row editor), then move row 2 up, then delete the last row
        grid.focus()
        grid.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        await type_into(pilot, "purpose", "Add one")
        await pilot.press("ctrl+s")
        await pilot.pause()
        grid.move_cursor(row=1)
        await pilot.press("ctrl+up")
        await pilot.pause()
        grid.move_cursor(row=2)
        await pilot.press("delete")
        await pilot.pause()
        await type_into(pilot, f"{base}.error_handling.retry_logic", "3 tries")
        # a second integration, added then removed (after the confirmation)
        entries = app.screen.query_one("#group-entries")
        entries.focus()
        await pilot.press("a")
        await pilot.pause()
        entries = app.screen.query_one("#group-entries")
        entries.focus()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("enter")  # the focused button is Delete
        await pilot.pause()
        assert len(app.editor.session.draft.get("external_system_integrations")) == 1

        await next_section(pilot, "Internal System Integrations")
        app.screen.query_one("#group-entries").focus()
        await pilot.press("a")
        await pilot.pause()
        base = "internal_system_integrations.0"
        await type_into(pilot, f"{base}.name", "Ledger")
        await type_into(pilot, f"{base}.purpose", "Books")
        await choose(pilot, f"{base}.type", "Message Queue")
        await type_into(pilot, f"{base}.ownership", "Finance")
        await type_into(pilot, f"{base}.service_details.service_url", "http://ledger:8080")

        await next_section(pilot, "Data Integration Patterns")
        await type_into(pilot, "data_integration_patterns.synchronous_integration.use_cases", "Auth")
        await type_into(pilot, "data_integration_patterns.asynchronous_integration.advantages",
                        "Loose\nBuffers")

        await next_section(pilot, "Message Formats and Protocols")
        await type_into(pilot, "message_formats_and_protocols.data_serialization.json", "All")

        await next_section(pilot, "Integration Security")
        await add_row(pilot, "integration_security.authentication_and_authorization",
                      {"integration": "Paylane", "token_management": "Hourly"},
                      {"auth_method": "OAuth 2.0"})
        await type_into(pilot, "integration_security.data_protection.encryption_in_transit", "TLS 1.3")

        await next_section(pilot, "Performance and Scalability")
        await add_row(pilot, "performance_and_scalability.performance_requirements",
                      {"integration": "Paylane", "response_time": "800 ms", "availability": "99.95%"})

        await next_section(pilot, "Error Handling and Resilience")
        await add_row(pilot, "error_handling_and_resilience.failure_scenarios",
                      {"scenario": "Pay down", "impact": "No pay", "response": "Retry"})
        await type_into(pilot, "error_handling_and_resilience.resilience_patterns.timeout", "5 s")

        await next_section(pilot, "Testing Strategy")
        await type_into(pilot, "testing_strategy.integration_testing.contract_testing", "Pact")

        await next_section(pilot, "Deployment and Operations")
        await type_into(pilot, "deployment_and_operations.deployment_considerations.feature_flags", "split_pay")

        await next_section(pilot, "Validation Checklist")
        checklist = "validation_checklist.integration_completeness"
        await focus(pilot, f"{checklist}.all_external_integrations_documented")
        await pilot.press("space")
        await focus(pilot, f"{checklist}.performance_requirements_specified")
        await pilot.press("enter")
        signoff = "validation_checklist.review_and_approval.technical_architect"
        await type_into(pilot, f"{signoff}.name", "Grace")
        await type_into(pilot, f"{signoff}.date", "2026-03-20")
        await choose(pilot, f"{signoff}.decision", "Approved",
                     load_schema().node("validation_checklist.review_and_approval").child("decision"))

        await next_section(pilot, "Next Steps")
        await focus(pilot, "next_steps.create_integration_tests")
        await pilot.press("space")
        await pilot.pause()

        await pilot.press("ctrl+o")
        await workers_settled(pilot)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await workers_settled(pilot)
        await pilot.pause()

    assert exported and exported[-1].path == path.with_suffix(".md")
    text = path.with_suffix(".md").read_text(encoding="utf-8")
    assert text == EXPECTED.read_text(encoding="utf-8")
    # The save worker replayed the same edits on its own tree: the file on disk exports the same.
    assert saved and saved[-1].wrote
    assert render(load_schema(), read_plain(path)) == text
