"""Export: the template's structure, GitHub-ready, lint-clean, and unbreakable by what users type."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from intwizard.core.draft import Draft
from intwizard.core.markdown import cell, code_span, fence
from intwizard.core.render import render
from intwizard.core.schema import ordinal
from intwizard.core.store import read_plain

FIXTURES = Path(__file__).parent / "fixtures"


def gfm() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def lint(markdown: str) -> list[str]:
    """markdownlint's default rules, less MD013 (line length), MD024 only among siblings."""
    from pymarkdown.api import PyMarkdownApi

    api = PyMarkdownApi().disable_rule_by_identifier("md013").set_boolean_property(
        "plugins.md024.siblings_only", True)
    result = api.scan_string(markdown)
    return [f"{f.line_number}:{f.column_number} {f.rule_id} {f.rule_description}" for f in result.scan_failures]


def tables(markdown: str) -> list[list[int]]:
    """For each table, the number of cells in each row (header included)."""
    found: list[list[int]] = []
    counts: list[int] = []
    cells = 0
    for token in gfm().parse(markdown):
        if token.type == "table_open":
            counts = []
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            counts.append(cells)
        elif token.type == "table_close":
            found.append(counts)
    return found


def headings(markdown: str) -> list[str]:
    tokens = gfm().parse(markdown)
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]


def test_complete_fixture_matches_the_golden_export(schema) -> None:
    rendered = render(schema, read_plain(FIXTURES / "complete.yaml"))
    assert rendered == (FIXTURES / "complete.md").read_text(encoding="utf-8")


def test_same_draft_same_bytes(schema) -> None:
    data = read_plain(FIXTURES / "complete.yaml")
    assert render(schema, data) == render(schema, data)
    assert render(schema, data).endswith("\n") and not render(schema, data).endswith("\n\n")


@pytest.mark.parametrize("which", ["complete", "empty", "new"])
def test_export_is_markdownlint_clean(schema, which: str) -> None:
    if which == "complete":
        data = read_plain(FIXTURES / "complete.yaml")
    elif which == "empty":
        data = {}
    else:
        data = Draft.new(schema).plain()
    assert lint(render(schema, data)) == []


def test_lint_helper_can_fail() -> None:
    assert lint("# A\n## B\n") != []


def test_empty_draft_exports_the_templates_placeholders(schema) -> None:
    text = render(schema, {})
    assert text.startswith("# Integration Points - [Feature Name]\n")
    assert "**Author**: [Name]" in text
    assert "- **Base URL**: [Base URL]" in text
    # A code block is a fence holding its one bracketed line; never the template's example values.
    assert "#### Data Exchange Format\n\n```text\n[Data exchange format: request and response]\n```\n" in text
    assert "### Message Structure\n\n```text\n[Message structure: the envelope every message carries]\n```\n" in text
    for example in ("example.com", "field1", "message_id", "Alerting Thresholds", "Request-Response",
                    "Simple request-response pattern", "Isolated testing", "Service Contract", "/health"):
        assert example not in text, example
    assert "### Integration 1: [External System Name]" in text
    assert "### Integration A: [Internal Service Name]" in text
    assert "| [Method] | [Path]   | [Purpose] | [Request] | [Response] |" in text
    assert "**Technical Architect**: [Name] - [Date] - [Approved/Rejected]" in text


def test_integrations_are_numbered_as_the_template_numbers_them(schema) -> None:
    draft = Draft.new(schema)
    for index, name in enumerate(["Alpha", "Beta", "Gamma"]):
        draft.set(f"external_system_integrations.{index}.name", name)
        draft.set(f"internal_system_integrations.{index}.name", f"svc-{name}")
    found = [h for h in headings(render(schema, draft.plain())) if h[12:14] in ("1:", "2:", "3:", "A:", "B:", "C:")]
    assert found == [
        "Integration 1: Alpha", "Integration 2: Beta", "Integration 3: Gamma",
        "Integration A: svc-Alpha", "Integration B: svc-Beta", "Integration C: svc-Gamma",
    ]
    assert [ordinal(n, "alpha") for n in (1, 26, 27, 52, 53)] == ["A", "Z", "AA", "AZ", "BA"]


def test_a_cell_with_pipes_and_newlines_keeps_its_tables_columns(schema) -> None:
    draft = Draft.new(schema)
    base = "external_system_integrations.0.api_endpoints.0"
    draft.set(f"{base}.method", "GET")
    draft.set(f"{base}.endpoint", "/a|b`c")
    draft.set_value(f"{base}.purpose", "one | two\nthree \\| four")  # as a hand edit could
    draft.set(f"{base}.request", "x||y")
    draft.set(f"{base}.response", "| starts with a pipe")
    draft.set_value("integration_security.authentication_and_authorization.0.integration", "A | B\nC")
    text = render(schema, draft.plain())
    for counts in tables(text):
        assert len(set(counts)) == 1, counts
    assert all(counts[0] in (4, 5) for counts in tables(text))
    # A line break in a GFM cell can only be <br>: the one inline HTML the export writes (MD033).
    assert [problem for problem in lint(text) if "MD033" not in problem] == []
    assert text.count("<br>") == 2


def test_cell_escaping() -> None:
    assert cell("a|b") == "a\\|b"
    assert cell("line 1\nline 2") == "line 1<br>line 2"
    assert cell("/users/{id}|x", "code") == "`/users/{id}\\|x`"
    assert cell(None) == ""


def test_user_text_cannot_add_headings_or_open_fences(schema) -> None:
    draft = Draft.new(schema)
    hostile = "# not a heading\nSetext?\n===\n```\n<!-- open comment\n> quote\n---"
    draft.set("overview.summary", hostile)
    draft.set("meta.author", "A")
    draft.set("external_system_integrations.0.purpose", "ok")
    draft.set("external_system_integrations.0.error_handling.retry_logic", "fine")
    draft.set("integration_architecture.integration_overview_diagram", "```\n# inside\n```")
    before = headings(render(schema, Draft.new(schema).plain()))
    text = render(schema, draft.plain())
    assert headings(text) == before
    assert "````text\n```\n# inside\n```\n````" in text
    assert lint(text) == []


def test_code_span_and_fence_outgrow_backticks_inside() -> None:
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x`") == "`` `x` ``"
    assert fence("x", "") == "```text\nx\n```"
    assert fence("has ``` inside", "json").startswith("````json\n")


def test_export_works_without_a_writable_cache_folder(schema, tmp_path: Path, monkeypatch) -> None:
    from intwizard.core import render as render_module

    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    render_module.environment.cache_clear()
    try:
        assert render_module._bytecode_cache() is None
        data = read_plain(FIXTURES / "complete.yaml")
        assert render(schema, data) == (FIXTURES / "complete.md").read_text(encoding="utf-8")
    finally:
        render_module.environment.cache_clear()
