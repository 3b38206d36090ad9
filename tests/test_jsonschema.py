"""The JSON Schema of drafts: valid 2020-12, accepts real drafts, rejects wrong choices, types and keys."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from intwizard.cli import main
from intwizard.core.checks import findings
from intwizard.core.draft import Draft
from intwizard.core.jsonschema_gen import json_schema
from intwizard.core.store import read_plain


def as_json(value: Any) -> Any:
    """YAML data as an editor's YAML 1.2 parser hands it over (dates are strings)."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    from intwizard.core.schema import load_schema

    generated = json_schema(load_schema())
    Draft202012Validator.check_schema(generated)
    return Draft202012Validator(generated)


def errors(validator: Draft202012Validator, data: dict) -> dict[str, str]:
    return {".".join(str(p) for p in error.absolute_path): error.message for error in validator.iter_errors(data)}


def test_the_complete_fixture_validates(validator, complete_yaml: Path) -> None:
    assert errors(validator, as_json(read_plain(complete_yaml))) == {}


def test_a_new_draft_validates(validator, schema) -> None:
    assert errors(validator, as_json(Draft.new(schema).plain())) == {}


def test_blank_values_written_as_nothing_validate(validator, schema) -> None:
    data = as_json(Draft.new(schema).plain())
    data["meta"]["sev_level"] = None
    data["external_system_integrations"] = None
    data["validation_checklist"]["review_and_approval"]["security_review"]["date"] = None
    data["integration_architecture"]["integration_categories"]["external_apis"] = 8080  # YAML read a number
    assert errors(validator, data) == {}


def test_a_wrong_choice_is_reported(validator, complete_yaml: Path) -> None:
    data = as_json(read_plain(complete_yaml))
    data["meta"]["sev_level"] = "SEV-9"
    found = errors(validator, data)
    assert list(found) == ["meta.sev_level"]
    assert "'SEV-9' is not one of" in found["meta.sev_level"]


def test_free_text_choices_take_any_text(validator, complete_yaml: Path) -> None:
    data = as_json(read_plain(complete_yaml))
    data["external_system_integrations"][0]["type"] = "gRPC"
    assert errors(validator, data) == {}


@pytest.mark.parametrize(("change", "where", "message"), [
    (lambda d: d["next_steps"].update(create_integration_tests="yes"), "next_steps.create_integration_tests",
     "is not of type 'boolean', 'null'"),
    (lambda d: d.update(external_system_integrations={"name": "Paylane"}), "external_system_integrations",
     "is not of type 'array', 'null'"),
    (lambda d: d["external_system_integrations"][0].update(api_endpoints="GET /x"),
     "external_system_integrations.0.api_endpoints", "is not of type 'array', 'null'"),
    (lambda d: d["meta"].update(author=["Ada", "Bob"]), "meta.author", "is not of type"),
    (lambda d: d["meta"].update(created="28/11/2026"), "meta.created", "does not match"),
    (lambda d: d["meta"].update(author="Ada\nLovelace"), "meta.author", "does not match"),
    (lambda d: d["external_system_integrations"][0]["connection_details"].update(base_url="api.example.com"),
     "external_system_integrations.0.connection_details.base_url", "does not match"),
])
def test_a_wrong_type_is_reported(validator, complete_yaml: Path, change, where: str, message: str) -> None:
    data = as_json(read_plain(complete_yaml))
    change(data)
    found = errors(validator, data)
    assert list(found) == [where]
    assert message in found[where]


def test_a_misspelled_key_is_reported_here_and_as_a_warning_by_check(validator, schema, complete_yaml: Path) -> None:
    data = as_json(read_plain(complete_yaml))
    data["external_system_integrations"][1]["connection_details"]["rate_limit"] = "10/s"
    found = errors(validator, data)
    assert found == {"external_system_integrations.1.connection_details":
                     "Additional properties are not allowed ('rate_limit' was unexpected)"}
    check = [f for f in findings(schema, data) if f.rule == "unknown-key"]
    assert [(f.severity, f.path) for f in check] == [
        ("warning", "external_system_integrations.1.connection_details.rate_limit")]
    assert "did you mean 'rate_limits'?" in check[0].message


def test_allow_unknown_keys(schema, complete_yaml: Path) -> None:
    lenient = Draft202012Validator(json_schema(schema, allow_unknown_keys=True))
    data = as_json(read_plain(complete_yaml))
    data["team_notes"] = "anything"
    data["meta"]["reviewers"] = ["Bob"]
    assert errors(lenient, data) == {}
    data["meta"]["sev_level"] = "SEV-9"  # still checked
    assert list(errors(lenient, data)) == ["meta.sev_level"]


def test_every_template_node_is_described(schema) -> None:
    generated = json_schema(schema)

    def lookup(node_path: str) -> dict:
        current = generated
        for part in node_path.split("."):
            current = value_of(current)
            if "items" in current and "properties" not in current:
                current = current["items"]
            current = current["properties"][part]
        return value_of(current) | {"title": current["title"], **({"description": current["description"]}
                                                                  if "description" in current else {})}

    for node in schema.walk():
        parent = schema.node(node.path.rpartition(".")[0])
        if node.kind == "role" or (parent is not None and parent.kind == "signoff"):
            continue  # roles and their parts sit one level apart from their paths: looked up below
        described = lookup(node.path)
        assert described["title"] == node.label, node.path
        if node.kind == "choice" and not node.free_text:
            assert described["enum"][: len(node.options)] == list(node.options)
    signoff = lookup("validation_checklist.review_and_approval")
    assert signoff["properties"]["security_review"]["title"] == "Security Review"
    assert value_of(signoff["properties"]["security_review"]["properties"]["decision"])["enum"][:2] == [
        "Approved", "Rejected"]
    assert lookup("meta.review_status")["description"].startswith("One of: DRAFT")


def value_of(described: dict) -> dict:
    """A node's schema for its value, past the "not applicable" alternative every node has."""
    return described.get("else", described)


def test_not_applicable_answers_are_valid_for_fields_tables_and_sections(validator, complete_yaml: Path) -> None:
    data = as_json(read_plain(complete_yaml))
    data["integration_security"]["compliance_requirements"]["pci_dss"] = {"not_applicable": "no card data"}
    data["error_handling_and_resilience"]["failure_scenarios"] = {"not_applicable": "a batch job, nobody waits"}
    data["message_formats_and_protocols"]["data_serialization"] = {"not_applicable": "no messages"}
    data["internal_system_integrations"] = {"not_applicable": "talks to no internal service"}
    assert errors(validator, data) == {}
    data["integration_security"]["compliance_requirements"]["pci_dss"] = {"not_applicable": "x", "other": 1}
    assert list(errors(validator, data)) == ["integration_security.compliance_requirements.pci_dss"]


def test_schema_command_prints_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert printed["additionalProperties"] is False
    lenient = json.loads(CliRunner().invoke(main, ["schema", "--allow-unknown-keys"]).stdout)
    assert lenient["additionalProperties"] is True


def test_schema_command_follows_a_custom_template(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "tpl"
    assert runner.invoke(main, ["template", "copy", str(folder)]).exit_code == 0
    schema_file = folder / "schema.yaml"
    schema_file.write_text(schema_file.read_text(encoding="utf-8").replace(
        "options: [SEV-1, SEV-2, SEV-3, SEV-4]", "options: [SEV-1, SEV-2, SEV-3, SEV-4, SEV-5]"), encoding="utf-8")
    printed = json.loads(runner.invoke(main, ["schema", "--template", str(folder)]).stdout)
    assert value_of(printed["properties"]["meta"]["properties"]["sev_level"])["enum"][:5] == [
        "SEV-1", "SEV-2", "SEV-3", "SEV-4", "SEV-5"]
