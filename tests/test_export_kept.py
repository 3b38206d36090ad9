"""What an import kept aside always reaches the export: a table column the template's table has not
comes back as that column, in its place; a fence's language and a table's column alignment come back
as the document had them (``intwizard.layout``); and a kept piece with no place of its own (recorded by
an older import, or its field now "not applicable", or its row deleted) has a defined place: the end of
its section, else the end of the document."""

from __future__ import annotations

import re
from pathlib import Path

from cli_support import run
from jsonschema import Draft202012Validator
from test_import_lossless import cmark_gfm, markdown_it
from test_jsonschema import as_json

from intwizard.core.checks import findings
from intwizard.core.draft import Draft
from intwizard.core.jsonschema_gen import json_schema
from intwizard.core.markdown import table
from intwizard.core.render import render
from intwizard.importers.markdown import import_markdown

FIXTURES = Path(__file__).parent / "fixtures"
RETURNS = FIXTURES / "handmade" / "returns-portal.md"


def _imported(schema, text: str | None = None) -> tuple[Draft, str]:
    draft, _ = import_markdown(schema, text if text is not None else RETURNS.read_text(encoding="utf-8"))
    return draft, render(schema, draft.plain())


def _table_after(markdown: str, heading: str) -> list[str]:
    start = markdown.index(heading)
    lines = markdown[start:].split("\n")
    first = next(number for number, line in enumerate(lines) if line.startswith("|"))
    end = next(number for number, line in enumerate(lines[first:], first) if not line.startswith("|"))
    return lines[first:end]


def test_extra_columns_are_written_back_in_their_place_with_their_cells(schema) -> None:
    draft, exported = _imported(schema)
    rows = _table_after(exported, "### Integration 1:")
    assert rows[0].split("|")[1:-1] == [" " * 3 + "# ", " Method ", " Endpoint             ", " Owner           ",
                                        " Purpose                  ", "        Request ", " Response       ",
                                        "               Notes 📝               "]
    assert rows[1] == ("| --: | :----: | :------------------- | --------------- | ------------------------ | "
                       "-------------: | -------------- | :----------------------------------: |")
    assert "| Stock 倉庫 team |" in rows[2] and "idempotent<br>retried \\| once" in rows[2]
    assert rows[5].endswith("|        a row with only a note        |")  # a row with only a kept cell stays
    kept = draft.plain()["intwizard"]["unmapped"]
    owner = next(entry for entry in kept if entry.get("join") == "column" and entry["text"] == "Owner")
    assert owner["path"] == "external_system_integrations.0.api_endpoints" and owner["after"] == "endpoint"
    cells = [entry for entry in kept if entry.get("join") == "cell" and entry["column"] == "Owner"]
    assert [(entry["path"], entry["text"]) for entry in cells] == [
        ("external_system_integrations.0.api_endpoints.0", "Stock 倉庫 team"),
        ("external_system_integrations.0.api_endpoints.2", "*Stock* team")]


def test_alignment_and_fence_languages_are_recorded_and_written_back(schema) -> None:
    draft, exported = _imported(schema)
    layout = draft.plain()["intwizard"]["layout"]
    assert layout["external_system_integrations.0.api_endpoints"] == {
        "align": {"method": "center", "endpoint": "left", "request": "right"}}
    assert layout["testing_strategy.test_environments"] == {
        "align": {"environment": "left", "purpose": "center", "data": "right"}}
    assert layout["external_system_integrations.1.data_exchange_format"] == {"language": "jsonc"}
    assert layout["external_system_integrations.2.data_exchange_format"] == {"language": "json5"}
    # The diagram's fence names no language and the template's is text: nothing to record.
    assert "integration_architecture.integration_overview_diagram" not in layout
    assert "```jsonc\n// the carrier's booking, trimmed\n" in exported
    assert "```json5\n{base:" in exported
    assert _table_after(exported, "### Test Environments")[1] == \
        "| :---------- | :-----------: | ---------: | ---------------------------- |"


def test_a_fence_without_a_language_does_not_gain_the_templates(schema) -> None:
    text = RETURNS.read_text(encoding="utf-8").replace('```json\n{"order_id"', '```\n{"order_id"', 1)
    draft, exported = _imported(schema, text)
    assert draft.plain()["intwizard"]["layout"]["external_system_integrations.0.data_exchange_format"] == \
        {"language": "text"}
    assert '```text\n{"order_id"' in exported
    assert markdown_it(exported) == markdown_it(text) and cmark_gfm(exported) == cmark_gfm(text)


def test_the_imported_draft_is_valid_under_intwizard_schema(schema) -> None:
    validator = Draft202012Validator(json_schema(schema))
    for document in sorted((FIXTURES / "handmade").glob("*.md")):
        draft, _ = import_markdown(schema, document.read_text(encoding="utf-8"))
        found = [error.message for error in validator.iter_errors(as_json(draft.plain()))]
        assert found == [], document.name
    wrong = as_json(_imported(schema)[0].plain())
    wrong["intwizard"]["layout"]["testing_strategy.test_environments"]["align"]["data"] = "middle"
    assert [error.message for error in validator.iter_errors(wrong)] == \
        ["'middle' is not one of ['left', 'center', 'right']"]


def test_a_hand_edited_layout_cannot_break_the_document(schema) -> None:
    draft, _ = _imported(schema)
    data = draft.plain()
    data["intwizard"]["layout"]["external_system_integrations.1.data_exchange_format"] = \
        {"language": "js`on\n# heading"}
    data["intwizard"]["layout"]["external_system_integrations.0.api_endpoints"] = {"align": {"method": "middle"}}
    exported = render(schema, data)
    assert "```json # heading\n// the carrier's booking" in exported
    assert "\n# heading" not in exported
    assert _table_after(exported, "### Integration 1:")[1].startswith("| --: | ------ | ")  # "#" is a kept column


def test_a_kept_column_follows_its_header_edited_by_hand(schema) -> None:
    draft, _ = _imported(schema)
    data = draft.plain()
    owner = next(entry for entry in data["intwizard"]["unmapped"] if entry["text"] == "Owner")
    owner["text"] = "Owning team"
    rows = _table_after(render(schema, data), "### Integration 1:")
    assert "| Owning team     |" in rows[0] and "| Stock 倉庫 team |" in rows[2]


def test_aligned_table_layout() -> None:
    assert table(["a", "Name"], [["1", "x"], ["22", "yyyyyy"]], ["right", "center"]).split("\n") == [
        "|   a |  Name  |",
        "| --: | :----: |",
        "|   1 |   x    |",
        "|  22 | yyyyyy |",
    ]
    assert table(["a"], [["b"]], ["left"]) == "| a   |\n| :-- |\n| b   |"


# -- a place for everything ------------------------------------------------------------------------------


def _h2_chunk(markdown: str, title: str) -> str:
    start = markdown.index(f"\n## {title}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start:end if end >= 0 else len(markdown)]


def test_pieces_an_older_import_kept_without_a_place_end_their_section_or_the_document(schema) -> None:
    data = Draft.new(schema).plain()
    data["intwizard"]["unmapped"] = [  # as imports wrote them before places were recorded
        {"where": "Integration Security > Data Protection", "line": 80, "text": "**Key Rotation**: every 90 days"},
        {"where": "External System Integrations > Integration 1: Paylane > API Endpoints > row 1 > Owner",
         "line": 40, "text": "Ledger team"},
        {"where": "document information", "line": 7, "text": "**Owner**: Platform team"},
        {"where": "Open Questions", "line": 120, "text": "## Open Questions\n\n- Who owns refunds?"},
        {"where": "", "line": 2, "text": "Drafted in the guild."},
    ]
    exported = render(schema, data)
    security = _h2_chunk(exported, "Integration Security")
    assert security.endswith("\n\n**Key Rotation**: every 90 days\n")
    assert _h2_chunk(exported, "External System Integrations").endswith("\n\nLedger team\n")
    front = exported[:exported.index("\n## Overview\n")]
    assert front.endswith("\n\n**Owner**: Platform team\n")
    # No section of the template by that name: the end of the document, in the order they were found.
    assert exported.endswith("\n\nDrafted in the guild.\n\n## Open Questions\n\n- Who owns refunds?\n")
    for piece in data["intwizard"]["unmapped"]:
        assert exported.count(piece["text"]) == 1


def test_a_piece_whose_field_is_now_not_applicable_ends_its_section(schema) -> None:
    text = (FIXTURES / "handmade" / "order-routing.md").read_text(encoding="utf-8")
    draft, unplaced = import_markdown(schema, text)
    rotation = next(piece for piece in unplaced if piece.text.startswith("* **Key Rotation**"))
    assert rotation.path == "external_system_integrations.0.connection_details"
    draft.set_not_applicable("external_system_integrations.0.connection_details", "all in the vendor's portal")
    exported = render(schema, draft.plain())
    assert "Not applicable: all in the vendor's portal" in exported
    chunk = _h2_chunk(exported, "External System Integrations")
    assert chunk.endswith("\n\n* **Key Rotation**: every 90 days, by the platform team\n")
    assert exported.count("Key Rotation") == 1


def test_the_cells_of_a_deleted_row_end_their_section(schema) -> None:
    draft, _ = _imported(schema)
    draft.remove_item("external_system_integrations.0.api_endpoints", 3)  # the row with only a note
    exported = render(schema, draft.plain())
    assert len(_table_after(exported, "### Integration 1:")) == 5
    assert _h2_chunk(exported, "External System Integrations").endswith("\n\na row with only a note\n")



def test_lines_items_and_sub_lists_go_back_inside_the_paragraph_or_list_they_were_in(schema) -> None:
    draft, exported = _imported(schema)
    assert ("**Purpose**: Book the carrier for each routed order  \n"
            "**Contract**: signed until 2027, renewal with procurement  \n**Type**: SOAP  \n") in exported
    assert ("- **Base URL**: `https://hub.carrier.example/ws`\n"
            "  - staging: `https://hub-staging.carrier.example/ws`\n"
            "  - sandbox: `https://sandbox.carrier.example/ws`\n"
            "- **Mutual TLS**: client certificate from the carrier portal\n"
            "- **Authentication**: Basic Auth\n") in exported
    assert ("- [ ] All external integrations documented\n"
            "  - the carrier hub's SOAP faults are still being listed\n"
            "- [ ] Returns labels reviewed with the carriers\n"
            "- [ ] All internal integrations specified\n") in exported
    kept = draft.plain()["intwizard"]["unmapped"]
    nested = [entry for entry in kept if entry.get("join") == "nested"]
    assert [entry["after"] for entry in nested] == ["base_url", "all_external_integrations_documented"]
    for entry in kept:  # each written once: none is both read into a field and kept whole
        if entry.get("join") not in ("column", "cell"):
            text = re.sub(r"^[*+](?=\s)", "-", entry["text"].strip()) if entry.get("join") == "item" \
                else entry["text"].strip()  # the export's bullet
            assert exported.count(text) == 1, entry


def test_kept_cells_and_layout_follow_their_rows_and_integrations_when_moved_or_deleted(schema) -> None:
    draft, _ = _imported(schema)
    table = "external_system_integrations.0.api_endpoints"
    draft.move_item(table, 2, -1)  # GET /stock/{sku} up above DELETE
    rows = _table_after(render(schema, draft.plain()), "### Integration 1:")
    assert "`/stock/{sku}`" in rows[3] and "| *Stock* team    |" in rows[3]
    assert "`/reservations/{id}`" in rows[4] and "|                 |" in rows[4]
    draft.remove_item(table, 0)  # POST /reservations and its Owner and Notes cells
    exported = render(schema, draft.plain())
    rows = _table_after(exported, "### Integration 1:")
    assert "`/stock/{sku}`" in rows[2] and "| *Stock* team |" in rows[2]
    assert all("Stock 倉庫 team" not in row for row in rows)
    chunk = _h2_chunk(exported, "External System Integrations")
    assert chunk.count("Stock 倉庫 team") == 1  # no longer in the table: at the end of its section
    # An integration deleted: the next one's fence language and kept pieces follow it to its new place.
    draft.remove_item("external_system_integrations", 0)
    data = draft.plain()
    assert data["intwizard"]["layout"]["external_system_integrations.0.data_exchange_format"] == \
        {"language": "jsonc"}
    exported = render(schema, data)
    assert "### Integration 1: Carrier Hub" in exported and "```jsonc\n// the carrier's booking" in exported
    assert "**Contract**: signed until 2027, renewal with procurement  \n**Type**: SOAP" in exported


def test_a_tables_column_order_is_kept(schema) -> None:
    draft, exported = _imported(schema)
    assert draft.plain()["intwizard"]["layout"]["external_system_integrations.2.api_endpoints"] == \
        {"columns": ["endpoint", "method", "purpose", "request", "response"]}
    assert _table_after(exported, "### Integration 3:")[0] == \
        "| Endpoint  | Method | Purpose          | Request | Response |   Scope |"
    data = draft.plain()  # a column the record does not name follows the template column before it
    data["intwizard"]["layout"]["external_system_integrations.2.api_endpoints"]["columns"] = \
        ["response", "nope", "method"]
    assert [cell.strip() for cell in _table_after(render(schema, data), "### Integration 3:")[0].split("|")[1:-1]] \
        == ["Response", "Scope", "Method", "Endpoint", "Purpose", "Request"]  # Scope follows Response


def test_undoing_a_row_deletion_puts_its_kept_cells_back(schema) -> None:
    draft, before = _imported(schema)
    table = "external_system_integrations.0.api_endpoints"
    row = draft.plain()["external_system_integrations"][0]["api_endpoints"][0]
    draft.remove_item(table, 0)
    removed = [entry for entry in draft.plain()["intwizard"]["unmapped"] if "removed" in entry]
    assert {entry["removed"] for entry in removed} == {f"{table}.0"} and len(removed) == 3  # #, Owner, Notes
    validator = Draft202012Validator(json_schema(schema))
    assert list(validator.iter_errors(as_json(draft.plain()))) == []
    draft.insert_item(table, 0, row)  # what the wizard's undo does
    assert render(schema, draft.plain()) == before


PRICING = FIXTURES / "handmade" / "pricing-feed.md"


def _header(row: str) -> list[str]:
    return [cell.strip() for cell in row.split("|")[1:-1]]


def test_a_left_out_template_column_is_recorded_and_stays_out_of_the_export(schema) -> None:
    draft, exported = _imported(schema, PRICING.read_text(encoding="utf-8"))
    layout = draft.plain()["intwizard"]["layout"]
    assert layout["external_system_integrations.0.api_endpoints"] == {"columns": ["method", "endpoint", "purpose"]}
    assert layout["external_system_integrations.1.api_endpoints"] == {
        "align": {"method": "center", "response": "right"}, "columns": ["method", "endpoint", "response"]}
    assert layout["performance_and_scalability.performance_requirements"]["columns"] == \
        ["integration", "availability", "response_time"]
    assert _header(_table_after(exported, "### Integration 1:")[0]) == ["Method", "Endpoint", "Purpose"]
    carrier = _table_after(exported, "### Integration 2:")
    assert _header(carrier[0]) == ["Method", "Endpoint", "Response"]
    assert carrier[1] == "| :----: | -------- | --------------: |"
    assert _header(_table_after(exported, "### Performance Requirements")[0]) == \
        ["Integration", "Availability", "Response Time"]
    assert _header(_table_after(exported, "### Test Environments")[0]) == ["Environment", "Configuration"]


def test_a_left_out_column_comes_back_once_a_cell_of_it_is_filled(schema, tmp_path: Path) -> None:
    source = tmp_path / "pricing.md"
    source.write_text(PRICING.read_text(encoding="utf-8"), encoding="utf-8")
    spec = tmp_path / "pricing.yaml"
    assert run("import", source, "-o", spec).exit_code == 0
    before = run("export", spec, "-o", "-").output
    assert _header(_table_after(before, "### Integration 1:")[0]) == ["Method", "Endpoint", "Purpose"]
    assert run("set", spec, "external_system_integrations.0.api_endpoints.1.response=204",
               "testing_strategy.test_environments.0.data=Fixtures").exit_code == 0
    after = run("export", spec, "-o", "-").output
    rows = _table_after(after, "### Integration 1:")
    assert _header(rows[0]) == ["Method", "Endpoint", "Purpose", "Response"]  # Request: still every cell empty
    assert [_header(row)[3] for row in rows[2:]] == ["", "204", ""]
    assert _header(_table_after(after, "### Test Environments")[0]) == ["Environment", "Data", "Configuration"]
    assert _header(_table_after(after, "### Integration 2:")[0]) == ["Method", "Endpoint", "Response"]
    assert run("set", spec, "external_system_integrations.0.api_endpoints.1.response=").exit_code == 0
    again = run("export", spec, "-o", "-").output  # emptied again: out again (set moves Last Updated)
    assert _table_after(again, "### Integration 1:") == _table_after(before, "### Integration 1:")


def test_check_reports_a_left_out_required_columns_empty_cells_as_before(schema) -> None:
    text = PRICING.read_text(encoding="utf-8")
    left_out = text.replace("| Method | Endpoint              | Purpose                 |\n"
                            "| ------ | --------------------- | ----------------------- |\n"
                            "| POST   | `/reservations`       |",
                            "| Endpoint              | Purpose                 |\n"
                            "| --------------------- | ----------------------- |\n"
                            "| `/reservations`       |")
    left_out = left_out.replace("| DELETE | `/reservations/{id}`  |", "| `/reservations/{id}`  |")
    left_out = left_out.replace("| GET    | `/stock/{sku}`        |", "| `/stock/{sku}`        |")
    assert left_out.count("\n| `/reservations") == 2 and left_out.count("\n| `/stock/") == 1
    empty = left_out.replace("| Endpoint              | Purpose                 |\n"
                             "| --------------------- | ----------------------- |\n",
                             "| Method | Endpoint              | Purpose                 |\n"
                             "| ------ | --------------------- | ----------------------- |\n")
    empty = re.sub(r"(?m)^\| `/(reservations|stock)", r"|        | `/\1", empty)

    def endpoint_findings(document: str) -> list[tuple[str, str, str]]:
        draft, _ = import_markdown(schema, document)
        return [(found.path, found.message, found.severity) for found in findings(schema, draft.plain())
                if found.path.startswith("external_system_integrations.0.api_endpoints")]

    reported = endpoint_findings(left_out)
    assert [path for path, _, _ in reported] == [
        f"external_system_integrations.0.api_endpoints.{row}.method" for row in range(3)]
    assert reported == endpoint_findings(empty)
    draft, _ = import_markdown(schema, left_out)
    assert "| Endpoint " in render(schema, draft.plain()) and "| Method" not in \
        "\n".join(_table_after(render(schema, draft.plain()), "### Integration 1:"))


def test_a_left_out_column_filled_in_the_prompts_comes_back(schema, tmp_path: Path, monkeypatch) -> None:
    from test_prompts_driver import ENTER, User, run_part

    from intwizard.core.draft import resolve
    from intwizard.core.store import open_draft

    source = tmp_path / "pricing.md"
    source.write_text(PRICING.read_text(encoding="utf-8"), encoding="utf-8")
    spec = tmp_path / "pricing.yaml"
    assert run("import", source, "-o", spec).exit_code == 0
    path = "external_system_integrations.0.api_endpoints"
    changes = iter(["3\r", "2\r"])  # what next? Change a row; which row? the second

    def answer(prompt):
        if prompt.message.endswith("what next?") or prompt.message.startswith("Which row"):
            return next(changes, ENTER)
        if prompt.message == "Response":
            return "204\r"
        return ENTER  # every other cell keeps its value
    node = resolve(schema, path)[-1].node
    run_part(User(answer), monkeypatch, lambda walk: walk.table(node, path), open_draft(spec, schema))
    rows = _table_after(run("export", spec, "-o", "-").output, "### Integration 1:")
    assert _header(rows[0]) == ["Method", "Endpoint", "Purpose", "Response"]
    assert [_header(row)[3] for row in rows[2:]] == ["", "204", ""]


async def test_a_left_out_column_filled_in_the_wizard_comes_back(schema, tmp_path: Path) -> None:
    from test_tui_support import editor, focus, type_into, wizard
    from textual.widgets import DataTable

    from intwizard.core.store import open_draft
    from intwizard.tui.fields import field_id
    from intwizard.tui.row_editor import RowEditor

    source = tmp_path / "pricing.md"
    source.write_text(PRICING.read_text(encoding="utf-8"), encoding="utf-8")
    spec = tmp_path / "pricing.yaml"
    assert run("import", source, "-o", spec).exit_code == 0
    table = "performance_and_scalability.performance_requirements"
    before = _table_after(render(schema, open_draft(spec, schema).draft.plain()), "### Performance Requirements")
    assert _header(before[0]) == ["Integration", "Availability", "Response Time"]  # Throughput: left out
    app = wizard(open_draft(spec, schema), section="performance_and_scalability")
    async with app.run_test(size=(120, 40)) as pilot:
        grid = app.screen.query_one(f"#{field_id(table)}", DataTable)
        assert "Throughput" in [str(column.label) for column in grid.columns.values()]  # the wizard shows it
        await focus(pilot, table)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RowEditor)
        await type_into(pilot, "throughput", "200 rps")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RowEditor)
        exported = render(schema, editor(app).session.draft.plain())
    rows = _table_after(exported, "### Performance Requirements")
    assert _header(rows[0]) == ["Integration", "Availability", "Response Time", "Throughput"]
    assert [_header(row)[3] for row in rows[2:]] == ["200 rps", ""]
