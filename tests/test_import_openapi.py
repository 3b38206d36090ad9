"""OpenAPI import: endpoints, base URL, authentication and data format filled into an integration."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from intwizard.core.draft import Draft
from intwizard.core.store import new_draft_file, read_plain
from intwizard.errors import InputError
from intwizard.importers.openapi import fill, load, targets

FIXTURES = Path(__file__).parent / "fixtures"
PETSTORE = FIXTURES / "openapi_petstore_expanded.yaml"
EVENTS = FIXTURES / "openapi_31_events.yaml"
SHAPES = FIXTURES / "openapi_shapes.json"
INVALID = FIXTURES / "openapi_invalid.yaml"
SPLIT = FIXTURES / "openapi_split.yaml"
CLI = [sys.executable, "-m", "intwizard"]


def imported(schema, spec: Path, name: str = "Shop API", draft: Draft | None = None) -> tuple[Draft, dict]:
    draft = draft or Draft.new(schema)
    fill(draft, load(spec), name, spec.name)
    data = draft.plain()
    [integration] = [i for i in data["external_system_integrations"] if i["name"].casefold() == name.casefold()]
    return draft, integration


def rows(integration: dict) -> list[tuple[str, str]]:
    return [(row["method"], row["endpoint"]) for row in integration["api_endpoints"]]


def test_petstore(schema) -> None:
    _, petstore = imported(schema, PETSTORE, "Petstore")
    assert rows(petstore) == [("GET", "/pets"), ("POST", "/pets"), ("GET", "/pets/{id}"), ("DELETE", "/pets/{id}")]
    first, second, _, delete = petstore["api_endpoints"]
    assert first["purpose"] == "Returns all pets from the system that the user has access to"
    assert first["request"] == "query tags?, limit?"  # optional query parameters marked
    assert first["response"] == "200 array of Pet"
    assert second["request"] == "body NewPet" and second["response"] == "200 Pet"
    assert delete == {"method": "DELETE", "endpoint": "/pets/{id}",
                      "purpose": "deletes a single pet based on the ID supplied",
                      "request": "path id", "response": "204 pet deleted"}
    assert petstore["connection_details"]["base_url"] == "https://petstore.swagger.io/v2"
    assert petstore["connection_details"]["authentication"] == ""  # the spec defines no security schemes
    assert petstore["type"] == "REST API"
    sketch = json.loads(petstore["data_exchange_format"])
    assert sketch == {"request_format": {"name": "string", "tag": "string"},
                      "response_format": {"name": "string", "tag": "string", "id": "integer"}}


def test_openapi_31_with_refs_to_refs_server_variables_and_several_schemes(schema) -> None:
    _, events = imported(schema, EVENTS, "Events")
    assert events["connection_details"]["base_url"] == "https://eu.events.example.com/v2"
    assert events["connection_details"]["authentication"] == "OAuth 2.0, Bearer token (JWT), API Key"
    get, put, post = events["api_endpoints"]
    # Path-level parameters (one of them a $ref) apply to every operation of the path.
    assert get["request"] == "path eventId; header X-Tenant"
    assert put["request"] == "path eventId; query dryRun?; header X-Tenant; body Event"
    assert get["response"] == "200 StoredEvent"  # a response $ref to a schema that is itself a $ref
    assert post["purpose"] == "Publish an event."  # the description's first line when there is no summary
    assert post["response"] == "201 Receipt"
    sketch = json.loads(events["data_exchange_format"])
    assert sketch["request_format"]["kind"] == "string"  # 3.1 type lists: [string, "null"]
    assert sketch["request_format"]["payload"]["children"] == ["Payload (recursive)"]


def test_json_spec_without_servers(schema) -> None:
    _, ledger = imported(schema, SHAPES, "Ledger")
    assert ledger["connection_details"]["base_url"] == ""
    assert ledger["connection_details"]["authentication"] == "Basic Auth"
    listing, add = ledger["api_endpoints"]
    assert listing["purpose"] == "listEntries"  # neither summary nor description: the operationId
    assert listing["request"] == "path id; query cursor?"  # the operation's id overrides the path's
    assert add == {"method": "POST", "endpoint": "/accounts/{id}/entries", "purpose": "Add an entry",
                   "request": "path id; body Entry", "response": "204 Stored"}


def test_refs_into_other_local_files(schema) -> None:
    _, split = imported(schema, SPLIT, "Orders")
    assert json.loads(split["data_exchange_format"])["request_format"] == {
        "id": "string", "lines": [{"sku": "string", "qty": "integer"}]}


def test_invalid_spec_reports_its_first_errors_with_lines() -> None:
    with pytest.raises(InputError) as caught:
        load(INVALID)
    message = str(caught.value)
    assert message.startswith(f"{INVALID}:2:1: invalid OpenAPI document")
    assert "line 2, at info: 'version' is a required property" in message
    assert "line 6, at paths > /things > get: 'responses' is a required property" in message


@pytest.mark.parametrize(("text", "expected"), [
    ("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", "Swagger 2.0: convert it to OpenAPI 3"),
    ("openapi: 4.0.0\n", "OpenAPI 4.0.0 is not supported"),
    ("- a list\n", "expected a mapping at the top"),
    ("openapi: 3.0.0\ninfo: [\n", "spec.yaml:"),
])
def test_unreadable_specs(tmp_path: Path, text: str, expected: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(spec)
    assert expected in str(caught.value)


def test_remote_refs_are_never_fetched(tmp_path: Path) -> None:
    spec = tmp_path / "remote.yaml"
    spec.write_text(SPLIT.read_text(encoding="utf-8").replace(
        "openapi_split_schemas.yaml#/Order", "https://schemas.invalid/order.yaml#/Order"), encoding="utf-8")
    with pytest.raises(InputError, match=r"remote \$ref 'https://schemas\.invalid/order\.yaml#/Order' is not fetched"):
        load(spec)


def test_rerun_updates_its_rows_and_keeps_the_users(schema, tmp_path: Path) -> None:
    spec = tmp_path / "petstore.yaml"
    shutil.copy(PETSTORE, spec)
    draft, _ = imported(schema, spec, "Petstore")
    base = "external_system_integrations.0"
    # The user edits one generated row, adds one of their own, and sets their own base URL.
    draft.set(f"{base}.api_endpoints.1.purpose", "Register a pet (we always send a tag)")
    draft.append_item(f"{base}.api_endpoints", None)
    draft.set(f"{base}.api_endpoints.4.method", "GET")
    draft.set(f"{base}.api_endpoints.4.endpoint", "/health")
    draft.set(f"{base}.connection_details.base_url", "https://pets.internal.example.com/v2")
    # The API changes: a summary is added, an operation removed, a new one added.
    text = spec.read_text(encoding="utf-8")
    text = text.replace("      description: deletes a single pet based on the ID supplied\n",
                        "      summary: Delete a pet\n")
    text = text.replace("  /pets/{id}:\n", "  /pets/{id}/photo:\n    get:\n      summary: Download the photo\n"
                        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n"
                        "      responses:\n        '200': {description: The photo}\n  /pets/{id}:\n")
    text = text.replace("    get:\n      description: Returns a user based on a single ID",
                        "    head:\n      description: Returns a user based on a single ID")
    spec.write_text(text, encoding="utf-8")
    fill(draft, load(spec), "Petstore", spec.name)
    second = fill(draft, load(spec), "Petstore", spec.name)  # and once more: nothing moves
    petstore = draft.plain()["external_system_integrations"][0]
    assert rows(petstore) == [("GET", "/pets"), ("POST", "/pets"), ("DELETE", "/pets/{id}"), ("GET", "/health"),
                              ("GET", "/pets/{id}/photo"), ("HEAD", "/pets/{id}")]
    assert petstore["api_endpoints"][1]["purpose"] == "Register a pet (we always send a tag)"
    assert petstore["api_endpoints"][2]["purpose"] == "Delete a pet"
    assert petstore["connection_details"]["base_url"] == "https://pets.internal.example.com/v2"
    assert (second.added, second.updated, second.removed) == (0, 0, 0)
    assert "POST /pets row" in second.kept
    assert any(kept.startswith("Base URL") for kept in second.kept)


def test_rows_already_in_the_draft_are_not_duplicated(schema) -> None:
    draft = Draft.new(schema)
    draft.set("external_system_integrations.0.name", "Petstore")
    draft.set("external_system_integrations.0.api_endpoints.0.method", "get")
    draft.set("external_system_integrations.0.api_endpoints.0.endpoint", "/pets")
    draft.set("external_system_integrations.0.api_endpoints.0.purpose", "Browse")
    _, petstore = imported(schema, PETSTORE, "petstore", draft)  # names match without regard to case
    assert rows(petstore).count(("GET", "/pets")) + rows(petstore).count(("get", "/pets")) == 1
    assert len(petstore["api_endpoints"]) == 4
    assert petstore["api_endpoints"][0]["purpose"] == "Browse"
    assert len(draft.plain()["external_system_integrations"]) == 1


def test_the_source_is_recorded(schema, tmp_path: Path) -> None:
    draft_path = tmp_path / "drafts" / "shop.yaml"
    draft_path.parent.mkdir()
    new_draft_file(draft_path, Draft.new(schema)).save()
    result = subprocess.run([*CLI, "import-openapi", str(PETSTORE), str(draft_path), "--integration", "Petstore"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Created integration 'Petstore': 4 endpoint rows added" in result.stderr
    [record] = read_plain(draft_path)["intwizard"]["sources"]
    assert record["integration"] == "Petstore"
    assert (draft_path.parent / record["path"]).resolve() == PETSTORE.resolve()
    assert record["api"] == "Swagger Petstore 1.0.0"
    assert len(record["rows"]) == 4
    again = subprocess.run([*CLI, "import-openapi", str(PETSTORE), str(draft_path), "--integration", "Petstore"],
                           capture_output=True, text=True)
    assert again.returncode == 0 and f"{draft_path} unchanged" in again.stderr
    check = subprocess.run([*CLI, "export", str(draft_path), "-o", "-"], capture_output=True, text=True)
    assert "| DELETE | `/pets/{id}` | deletes a single pet based on the ID supplied | path id | 204 pet deleted |" \
        in re.sub(r" {2,}", " ", check.stdout)  # cells are padded to their column's width


def test_invalid_spec_leaves_the_draft_untouched(schema, tmp_path: Path) -> None:
    draft_path = tmp_path / "shop.yaml"
    new_draft_file(draft_path, Draft.new(schema)).save()
    before = draft_path.read_bytes()
    result = subprocess.run([*CLI, "import-openapi", str(INVALID), str(draft_path), "--integration", "Broken"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "'version' is a required property" in result.stderr and "Traceback" not in result.stderr
    assert draft_path.read_bytes() == before
    assert not (tmp_path / "shop.yaml.bak").exists()


def test_targets_are_found_by_meaning(schema) -> None:
    found = targets(schema)
    assert found.group.key == "external_system_integrations"
    assert found.relative(found.endpoints) == "api_endpoints"
    assert set(found.values) == {"integration-type", "base-url", "authentication", "data-format"}


def test_a_moved_spec_updates_the_record(schema, tmp_path: Path) -> None:
    draft_path = tmp_path / "shop.yaml"
    new_draft_file(draft_path, Draft.new(schema)).save()
    first = tmp_path / "v1" / "petstore.yaml"
    first.parent.mkdir()
    shutil.copy(PETSTORE, first)
    for spec in (first, tmp_path / "petstore.yaml"):
        shutil.copy(PETSTORE, spec)
        result = subprocess.run([*CLI, "import-openapi", str(spec), str(draft_path), "--integration", "Petstore"],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    [record] = read_plain(draft_path)["intwizard"]["sources"]
    assert record["path"] == "petstore.yaml"


def test_a_relative_server_url_is_kept_and_pointed_out(schema, tmp_path: Path) -> None:
    spec = tmp_path / "relative.yaml"
    spec.write_text(PETSTORE.read_text(encoding="utf-8").replace("https://petstore.swagger.io/v2", "/v2"),
                    encoding="utf-8")
    draft = Draft.new(schema)
    outcome = fill(draft, load(spec), "Petstore", spec.name)
    assert draft.get("external_system_integrations.0.connection_details.base_url") == "/v2"
    assert any("relative" in note for note in outcome.notes)
