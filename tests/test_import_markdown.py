"""Markdown import: for documents that follow the template, export(import(doc)) renders like doc."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

from intwizard.core.draft import Draft
from intwizard.core.render import render
from intwizard.core.schema import load_schema
from intwizard.core.store import read_plain
from intwizard.core.yamlio import to_plain
from intwizard.importers.markdown import import_markdown

FIXTURES = Path(__file__).parent / "fixtures"
HANDWRITTEN = FIXTURES / "import_handwritten.md"
SPARSE = FIXTURES / "import_sparse.md"
TEMPLATE = FIXTURES / "integration-points-template.md"
CLI = [sys.executable, "-m", "intwizard"]

_GFM = MarkdownIt("gfm-like").use(tasklists_plugin)


def html(markdown: str) -> str:
    """GFM HTML with only presentation-free differences normalised: whitespace between tags and at
    line ends (the template itself has a trailing space in its example diagram), the spelling of
    ``<br>``, and ``text`` as a fence language (the export names it, people leave it out)."""
    out = _GFM.render(markdown)
    out = re.sub(r"<br\s*/?>", "<br>", out)
    out = out.replace(' class="language-text"', "")
    out = re.sub(r"[ \t]+\n", "\n", out)
    return re.sub(r">\s+<", "><", out).strip()


def h2_chunks(markdown: str) -> dict[str, str]:
    """The rendered document cut at its level-2 headings."""
    parts = re.split(r"(?=<h2>)", html(markdown))
    return {re.match(r"<h2>(.*?)</h2>", part).group(1) if part.startswith("<h2>") else "": part for part in parts}


def round_trip(schema, text: str) -> str:
    draft, _ = import_markdown(schema, text)
    return render(schema, draft.plain())


# -- the round trip -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["import_handwritten.md", "import_from_template.md", "complete.md"])
def test_export_of_import_renders_like_the_document(schema, name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert html(round_trip(schema, text)) == html(text)


def test_exported_complete_fixture_comes_back_byte_for_byte(schema) -> None:
    exported = render(schema, read_plain(FIXTURES / "complete.yaml"))
    draft, unplaced = import_markdown(schema, exported)
    assert unplaced == []
    assert render(schema, draft.plain()) == exported
    # And the answers are the fixture's, apart from values equal to the template's example (/health),
    # which the export cannot tell from an empty field.
    theirs = read_plain(FIXTURES / "complete.yaml")
    ours = draft.plain()
    assert ours["meta"] == theirs["meta"]
    assert ours["external_system_integrations"] == theirs["external_system_integrations"]
    assert ours["validation_checklist"] == theirs["validation_checklist"]


def test_round_trip_is_stable(schema) -> None:
    once = round_trip(schema, HANDWRITTEN.read_text(encoding="utf-8"))
    assert round_trip(schema, once) == once


def test_crlf_and_bom_documents_read_the_same(schema, tmp_path: Path) -> None:
    text = HANDWRITTEN.read_text(encoding="utf-8")
    source = tmp_path / "crlf.md"
    source.write_bytes(("\ufeff" + text).replace("\n", "\r\n").encode("utf-8"))
    target = tmp_path / "crlf.yaml"
    result = subprocess.run([*CLI, "import", str(source), "-o", str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert html(render(schema, read_plain(target))) == html(text)


# -- values as written ----------------------------------------------------------------------------------


@pytest.fixture
def handwritten(schema) -> dict:
    draft, unplaced = import_markdown(schema, HANDWRITTEN.read_text(encoding="utf-8"))
    assert unplaced == []
    return draft.plain()


def test_dates_statuses_and_signoffs_are_kept_as_written(handwritten: dict) -> None:
    meta = handwritten["meta"]
    assert meta["feature_name"] == "Order Sync"  # setext title, the template's prefix removed
    assert meta["created"] == dt.date(2025, 3, 2)
    assert meta["last_updated"] == dt.date(2025, 4, 11)  # not today: importing is not editing
    assert meta["review_status"] == "UNDER_REVIEW"
    signed = handwritten["validation_checklist"]["review_and_approval"]
    assert signed["technical_architect"] == {"name": "Ana Diaz", "date": dt.date(2025, 4, 10), "decision": "Approved"}
    assert signed["security_review"]["date"] == "2025-4-9"  # not ISO: kept as typed, for `check` to flag
    assert signed["operations_team"] == {"name": "", "date": "", "decision": ""}


def test_table_cells_unescape_pipes_and_breaks(handwritten: dict) -> None:
    rows = handwritten["external_system_integrations"][0]["api_endpoints"]
    assert rows[0] == {"method": "POST", "endpoint": "/orders", "purpose": "Create an order",
                       "request": "Order lines\nand address", "response": "Order id | status"}
    assert rows[1]["endpoint"] == "/stock/{sku}"
    assert rows[1]["response"] == "Stock level\nper site"  # <br/> as well as <br>
    assert rows[2]["request"] == "Status `a|b`"


def test_placeholders_read_as_empty_and_examples_stay_values(handwritten: dict) -> None:
    first = handwritten["external_system_integrations"][0]
    assert first["connection_details"]["sla"] == ""
    assert first["connection_details"]["rate_limits"] == "100 requests per minute\nbursts of 20 allowed"
    assert first["error_handling"]["error_response_format"] == ""
    third = handwritten["external_system_integrations"][2]
    # The template's examples are kept as the document says them (`check` warns about each), so the
    # export says them again; only bracketed placeholders read as empty.
    assert third["connection_details"]["base_url"] == "https://api.example.com/v1"
    assert third["data_exchange_format"].startswith('{\n  "request_format"')
    assert third["api_endpoints"] == []  # the placeholder row
    assert handwritten["integration_architecture"]["integration_categories"]["database_integrations"] == \
        "Data synchronization and sharing"
    internal = handwritten["internal_system_integrations"][0]
    assert internal["service_details"]["documentation"] == "https://wiki.example.com/inventory"


def test_fences_lists_and_checklists(handwritten: dict) -> None:
    diagram = handwritten["integration_architecture"]["integration_overview_diagram"]
    assert diagram.startswith("[Order Sync] ←→ [Warehouse API]")  # a ~~~ fence without a language
    sync = handwritten["data_integration_patterns"]["synchronous_integration"]
    assert sync["advantages"] == ["Simple request-response pattern", "Easy to debug and trace"]
    assert sync["disadvantages"] == ["Tight coupling between services"]  # * bullets
    asynchronous = handwritten["data_integration_patterns"]["asynchronous_integration"]
    assert asynchronous["flow"] == "Order Sync → [orders topic] → Inventory Service"
    ticks = handwritten["validation_checklist"]["integration_completeness"]
    assert ticks["all_external_integrations_documented"] is True
    assert ticks["all_internal_integrations_specified"] is True  # [X]
    assert ticks["authentication_and_authorization_defined"] is False
    assert handwritten["next_steps"]["implement_integration_interfaces"] is True
    assert [i["name"] for i in handwritten["external_system_integrations"]] == [
        "Warehouse API", "Carrier Hub", "Tax Service"]
    assert handwritten["overview"]["summary"].startswith("Keeps *orders* in the warehouse system")


# -- what does not fit ----------------------------------------------------------------------------------



def _insert_after(text: str, anchor: str, extra: str) -> str:
    assert anchor in text
    return text.replace(anchor, anchor + extra, 1)


def test_extra_paragraphs_are_kept_aside_and_the_rest_round_trips(schema) -> None:
    original = HANDWRITTEN.read_text(encoding="utf-8")
    extras = [
        ("| PATCH |`/orders/{id}`| Update status| Status `a\\|b` |Updated order|\n",
         "\nThe warehouse may answer 202 for large orders.\n"),
        ("## External System Integrations\n", "Partners are listed by criticality.\n\n"),
        ("**Criticality**: HIGH\n", "**Contact**: wms-oncall@example.com\n\n"),
        ("### Review and Approval\n", "> Sign here once reviewed.\n\n"),
    ]
    text = original
    for anchor, extra in extras:
        text = _insert_after(text, anchor, extra)
    text += "\n## Open Questions\n\n- Who owns the carrier contract?\n"
    draft, unplaced = import_markdown(schema, text)
    kept = [piece.text for piece in unplaced]
    assert kept == [
        "Partners are listed by criticality.",
        "**Contact**: wms-oncall@example.com",
        "The warehouse may answer 202 for large orders.",
        "> Sign here once reviewed.",
        "## Open Questions\n\n- Who owns the carrier contract?",
    ]
    # Every piece is written back where it was found: the export renders like the document.
    assert html(render(schema, draft.plain())) == html(text)
    stored = draft.plain()["intwizard"]["unmapped"]
    assert [entry["text"] for entry in stored] == kept
    assert stored[1]["where"] == "External System Integrations > Integration 1: Warehouse API"
    assert text.split("\n")[stored[1]["line"] - 1] == "**Contact**: wms-oncall@example.com"


def test_missing_sections_keep_the_template_defaults(schema) -> None:
    original = HANDWRITTEN.read_text(encoding="utf-8")
    start = original.index("## Data Integration Patterns")
    end = original.index("## Message Formats and Protocols")
    text = original[:start] + original[end:]
    draft, unplaced = import_markdown(schema, text)
    assert unplaced == []
    exported = h2_chunks(render(schema, draft.plain()))
    expected = h2_chunks(original)
    differing = [title for title in expected if expected[title] != exported.get(title)]
    assert differing == ["Data Integration Patterns"]
    assert draft.plain()["data_integration_patterns"] == to_plain(Draft.new(schema).data["data_integration_patterns"])


def test_sparse_document(schema) -> None:
    draft, unplaced = import_markdown(schema, SPARSE.read_text(encoding="utf-8"))
    data = draft.plain()
    assert data["meta"]["created"] == "5 March 2025"
    assert data["meta"]["last_updated"] == ""  # the document does not say; not invented
    assert data["meta"]["review_status"] == "under review"
    assert data["meta"]["author"] == ""
    assert data["overview"]["summary"] == (
        "Awards points for every paid order.\n\n- Points expire after a year\n- Balances are shown in the app")
    ledger = data["external_system_integrations"][0]
    assert ledger["api_endpoints"] == [{"method": "POST", "endpoint": "/grants", "purpose": "Grant points",
                                        "request": "Order id", "response": "Grant id"}]
    assert data["validation_checklist"]["review_and_approval"]["security_review"]["name"] == "Pending"
    where = {(piece.where, piece.text) for piece in unplaced}
    assert ("document information", "**Owner**: Platform team  ") in where
    assert ("External System Integrations > Integration 1: Points Ledger > API Endpoints > row 1 > Owner",
            "Ledger team") in where
    # The extra column's header is kept too: the export writes the column back, header and cells.
    assert ("External System Integrations > Integration 1: Points Ledger > API Endpoints > Owner", "Owner") in where
    assert ("Validation Checklist > Integration Completeness",
            "- [ ] Something the template does not list") in where
    assert len(unplaced) == 9


def test_the_blank_template_imports_as_an_empty_draft(schema) -> None:
    draft, unplaced = import_markdown(schema, TEMPLATE.read_text(encoding="utf-8"))
    assert unplaced == []
    data = draft.plain()
    # "Integration 2: [External System Name] / [Repeat structure ...]" is no integration; the first one
    # keeps the template's example endpoint rows, which are written like any answer.
    [first] = data["external_system_integrations"]
    assert first["name"] == "" and first["purpose"] == ""
    assert first["connection_details"]["base_url"] == "https://api.example.com/v1"  # the example, for check
    assert [row["endpoint"] for row in first["api_endpoints"]] == ["/users/{id}", "/orders", "/orders/{id}"]
    assert data["meta"] == {key: "" for key in data["meta"]}
    assert data["integration_architecture"]["integration_overview_diagram"] == \
        schema.node("integration_architecture.integration_overview_diagram").example
    assert data["next_steps"] == dict.fromkeys(data["next_steps"], False)


def test_labels_come_from_the_schema(tmp_path: Path) -> None:
    """A template with other labels imports documents written with those labels."""
    folder = tmp_path / "custom"
    shutil.copytree(load_schema().path.parent, folder)
    schema_file = folder / "schema.yaml"
    text = schema_file.read_text(encoding="utf-8")
    text = text.replace("label: Overview\n", "label: Why We Build It\n", 1)
    text = text.replace("label: Purpose\n", "label: Reason\n", 1)
    schema_file.write_text(text, encoding="utf-8")
    custom = load_schema(folder)
    document = HANDWRITTEN.read_text(encoding="utf-8")
    external, internal = document.split("## Internal System Integrations")
    document = (external.replace("## Overview", "## Why We Build It").replace("**Purpose**:", "**Reason**:")
                + "## Internal System Integrations" + internal)
    draft, unplaced = import_markdown(custom, document)
    assert unplaced == []
    assert draft.plain()["overview"]["summary"].startswith("Keeps *orders*")
    assert draft.plain()["external_system_integrations"][0]["purpose"] == "Push new orders and read stock levels"
    assert html(render(custom, draft.plain())) == html(document)


# -- the command ----------------------------------------------------------------------------------------


def test_cli_import_writes_a_draft_and_reports_what_it_kept_aside(tmp_path: Path) -> None:
    source = tmp_path / "loyalty.md"
    shutil.copy(SPARSE, source)
    result = subprocess.run([*CLI, "import", str(source)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "loyalty.yaml"
    assert read_plain(target)["meta"]["feature_name"] == "Loyalty Points"
    assert f"{source}:7: no field for this in 'document information'" in result.stderr
    assert result.stderr.count("kept under intwizard.unmapped") == 9
    check = subprocess.run([*CLI, "export", str(target), "-o", "-"], capture_output=True, text=True)
    assert check.returncode == 0 and "# Integration Points - Loyalty Points" in check.stdout


def test_cli_import_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "draft.yaml"
    target.write_text("mine: true\n", encoding="utf-8")
    result = subprocess.run([*CLI, "import", str(SPARSE), "-o", str(target)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "already exists" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == "mine: true\n"


def test_cli_import_refuses_unreadable_documents(tmp_path: Path) -> None:
    binary = tmp_path / "spec.md"
    binary.write_bytes(b"\x00\x01\x02 not text")
    result = subprocess.run([*CLI, "import", str(binary)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert f"{binary}: this is a binary file" in result.stderr
    assert not (tmp_path / "spec.yaml").exists()
    missing = subprocess.run([*CLI, "import", str(tmp_path / "nope.md")], capture_output=True, text=True)
    assert missing.returncode == 2 and "no such file" in missing.stderr


# -- any answer survives export and import ---------------------------------------------------------------

_PIECES = [*"ab Z09.,:;!?*_|\\<>#-`[](){}~=+/\"'&", "\n", "é", "←", "https://x.example/aé", "  "]
# Left out: a bracketed answer (it reads as a placeholder) and a backslash right before a URL (the
# export turns it into "\<url>", which reads back as an autolink: an export ambiguity, not an import one).
_TEXT = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=16).map("".join).filter(
    lambda text: text.strip() and not (text.strip().startswith("[") and text.strip().endswith("]"))
    and "\\https" not in text)
_FIELDS = {
    "meta.author": "line",
    "overview.summary": "text",
    "external_system_integrations.0.purpose": "text",
    "external_system_integrations.0.connection_details.rate_limits": "text",
    "external_system_integrations.0.api_endpoints.0.purpose": "text",
    "external_system_integrations.0.api_endpoints.0.endpoint": "line",
    "data_integration_patterns.synchronous_integration.advantages.0": "text",
    "validation_checklist.review_and_approval.technical_architect.name": "line",
}


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({path: _TEXT for path in _FIELDS}))
def test_any_answers_come_back_as_they_export(values: dict[str, str]) -> None:
    """Bracketed answers aside (they read as placeholders), importing an export changes nothing in it."""
    schema = load_schema()
    draft = Draft.new(schema)
    draft.set("external_system_integrations.0.name", "Partner")
    draft.set("external_system_integrations.0.api_endpoints.0.method", "GET")
    for path, text in values.items():
        draft.set_value(path, " ".join(text.split("\n")) if _FIELDS[path] == "line" else text)
    exported = render(schema, draft.plain())
    assert round_trip(schema, exported) == exported


@pytest.mark.parametrize(("line", "expected"), [
    ("**Purpose**: Pay", ("Purpose", "Pay")),
    ("**Purpose:** Pay", ("Purpose", "Pay")),  # the colon inside the bold
    ("__Purpose__: Pay", ("Purpose", "Pay")),
    ("**Purpose**:Pay", ("Purpose", "Pay")),
    ("**Purpose** pays", None),  # bold, but no label
    ("*Purpose*: Pay", None),  # emphasis is not a label
    ("Purpose: Pay", None),
])
def test_labels_are_read_from_the_tokens(line: str, expected) -> None:
    from intwizard.importers.markdown_labels import label_of

    assert label_of(line) == expected


def test_signoff_names_with_dashes_and_loose_formats(schema) -> None:
    text = TEMPLATE.read_text(encoding="utf-8").replace(
        "**Technical Architect**: [Name] - [Date] - [Approved/Rejected]",
        "**Technical Architect**: Mary - Ann Ito - 2025-01-02 - Approved").replace(
        "**Security Review**: [Name] - [Date] - [Approved/Rejected]", "**Security Review:** Bo Li, approved by mail")
    draft, unplaced = import_markdown(schema, text)
    signed = draft.plain()["validation_checklist"]["review_and_approval"]
    assert signed["technical_architect"] == {"name": "Mary - Ann Ito", "date": dt.date(2025, 1, 2),
                                             "decision": "Approved"}
    assert signed["security_review"] == {"name": "Bo Li, approved by mail", "date": "", "decision": ""}
    assert unplaced == []


def test_a_field_said_twice_keeps_both(schema) -> None:
    text = HANDWRITTEN.read_text(encoding="utf-8").replace(
        "**Author**: Sam Lee  \n", "**Author**: Sam Lee  \n**Author**: Kim Roe  \n").replace(
        "**Operations Team**: [Name]", "**Technical Architect**: Someone Else - 2025-01-01 - Rejected  \n"
        "**Operations Team**: [Name]")
    draft, unplaced = import_markdown(schema, text)
    assert draft.plain()["meta"]["author"] == "Sam Lee"
    assert draft.plain()["validation_checklist"]["review_and_approval"]["technical_architect"]["name"] == "Ana Diaz"
    assert [piece.text.strip() for piece in unplaced] == [
        "**Author**: Kim Roe", "**Technical Architect**: Someone Else - 2025-01-01 - Rejected"]


def test_cli_import_warns_about_credentials_in_the_document(tmp_path: Path) -> None:
    source = tmp_path / "leaky.md"
    source.write_text(HANDWRITTEN.read_text(encoding="utf-8").replace(
        "**API Security**: Client credentials", "**API Security**: key sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        encoding="utf-8")
    result = subprocess.run([*CLI, "import", str(source)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr and "security_considerations.api_security" in result.stderr
    assert "sk_live_4eC39HqLyjWDarjtT1zdp7dc" not in result.stderr  # masked


def test_a_template_copy_filled_in_by_hand(schema) -> None:
    """The template's own layout (no blank line after headings, fences without a language), filled in."""
    draft, unplaced = import_markdown(schema, (FIXTURES / "import_from_template.md").read_text(encoding="utf-8"))
    data = draft.plain()
    assert unplaced == []
    assert [i["name"] for i in data["external_system_integrations"]] == ["CardVault", "Mailer"]
    assert data["external_system_integrations"][1]["api_endpoints"] == [
        {"method": "POST", "endpoint": "/send", "purpose": "Send a mail", "request": "Address, card",
         "response": "Message id"}]
    # The template's example diagram (its trailing space aside), kept for `check` to warn about.
    assert data["integration_architecture"]["integration_overview_diagram"] == \
        schema.node("integration_architecture.integration_overview_diagram").example
    assert data["integration_security"]["authentication_and_authorization"][0]["integration"] == "CardVault"
    assert data["validation_checklist"]["integration_completeness"]["all_external_integrations_documented"] is True


def test_list_items_that_would_open_blocks_come_back_as_typed(schema) -> None:
    draft = Draft.new(schema)
    path = "data_integration_patterns.synchronous_integration.advantages"
    typed = ["# not a heading", "> not a quote", "| a pipe first", "1. not a number", "plain"]
    draft.set_value(path, typed)
    exported = render(schema, draft.plain())
    assert "- \\# not a heading" in exported
    back, _ = import_markdown(schema, exported)
    assert back.plain()["data_integration_patterns"]["synchronous_integration"]["advantages"] == typed
