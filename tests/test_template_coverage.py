"""The schema covers all of the template: its export has every heading, label, table and checkbox."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intwizard.core.draft import Draft
from intwizard.core.render import render

TEMPLATE = Path(__file__).resolve().parent / "fixtures" / "integration-points-template.md"
HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$")
BOLD_LABEL = re.compile(r"\*\*([^*]+)\*\*:")
CHECKBOX = re.compile(r"^- \[[ x]\] (.+?)\s*$")


def outline(markdown: str) -> dict[str, list[str]]:
    """Headings, bold labels, table headers and checklist items, in document order."""
    found: dict[str, list[str]] = {"headings": [], "labels": [], "tables": [], "checkboxes": []}
    lines = markdown.splitlines()
    in_fence = False
    for number, line in enumerate(lines):
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if match := HEADING.match(line):
            found["headings"].append(f"{match.group(1)} {match.group(2)}")
        found["labels"].extend(BOLD_LABEL.findall(line))
        separator = lines[number + 1] if number + 1 < len(lines) else ""
        if line.startswith("|") and "-" in separator and set(separator) <= set("|-: "):
            found["tables"].append(" | ".join(cell.strip() for cell in line.strip("|").split("|")))
        if match := CHECKBOX.match(line):
            found["checkboxes"].append(match.group(1))
    return found


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(any(item == candidate for candidate in remaining) for item in needles)


@pytest.fixture(scope="module")
def template_outline() -> dict[str, list[str]]:
    return outline(TEMPLATE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def export_outline() -> dict[str, list[str]]:
    from intwizard.core.schema import load_schema

    schema = load_schema()
    draft = Draft.new(schema)
    # The template shows two external integrations; so does this draft (both still empty).
    draft.append_item("external_system_integrations")
    draft.append_item("external_system_integrations")
    return outline(render(schema, draft.plain()))


def test_template_fixture_is_the_shared_reference() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "reference" / "integration-points-template.md"
    if not shared.exists():
        pytest.skip("no ../shared checkout beside the repo")
    assert shared.read_text(encoding="utf-8") == TEMPLATE.read_text(encoding="utf-8")


def test_every_template_heading_is_exported_in_order(template_outline, export_outline) -> None:
    assert template_outline["headings"], "the outline parser found no headings"
    missing = [h for h in template_outline["headings"] if h not in export_outline["headings"]]
    assert missing == []
    assert is_subsequence(template_outline["headings"], export_outline["headings"])


def test_export_invents_no_heading(template_outline, export_outline) -> None:
    assert set(export_outline["headings"]) <= set(template_outline["headings"])


def test_every_bold_label_is_exported_in_order(template_outline, export_outline) -> None:
    assert len(template_outline["labels"]) == 94
    assert is_subsequence(template_outline["labels"], export_outline["labels"])
    assert set(export_outline["labels"]) == set(template_outline["labels"])


def test_every_table_header_is_exported(template_outline, export_outline) -> None:
    assert len(template_outline["tables"]) == 5
    assert is_subsequence(template_outline["tables"], export_outline["tables"])
    assert set(export_outline["tables"]) == set(template_outline["tables"])


def test_every_checklist_item_is_exported(template_outline, export_outline) -> None:
    assert len(template_outline["checkboxes"]) == 11
    assert export_outline["checkboxes"] == template_outline["checkboxes"]


def test_outline_parser_notices_a_missing_heading(template_outline) -> None:
    """The comparison above can fail: drop one heading and it no longer holds."""
    text = TEMPLATE.read_text(encoding="utf-8").replace("### Fallback Strategies\n", "")
    assert "### Fallback Strategies" not in outline(text)["headings"]
    assert not is_subsequence(template_outline["headings"], outline(text)["headings"])
