"""The export tells the truth: placeholders for what is unanswered, the author's text as written,
nothing raw that a reader cannot see, and `check` flags the template's examples left in."""

from __future__ import annotations

import datetime as dt

import pytest
from markdown_it import MarkdownIt

from intwizard.core.checks import ERROR, WARNING, findings
from intwizard.core.draft import Draft
from intwizard.core.markdown import display_width
from intwizard.core.render import render
from intwizard.importers.markdown import import_markdown

EXT = "external_system_integrations.0"
INT = "internal_system_integrations.0"
HOSTILE = "a\x00b\x1b[31mred\x07 \u202eevil\u202c <script>alert(1)</script> <img src=x onerror=y>"


def new(schema, **values) -> Draft:
    draft = Draft.new(schema, today=dt.date(2026, 12, 1))
    for path, value in values.items():
        draft.set_value(path, value)
    return draft


def html(markdown: str) -> str:
    return MarkdownIt("gfm-like", {"html": True}).render(markdown)


def test_control_characters_bidi_and_html_never_reach_the_file_raw(schema) -> None:
    draft = new(schema, **{"overview.summary": HOSTILE, f"{EXT}.name": "X", f"{EXT}.purpose": HOSTILE,
                           f"{EXT}.connection_details.base_url": "https://a.example/\x1b",
                           f"{EXT}.data_exchange_format": '{"a": "\x1b\u202e"}',
                           f"{EXT}.api_endpoints": [{"method": "GET", "endpoint": "/x\x1b", "purpose": HOSTILE}]})
    text = render(schema, draft.plain())
    for raw in ("\x00", "\x1b", "\x07", "\u202e", "\u202c", "<script", "<img"):
        assert raw not in text, repr(raw)
    assert "a␀b␛[31mred␇ ⟨U+202E⟩evil⟨U+202C⟩ &lt;script>alert(1)&lt;/script>" in text
    rendered = html(text)
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered  # HTML in a value renders as text


def test_autolinks_and_br_stay_markup(schema) -> None:
    draft = new(schema, **{"overview.summary": "See <https://wiki.example.com/x> and a<br>b, 2 < 3"})
    text = render(schema, draft.plain())
    assert "See <https://wiki.example.com/x> and a<br>b, 2 < 3" in text


def test_a_backslash_pipe_typed_in_a_cell_survives(schema) -> None:
    draft = new(schema, **{f"{EXT}.name": "X", f"{EXT}.api_endpoints": [
        {"method": "GET", "endpoint": "/a\\|b", "purpose": "one \\| two | three"}]})
    text = render(schema, draft.plain())
    assert "<td>one \\| two | three</td>" in html(text)
    assert "<code>/a\\|b</code>" in html(text)
    back, _ = import_markdown(schema, text)
    assert back.plain()["external_system_integrations"][0]["api_endpoints"][0]["purpose"] == "one \\| two | three"
    assert back.plain()["external_system_integrations"][0]["api_endpoints"][0]["endpoint"] == "/a\\|b"


def test_tables_are_aligned_by_display_width(schema) -> None:
    draft = new(schema, **{f"{EXT}.name": "X", f"{EXT}.api_endpoints": [
        {"method": "GET", "endpoint": "/注文", "purpose": "注文を読む 📦", "response": "ok"},
        {"method": "DELETE", "endpoint": "/x", "purpose": "short", "request": "a | b"}]})
    text = render(schema, draft.plain())
    start = text.index("| Method")
    table = text[start:text.index("\n\n", start)].splitlines()
    assert table[1] == "| ------ | -------- | ------------- | ------- | -------- |"
    assert len({display_width(line) for line in table}) == 1
    assert [line.index("|", 2) for line in table if "注" not in line] == [9] * 3
    assert "| GET    | `/注文`  | 注文を読む 📦 |" in text


def test_a_code_line_mixing_a_code_span_and_prose_exports_as_written(schema) -> None:
    value = "`/healthz` plus a database ping"
    draft = new(schema, **{f"{INT}.name": "Svc", f"{INT}.service_details.health_check": value,
                           f"{INT}.service_details.metrics": "/metrics-v2"})
    text = render(schema, draft.plain())
    assert "- **Health Check**: `/healthz` plus a database ping\n" in text
    assert "- **Metrics**: `/metrics-v2`\n" in text
    back, _ = import_markdown(schema, text)
    details = back.plain()["internal_system_integrations"][0]["service_details"]
    assert details["health_check"] == value and details["metrics"] == "/metrics-v2"


def test_a_table_cell_may_hold_several_lines_in_import_export_and_check(schema) -> None:
    draft = new(schema, **{f"{EXT}.name": "X", f"{EXT}.api_endpoints": [
        {"method": "POST", "endpoint": "/a", "purpose": "first\nsecond"}]})
    assert not [f for f in findings(schema, draft.plain()) if f.path.startswith(f"{EXT}.api_endpoints")]
    text = render(schema, draft.plain())
    assert "| first<br>second |" in text
    back, _ = import_markdown(schema, text)
    assert back.plain()["external_system_integrations"][0]["api_endpoints"][0]["purpose"] == "first\nsecond"


def _example_findings(schema, draft: Draft) -> dict[str, str]:
    return {f.path: f.severity for f in findings(schema, draft.plain()) if f.rule == "example-left"}


@pytest.mark.parametrize("level", ["SEV-1", "SEV-4"])
def test_check_flags_every_kind_of_example_left_in(schema, level: str) -> None:
    node = schema.node
    paths = {
        "overview.summary": node("overview.summary").example,  # text, required: always an error
        f"{EXT}.connection_details.base_url": node(f"{EXT[:-2]}.connection_details.base_url").example,  # line
        f"{INT}.interface_specification": node(f"{INT[:-2]}.interface_specification").example,  # code
        "message_formats_and_protocols.message_structure":
            node("message_formats_and_protocols.message_structure").example,
        "performance_and_scalability.monitoring_and_alerting":  # required at SEV-1
            node("performance_and_scalability.monitoring_and_alerting").example,
        "data_integration_patterns.synchronous_integration.advantages":  # list
            node("data_integration_patterns.synchronous_integration.advantages").example,
        "data_integration_patterns.synchronous_integration.pattern":  # line
            node("data_integration_patterns.synchronous_integration.pattern").example,
        "testing_strategy.test_environments": node("testing_strategy.test_environments").example,  # table
    }
    draft = new(schema, **{"meta.sev_level": level, f"{EXT}.name": "X", f"{INT}.name": "Y", **paths})
    found = _example_findings(schema, draft)
    assert set(found) == set(paths)
    errors = {path for path, severity in found.items() if severity == ERROR}
    expected = {"overview.summary", f"{EXT}.connection_details.base_url"}  # required always
    if level == "SEV-1":
        expected.add("performance_and_scalability.monitoring_and_alerting")
    assert errors == expected
    assert all(severity == WARNING for path, severity in found.items() if path not in expected)


def test_an_edited_example_is_the_authors_own(schema) -> None:
    monitoring = schema.node("performance_and_scalability.monitoring_and_alerting").example
    draft = new(schema, **{"performance_and_scalability.monitoring_and_alerting": monitoring.replace("5%", "2%"),
                           "testing_strategy.test_environments": [{"environment": "Unit", "purpose": "Mine"}]})
    assert _example_findings(schema, draft) == {}


def test_a_new_draft_exports_no_example_values(schema) -> None:
    text = render(schema, Draft.new(schema).plain())
    for node in schema.walk():
        example = node.example
        if isinstance(example, str) and len(example) > 8:
            assert example not in text, node.path
        elif isinstance(example, list):
            for item in example:
                shown = item if isinstance(item, str) else item.get("purpose", "")
                assert f"| {shown} " not in text and f"- {shown}\n" not in text, node.path
