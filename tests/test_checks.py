"""The findings: required fields, SEV-level rules, checklist claims, sign-offs, coverage, unknown keys.

Every rule is driven by the schema; the last tests prove it with edited copies of the template.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from intwizard.core.checks import COMPLETE, EMPTY, ERROR, PARTIAL, WARNING, findings, level_of, statuses
from intwizard.core.draft import Draft
from intwizard.core.schema import SchemaError, builtin_template_dir, load_schema
from intwizard.core.store import read_plain
from intwizard.core.values import as_text as as_plain_text

SIGNOFF = "validation_checklist.review_and_approval"
CHECKLIST = "validation_checklist.integration_completeness"
FAILURES = "error_handling_and_resilience.failure_scenarios"
PERFORMANCE = "performance_and_scalability.performance_requirements"
MONITORING = "performance_and_scalability.monitoring_and_alerting"
AUTH_TABLE = "integration_security.authentication_and_authorization"


def new_draft(schema, **values: str) -> Draft:
    draft = Draft.new(schema, today=dt.date(2026, 11, 28))
    for path, text in values.items():
        draft.set(path.replace("__", "."), text)
    return draft


def by_path(found, rule: str | None = None) -> dict[str, object]:
    return {f.path: f for f in found if rule is None or f.rule == rule}


def test_new_draft_lists_required_fields_and_no_level_rules_as_errors(schema) -> None:
    found = findings(schema, new_draft(schema).plain())
    errors = by_path([f for f in found if f.severity == ERROR])
    assert {"meta.feature_name", "meta.author", "meta.sev_level", "overview.summary", AUTH_TABLE} <= set(errors)
    assert errors[AUTH_TABLE].rule == "empty-table"
    # Without a SEV level the level rules are only warnings: they may or may not apply.
    level_rules = by_path(found, "required-at")
    assert set(level_rules) == {FAILURES, PERFORMANCE, MONITORING, f"{SIGNOFF}.security_review"}
    assert all(f.severity == WARNING for f in level_rules.values())
    assert "if SEV Level is SEV-1 or SEV-2" in level_rules[FAILURES].message


@pytest.mark.parametrize("level", ["SEV-1", "SEV-2"])
def test_high_severity_needs_failures_performance_monitoring_and_security_review(schema, level: str) -> None:
    draft = new_draft(schema, meta__sev_level=level)
    draft.set_value(MONITORING, "")
    found = by_path(findings(schema, draft.plain()), "required-at")
    assert set(found) == {FAILURES, PERFORMANCE, MONITORING, f"{SIGNOFF}.security_review"}
    assert all(f.severity == ERROR for f in found.values())
    assert found[FAILURES].message == f"Failure Scenarios has no rows for {level} specs"
    assert found[f"{SIGNOFF}.security_review"].message == (
        f"Security Review sign-off is required for {level} specs (missing: Name, Date, Decision)")


@pytest.mark.parametrize("level", ["SEV-3", "SEV-4"])
def test_low_severity_does_not_need_them(schema, level: str) -> None:
    draft = new_draft(schema, meta__sev_level=level)
    draft.set_value(MONITORING, "")
    found = findings(schema, draft.plain())
    assert not by_path(found, "required-at")
    assert not [f for f in found if f.path.startswith((FAILURES, PERFORMANCE, MONITORING, SIGNOFF))]


def test_level_is_read_from_the_level_field_whatever_its_case(schema) -> None:
    draft = new_draft(schema)
    draft.set_value("meta.sev_level", "sev-2")
    # Flagged as not an option as written, but the SEV-2 rules apply all the same.
    assert level_of(schema, draft.plain()) == "SEV-2"
    found = findings(schema, draft.plain())
    assert by_path(found, "invalid")["meta.sev_level"].severity == ERROR
    assert by_path(found, "required-at")[FAILURES].message == "Failure Scenarios has no rows for SEV-2 specs"
    draft.set_value("meta.sev_level", "SEV-9")
    assert level_of(schema, draft.plain()) is None


def test_filled_high_severity_rules_pass(schema) -> None:
    draft = new_draft(schema, meta__sev_level="SEV-1")
    draft.set(f"{FAILURES}.0.scenario", "Paylane down")
    draft.set(f"{PERFORMANCE}.0.integration", "Paylane")
    draft.set(MONITORING, "Page when the error rate > 2% for 3 minutes")
    for part, text in (("name", "Grace"), ("date", "2026-11-19"), ("decision", "Approved")):
        draft.set(f"{SIGNOFF}.security_review.{part}", text)
    assert not [f for f in findings(schema, draft.plain()) if f.rule in ("required-at", "example-left")]


def test_monitoring_left_as_the_template_example_is_an_error_where_required(schema) -> None:
    example = schema.node(MONITORING).example
    assert "Alerting Thresholds:" in example
    assert as_plain_text(new_draft(schema).data["performance_and_scalability"]["monitoring_and_alerting"]) == ""
    left = {MONITORING.replace(".", "__"): example}
    high = by_path(findings(schema, new_draft(schema, meta__sev_level="SEV-2", **left).plain()), "example-left")
    assert list(high) == [MONITORING] and high[MONITORING].severity == ERROR
    assert "still the template's example" in high[MONITORING].message
    low = by_path(findings(schema, new_draft(schema, meta__sev_level="SEV-4", **left).plain()), "example-left")
    assert list(low) == [MONITORING] and low[MONITORING].severity == WARNING


def test_signoff_without_a_date(schema) -> None:
    draft = new_draft(schema, meta__sev_level="SEV-3")
    draft.set(f"{SIGNOFF}.operations_team.name", "Lena")
    draft.set(f"{SIGNOFF}.operations_team.decision", "Approved")
    found = by_path(findings(schema, draft.plain()), "signoff-date")
    assert found[f"{SIGNOFF}.operations_team.date"].message == "Operations Team signed without a date"
    assert found[f"{SIGNOFF}.operations_team.date"].severity == ERROR
    draft.set(f"{SIGNOFF}.operations_team.date", "2026-11-20")
    assert not by_path(findings(schema, draft.plain()), "signoff-date")


def test_ticked_checklist_item_whose_content_is_missing(schema) -> None:
    draft = new_draft(schema)
    draft.set(f"{CHECKLIST}.performance_requirements_specified", "yes")
    draft.set(f"{CHECKLIST}.all_external_integrations_documented", "yes")
    found = by_path(findings(schema, draft.plain()), "ticked-missing")
    claim = found[f"{CHECKLIST}.performance_requirements_specified"]
    assert claim.message == "'Performance requirements specified' is ticked, but Performance Requirements is empty"
    assert claim.severity == ERROR and claim.section == "validation_checklist"
    assert f"{CHECKLIST}.all_external_integrations_documented" in found

    draft.set(f"{PERFORMANCE}.0.integration", "Paylane")
    draft.set("external_system_integrations.0.name", "Paylane")
    found = findings(schema, draft.plain())
    assert not by_path(found, "ticked-missing")
    # The integration is there but incomplete: the tick is premature (a warning; the errors block anyway).
    premature = by_path(found, "ticked-incomplete")
    assert list(premature) == [f"{CHECKLIST}.all_external_integrations_documented"]
    assert premature[f"{CHECKLIST}.all_external_integrations_documented"].severity == WARNING


def test_unticked_items_claim_nothing(schema) -> None:
    found = findings(schema, new_draft(schema).plain())
    assert not [f for f in found if f.rule.startswith("ticked")]


def test_integration_without_endpoints_or_auth_names_the_integration(schema) -> None:
    draft = new_draft(schema)
    draft.set("external_system_integrations.0.name", "Paylane")
    draft.set("external_system_integrations.1.name", "Shipwise")
    draft.set("internal_system_integrations.0.name", "Orders")
    found = by_path(findings(schema, draft.plain()))
    endpoints = found["external_system_integrations.1.api_endpoints"]
    assert endpoints.message == "Integration 2 (Shipwise): API Endpoints has no rows"
    assert endpoints.section == "external_system_integrations"
    auth = found["external_system_integrations.0.connection_details.authentication"]
    assert auth.message == "Integration 1 (Paylane): Authentication is required"
    # Internal integrations are lettered, as the template numbers them.
    assert found["internal_system_integrations.0.purpose"].message == "Integration A (Orders): Purpose is required"


def test_every_integration_needs_a_row_in_the_auth_table(schema) -> None:
    draft = new_draft(schema)
    draft.set("external_system_integrations.0.name", "Paylane Payments API")
    draft.set("internal_system_integrations.0.name", "Order Service")
    # An empty table is reported once, as empty.
    assert not by_path(findings(schema, draft.plain()), "uncovered")
    draft.set(f"{AUTH_TABLE}.0.integration", "paylane payments api (OAuth)")
    draft.set(f"{AUTH_TABLE}.0.auth_method", "OAuth 2.0")
    gaps = by_path(findings(schema, draft.plain()), "uncovered")
    assert [g.message for g in gaps.values()] == [
        "Authentication and Authorization: no row for 'Order Service' (Internal System Integrations)"]
    assert gaps[AUTH_TABLE].severity == WARNING


def test_misspelled_and_unknown_keys_are_warnings_with_a_guess(schema) -> None:
    data = new_draft(schema).plain()
    data["meta"]["auther"] = "Ada"
    data["overveiw"] = {"summary": "x"}
    data["meta"]["reviewers"] = ["Bob"]
    data[SIGNOFF.split(".")[0]]["review_and_approval"]["security_reveiw"] = {"name": "x"}
    found = by_path(findings(schema, data), "unknown-key")
    assert found["meta.auther"].message == "unknown key 'auther' (kept as written; did you mean 'author'?)"
    assert found["overveiw"].message == "unknown section 'overveiw' (kept as written; did you mean 'overview'?)"
    assert found["meta.reviewers"].message == "unknown key 'reviewers' (kept as written)"
    assert f"{SIGNOFF}.security_reveiw" in found
    data[SIGNOFF.split(".")[0]]["review_and_approval"]["security_review"]["nmae"] = "Grace"  # not signed yet
    assert by_path(findings(schema, data), "unknown-key")[f"{SIGNOFF}.security_review.nmae"].message == (
        "unknown key 'nmae' (kept as written; did you mean 'name'?)")
    assert all(f.severity == WARNING for f in found.values())


def test_wrong_types_and_choices_are_invalid(schema) -> None:
    data = new_draft(schema).plain()
    data["meta"]["review_status"] = "DONE"
    data["external_system_integrations"] = [{"name": "X", "api_endpoints": "GET /x"}]
    found = by_path(findings(schema, data), "invalid")
    assert "'DONE' is not one of" in found["meta.review_status"].message
    assert "expected a list" in found["external_system_integrations.0.api_endpoints"].message


def test_complete_fixture_has_nothing_blocking(schema, complete_yaml: Path) -> None:
    data = read_plain(complete_yaml)
    found = findings(schema, data)
    assert not [f for f in found if f.blocking], found
    assert set(statuses(schema, data).values()) == {COMPLETE}


def test_findings_come_in_template_order(schema) -> None:
    draft = new_draft(schema, meta__sev_level="SEV-1")
    draft.set(f"{CHECKLIST}.performance_requirements_specified", "yes")
    draft.plain()
    order = [section.key for section in schema.sections]
    sections = [f.section for f in findings(schema, draft.plain())]
    assert sections == sorted(sections, key=order.index)


def test_statuses(schema) -> None:
    draft = new_draft(schema)
    assert statuses(schema, draft.plain())["overview"] == EMPTY
    draft.set("meta.feature_name", "Checkout")
    assert statuses(schema, draft.plain())["meta"] == PARTIAL
    draft.set("overview.summary", "Split payments.")
    assert statuses(schema, draft.plain())["overview"] == COMPLETE


# -- the rules come from the schema ---------------------------------------------------------------


@pytest.mark.parametrize("module", ["core/checks", "cli/check", "core/jsonschema_gen", "core/migrations",
                                    "core/templates"])
def test_no_template_field_is_named_in_python(schema, module: str) -> None:
    source = (Path(__file__).resolve().parent.parent / "intwizard" / f"{module}.py").read_text(encoding="utf-8")
    named = {node.key for node in schema.walk() if "_" in node.key} | {schema.level_field, "SEV-1", "SEV-2"}
    assert not [key for key in sorted(named) if f'"{key}"' in source or f"'{key}'" in source or f".{key}" in source]


def edited_template(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "template"
    shutil.copytree(builtin_template_dir(), folder)
    schema_file = folder / "schema.yaml"
    text = schema_file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    schema_file.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_required_at_follows_the_schema(tmp_path: Path) -> None:
    folder = edited_template(tmp_path, "            hint: Runbooks and troubleshooting guides\n",
                             "            hint: Runbooks and troubleshooting guides\n"
                             "            required_at: [SEV-3]\n")
    schema = load_schema(folder)
    path = "deployment_and_operations.operational_procedures.documentation"
    assert schema.node(path).required_for("SEV-3") and not schema.node(path).required_for("SEV-1")
    found = by_path(findings(schema, new_draft(schema, meta__sev_level="SEV-3").plain()), "required-at")
    assert found[path].message == "Documentation is required for SEV-3 specs"
    assert path not in by_path(findings(schema, new_draft(schema, meta__sev_level="SEV-1").plain()))


def test_a_template_without_level_field_has_no_level_rules(tmp_path: Path) -> None:
    folder = tmp_path / "template"
    shutil.copytree(builtin_template_dir(), folder)
    schema_file = folder / "schema.yaml"
    text = schema_file.read_text(encoding="utf-8").replace("level_field: meta.sev_level\n", "")
    schema_file.write_text(re.sub(r"\n *required_at: \[SEV-1, SEV-2\]", "", text), encoding="utf-8")
    schema = load_schema(folder)
    assert schema.level_field == ""
    found = findings(schema, new_draft(schema, meta__sev_level="SEV-1").plain())
    assert not by_path(found, "required-at")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("level_field: meta.sev_level", "level_field: meta.author", "level_field 'meta.author' must name a choice"),
    ("        required_at: [SEV-1, SEV-2]\n        na_allowed: false\n        help: What can go wrong",
     "        required_at: [SEV-1, SEV-5]\n        help: What can go wrong",
     "required_at level 'SEV-5' is not one of SEV-1, SEV-2, SEV-3, SEV-4"),
    ("requires: [integration_security.data_protection]", "requires: [integration_security.data_protectoin]",
     "requires unknown path 'integration_security.data_protectoin'"),
    ("covers: [external_system_integrations, internal_system_integrations]", "covers: [meta]",
     "covers 'meta', which is not a group"),
])
def test_schema_references_are_checked_with_a_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    folder = edited_template(tmp_path, old, new)
    with pytest.raises(SchemaError) as caught:
        load_schema(folder)
    error = caught.value
    assert message in error.message
    lines = (folder / "schema.yaml").read_text(encoding="utf-8").splitlines()
    assert error.line > 0
    # The line points at the node (or key) that holds the mistake.
    assert any(new.split("\n")[0].strip() in line for line in lines[error.line - 1: error.line + 12])
