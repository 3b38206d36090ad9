"""``intwizard catalog DIR``: every system once, with every spec that uses it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_support import run
from conftest import FIXTURES
from mermaid_support import needs_npm, parse


def _new(path: Path, *assignments: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    result = run("new", path, "--no-input", *(arg for a in assignments for arg in ("--set", a)))
    assert result.exit_code == 0, result.output


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    folder.mkdir()
    shutil.copy(FIXTURES / "complete.yaml", folder / "checkout.yaml")  # Paylane Payments API, api.paylane.example
    ext = "external_system_integrations.0"
    _new(folder / "refunds" / "refunds.yaml", "meta.feature_name=Refunds", f"{ext}.name=Paylane",
         f"{ext}.connection_details.base_url=https://api.paylane.example/v3", f"{ext}.criticality=HIGH",
         f"{ext}.type=REST API", f"{ext}.connection_details.authentication=API Key",
         "internal_system_integrations.0.name=order service")
    _new(folder / "payouts.yaml", "meta.feature_name=Merchant Payouts", f"{ext}.name=PAYLANE PAYMENTS API",
         f"{ext}.criticality=MEDIUM", "external_system_integrations.1.name=Ledgerly",
         "external_system_integrations.1.connection_details.base_url=https://ledgerly.example/api")
    hidden = folder / ".git" / "old.yaml"
    hidden.parent.mkdir()
    shutil.copy(FIXTURES / "complete.yaml", hidden)  # inside a hidden folder: not a spec of the catalogue
    (folder / "notes.yaml").write_text("just: some yaml\n", encoding="utf-8")  # not a draft
    return folder


def test_a_shared_system_is_named_once_with_all_its_users(specs: Path) -> None:
    result = run("catalog", specs)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "3 specs under" in out
    assert out.count("## Paylane Payments API\n") == 1
    assert "## Paylane\n" not in out and "## PAYLANE PAYMENTS API" not in out
    section = out.split("## Paylane Payments API\n", 1)[1].split("\n## ", 1)[0]
    assert "also called Paylane" in section and "`api.paylane.example`" in section
    assert "| Split Payments at Checkout | `checkout.yaml` | CRITICAL | REST API | OAuth 2.0 |" in section
    assert "| Refunds | `refunds/refunds.yaml` | HIGH | REST API | API Key | `https://api.paylane.example/v3` |" \
        in section
    assert "| Merchant Payouts | `payouts.yaml` | MEDIUM |" in section
    assert out.count("## Order Service\n") == 1  # "order service" in one spec, "Order Service" in another
    assert "## Ledgerly" in out and "## Shipwise Rates API" in out
    assert "old.yaml" not in out and "notes.yaml" not in out


def test_json_and_output_file(specs: Path, tmp_path: Path) -> None:
    target = tmp_path / "catalogue.json"
    result = run("catalog", specs, "-o", target, "--format", "json")
    assert result.exit_code == 0 and "Wrote" in result.output
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["drafts"] == ["checkout.yaml", "payouts.yaml", "refunds/refunds.yaml"]
    paylane = next(s for s in report["systems"] if s["name"] == "Paylane Payments API")
    assert sorted(use["feature"] for use in paylane["used_by"]) == ["Merchant Payouts", "Refunds",
                                                                    "Split Payments at Checkout"]
    assert paylane["groups"] == ["External System Integrations"]
    internal = next(s for s in report["systems"] if s["name"] == "Customer Profile Service")
    assert internal["used_by"][0]["authentication"] == "JWT"  # from the authentication table's row


def test_a_broken_draft_is_named_and_skipped(specs: Path) -> None:
    (specs / "broken.yaml").write_text("intwizard: {format: 1}\nmeta: [unclosed\n", encoding="utf-8")
    result = run("catalog", specs)
    assert result.exit_code == 2
    assert "broken.yaml:3" in result.output and "skipped" in result.output
    assert "## Paylane Payments API" in result.output


@needs_npm
def test_the_map_parses_with_mermaid(specs: Path) -> None:
    out = run("catalog", specs).output
    chart = out.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    assert chart.startswith("flowchart LR")
    assert parse(chart) == [{"ok": True, "type": "flowchart-v2"}]
