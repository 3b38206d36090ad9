"""Recorded sources: `check --sources` notices drift, `refresh` takes it in, old records are migrated."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from intwizard.core.draft import Draft
from intwizard.core.store import new_draft_file, read_plain

FIXTURES = Path(__file__).parent / "fixtures"
CONTRACTS = FIXTURES / "contracts"
CLI = [sys.executable, "-m", "intwizard"]
TURN_ON = "smartylighting/streetlights/1/0/action/{streetlightId}/turn/on"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def imported(schema, tmp_path: Path, fixture: str = "streetlights-3.0.yaml", name: str = "Lights") -> tuple[Path, Path]:
    source = tmp_path / "api" / Path(fixture).name
    source.parent.mkdir(exist_ok=True)
    shutil.copy(CONTRACTS / fixture, source)
    draft = tmp_path / "spec.yaml"
    if not draft.exists():
        new_draft_file(draft, Draft.new(schema)).save()
    result = run("import-api", source, draft, "--integration", name)
    assert result.returncode == 0, result.stderr
    return source, draft


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_matching_sources_exit_0_and_nothing_is_written(schema, tmp_path: Path) -> None:
    _, draft = imported(schema, tmp_path)
    before = draft.read_bytes()
    result = run("check", "--sources", draft)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 source, all match the spec" in result.stdout
    assert draft.read_bytes() == before


def test_drift_names_the_operation_with_its_line_then_refresh_takes_it_in(schema, tmp_path: Path) -> None:
    source, draft = imported(schema, tmp_path)
    edit(source, "  turnOn:\n    action: send", "  turnOn:\n    action: receive")  # changed
    edit(source, "  dimLight:\n    action: send", "  dimmed:\n    action: send")  # same address: no drift
    edit(source, "  turnOff:\n    action: send\n", "  turnOff:\n    action: send\n    summary: Switch off.\n")
    before = draft.read_bytes()
    result = run("check", "--sources", draft)
    assert result.returncode == 1, result.stdout + result.stderr
    assert draft.read_bytes() == before
    lines = source.read_text(encoding="utf-8").splitlines()
    on_line = lines.index("  turnOn:") + 1
    off_line = lines.index("  turnOff:") + 1
    assert f"api/streetlights-3.0.yaml:{on_line}: operation RECEIVE {TURN_ON} is in the source but not in the " \
           "spec" in result.stdout
    assert f"operation SEND {TURN_ON} is no longer in the source but still in the spec" in result.stdout
    assert f"api/streetlights-3.0.yaml:{off_line}: operation SEND smartylighting/streetlights/1/0/action/" \
           "{streetlightId}/turn/off changed in the source: Purpose 'Command a particular streetlight to turn the " \
           "lights on or off.' -> 'Switch off.'" in result.stdout
    assert "dim" not in result.stdout
    as_json = run("check", "--sources", "--format", "json", draft)
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert report["blocking"] is True
    [found] = report["drafts"]
    assert sorted((d["drift"], d["operation"]) for d in found["drift"]) == [
        ("added", f"RECEIVE {TURN_ON}"), ("changed", "SEND smartylighting/streetlights/1/0/action/{streetlightId}/"
                                                     "turn/off"), ("removed", f"SEND {TURN_ON}")]
    refreshed = run("refresh", draft)
    assert refreshed.returncode == 0, refreshed.stderr
    assert "1 endpoint rows added, 1 updated, 1 removed" in refreshed.stderr
    after = run("check", "--sources", draft)
    assert after.returncode == 0, after.stdout
    again = run("refresh", draft)
    assert f"{draft} unchanged" in again.stderr


def test_authors_rows_and_values_survive_refresh_and_are_not_drift(schema, tmp_path: Path) -> None:
    source, draft = imported(schema, tmp_path)
    assert run("set", draft, "external_system_integrations.0.api_endpoints.1.purpose=Lights on (ours)",
               "external_system_integrations.0.connection_details.base_url=mqtt://staging.example:1883").returncode == 0
    assert run("check", "--sources", draft).returncode == 0  # the source did not change: no drift
    edit(source, "host: 'test.mosquitto.org:{port}'", "host: 'broker.example.org:{port}'")
    result = run("check", "--sources", draft)
    assert result.returncode == 1
    assert "Base URL changed in the source: 'mqtt://broker.example.org:1883' (was " \
           "'mqtt://test.mosquitto.org:1883'), the spec says 'mqtt://staging.example:1883'" in result.stdout
    assert run("refresh", draft).returncode == 0
    lights = read_plain(draft)["external_system_integrations"][0]
    assert lights["connection_details"]["base_url"] == "mqtt://staging.example:1883"
    assert lights["api_endpoints"][1]["purpose"] == "Lights on (ours)"
    assert run("check", "--sources", draft).returncode == 0


def test_a_missing_or_broken_source_is_an_error(schema, tmp_path: Path) -> None:
    source, draft = imported(schema, tmp_path)
    edit(source, "action: receive", "action: publish")
    broken = run("check", "--sources", draft)
    assert broken.returncode == 1
    assert "cannot read the source (line 101)" in broken.stdout and "'publish' is not one of" in broken.stdout
    before = draft.read_bytes()
    refused = run("refresh", draft)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert draft.read_bytes() == before
    source.unlink()
    missing = run("check", "--sources", "--format", "json", draft)
    assert missing.returncode == 1
    [found] = json.loads(missing.stdout)["drafts"][0]["drift"]
    assert found["drift"] == "missing" and found["source"] == "api/streetlights-3.0.yaml"


def test_several_sources_each_checked(schema, tmp_path: Path) -> None:
    imported(schema, tmp_path)
    source, draft = imported(schema, tmp_path, "rpc-3.0.yaml", "Pricing")
    edit(source, "address: pricing.quote.requests", "address: pricing.quotes")
    result = run("check", "--sources", draft)
    assert result.returncode == 1
    assert "2 drifts in 1 source" in result.stdout
    assert "Pricing (api/rpc-3.0.yaml, asyncapi)" in result.stdout and "Lights (" not in result.stdout


def test_plain_check_is_unchanged_by_sources(schema, tmp_path: Path) -> None:
    source, draft = imported(schema, tmp_path)
    source.unlink()
    assert "source" not in run("check", draft).stdout


def test_old_openapi_records_are_migrated(tmp_path: Path) -> None:
    draft = tmp_path / "old.yaml"
    shutil.copy(CONTRACTS / "old-openapi-record.yaml", draft)
    shutil.copy(FIXTURES / "openapi_petstore_expanded.yaml", tmp_path / "petstore.yaml")
    before = draft.read_bytes()
    check = run("check", "--sources", draft)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "intwizard.openapi -> intwizard.sources (1 source)" in check.stderr
    assert draft.read_bytes() == before  # read-only: upgraded in memory
    edit(tmp_path / "petstore.yaml", "operationId: deletePet", "operationId: deletePet\n      summary: Delete one pet")
    drifted = run("check", "--sources", draft)
    assert drifted.returncode == 1 and "DELETE /pets/{id} changed in the source" in drifted.stdout
    assert run("refresh", draft).returncode == 0
    text = draft.read_text(encoding="utf-8")
    assert "  sources:   # what import-openapi wrote\n    - path: petstore.yaml\n      kind: openapi\n" in text
    assert "openapi:" not in text.split("meta:")[0]
    assert run("check", "--sources", draft).returncode == 0


def test_changed_authentication_is_drift(schema, tmp_path: Path) -> None:
    source, draft = imported(schema, tmp_path, "rpc-3.0.yaml", "Pricing")
    assert read_plain(draft)["external_system_integrations"][0]["connection_details"]["authentication"] == ""
    edit(source, "    protocol: kafka\n", "    protocol: kafka\n    security:\n      - $ref: "
                 "'#/components/securitySchemes/sasl'\n")
    edit(source, "components:\n", "components:\n  securitySchemes:\n    sasl:\n      type: scramSha512\n")
    line = source.read_text(encoding="utf-8").splitlines().index("  securitySchemes:") + 1
    result = run("check", "--sources", draft)
    assert result.returncode == 1
    assert f"api/rpc-3.0.yaml:{line}: Authentication changed in the source: 'SASL SCRAM-SHA-512', the spec " \
           "says ''" in result.stdout
    assert run("refresh", draft).returncode == 0
    pricing = read_plain(draft)["external_system_integrations"][0]
    assert pricing["connection_details"]["authentication"] == "SASL SCRAM-SHA-512"
    assert run("check", "--sources", draft).returncode == 0


def test_a_renamed_integration_is_reported_and_taken_over_by_the_next_import(schema, tmp_path: Path) -> None:
    source, draft = imported(schema, tmp_path)
    assert run("set", draft, "external_system_integrations.0.name=Streetlights").returncode == 0
    gone = run("check", "--sources", draft)
    assert gone.returncode == 1 and "the spec has no integration 'Lights' any more" in gone.stdout
    refreshed = run("refresh", draft)
    assert refreshed.returncode == 0 and "not imported: the draft has no integration 'Lights' any more" \
        in refreshed.stderr
    assert [i["name"] for i in read_plain(draft)["external_system_integrations"]] == ["Streetlights"]
    assert run("import-api", source, draft, "--integration", "Streetlights").returncode == 0
    [record] = read_plain(draft)["intwizard"]["sources"]
    assert record["integration"] == "Streetlights"
    assert len(read_plain(draft)["external_system_integrations"][0]["api_endpoints"]) == 4  # none twice
    assert run("check", "--sources", draft).returncode == 0


def test_a_source_outside_the_drafts_repository_is_not_read(schema, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # what marks a work tree
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text("asyncapi: 3.0.0\nsecret: [unclosed\n", encoding="utf-8")
    shutil.copy(CONTRACTS / "streetlights-3.0.yaml", repo / "lights.yaml")
    draft = repo / "spec.yaml"
    new_draft_file(draft, Draft.new(schema)).save()
    assert run("import-api", repo / "lights.yaml", draft, "--integration", "Lights").returncode == 0
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("path: lights.yaml", "path: ../elsewhere.yaml"), encoding="utf-8")
    result = run("check", "--sources", draft)
    assert result.returncode == 1
    assert "is outside the repository that holds the draft" in result.stdout and "unclosed" not in result.stdout
    before = draft.read_bytes()
    refused = run("refresh", draft)
    assert refused.returncode == 2 and "outside the repository" in refused.stderr
    assert draft.read_bytes() == before
