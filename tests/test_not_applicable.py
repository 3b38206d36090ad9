""""Not applicable, because ..." is an answer: set, new --no-input, the draft's form, export, check."""

from __future__ import annotations

from pathlib import Path

from cli_support import run

from intwizard.core.checks import findings, section_status
from intwizard.core.draft import Draft
from intwizard.core.render import render
from intwizard.core.store import read_plain

PCI = "integration_security.compliance_requirements.pci_dss"
COMPLIANCE = "integration_security.compliance_requirements"
FAILURES = "error_handling_and_resilience.failure_scenarios"
INTERNAL = "internal_system_integrations"


def test_set_marks_fields_tables_and_sections_in_a_hand_readable_form(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    assert run("new", path, "--no-input", "--set", "meta.sev_level=SEV-3",
               "--not-applicable", PCI, "no card data is stored").exit_code == 0
    result = run("set", path, "--not-applicable", INTERNAL, "talks to no internal service",
                 "--not-applicable", FAILURES, "a nightly batch; nobody waits on it", "meta.author=Ada")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "    pci_dss:\n      not_applicable: no card data is stored\n" in text
    assert "internal_system_integrations:\n  not_applicable: talks to no internal service\n" in text
    data = read_plain(path)
    assert data["meta"]["author"] == "Ada"
    exported = run("export", path, "-o", "-").stdout
    assert "- **PCI DSS**: Not applicable: no card data is stored\n" in exported
    assert "## Internal System Integrations\n\nNot applicable: talks to no internal service\n\n## " in exported
    assert "### Failure Scenarios\n\nNot applicable: a nightly batch; nobody waits on it\n\n" in exported
    assert "Integration A:" not in exported


def test_a_section_keeps_its_answers_when_marked(schema) -> None:
    draft = Draft.new(schema)
    draft.set(f"{COMPLIANCE}.gdpr", "Art. 6(1)(b)")
    draft.set_not_applicable(COMPLIANCE, "internal tool, no regulated data")
    assert list(draft.get(COMPLIANCE))[:2] == ["not_applicable", "gdpr"]
    assert draft.get(f"{COMPLIANCE}.gdpr") == "Art. 6(1)(b)"
    assert "### Compliance Requirements\n\nNot applicable: internal tool, no regulated data\n" in \
        render(schema, draft.plain())
    # Answering a part of it again says it applies after all.
    draft.set(f"{COMPLIANCE}.sox", "Quarterly review")
    assert "not_applicable" not in draft.get(COMPLIANCE)


def test_check_counts_it_answered_unless_the_schema_forbids_it(schema) -> None:
    draft = Draft.new(schema)
    draft.set("meta.sev_level", "SEV-1")
    before = {f.path for f in findings(schema, draft.plain())}
    assert FAILURES in before
    draft.set_not_applicable(FAILURES, "batch job")
    draft.set_not_applicable("performance_and_scalability.performance_requirements", "no latency target")
    draft.set_not_applicable(INTERNAL, "none")
    found = {f.path: f for f in findings(schema, draft.plain())}
    assert "performance_and_scalability.performance_requirements" not in found  # answered
    assert INTERNAL not in found
    assert found[FAILURES].rule == "na-not-allowed" and found[FAILURES].blocking
    assert "na_allowed: false" in found[FAILURES].message
    assert section_status(schema, draft.plain(), INTERNAL) == "complete"
    draft.set("meta.sev_level", "SEV-4")  # not required at this level: N/A is fine
    assert FAILURES not in {f.path for f in findings(schema, draft.plain())}


def test_a_required_field_that_allows_no_na_is_an_error(schema) -> None:
    draft = Draft.new(schema)
    draft.set_not_applicable("meta.author", "nobody")
    found = {f.path: f for f in findings(schema, draft.plain())}
    assert found["meta.author"].rule == "na-not-allowed"


def test_a_reason_is_required_and_bad_paths_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    assert run("new", path, "--no-input").exit_code == 0
    before = path.read_bytes()
    for args, message in (([PCI, "  "], "say why"), (["meta.bogus", "x"], "unknown key 'bogus'"),
                          ([f"{FAILURES}.0", "x"], "cannot be marked not applicable")):
        result = run("set", path, "--not-applicable", *args)
        assert result.exit_code == 2 and message in result.output, result.output
    assert path.read_bytes() == before
    assert run("set", path).exit_code == 2
