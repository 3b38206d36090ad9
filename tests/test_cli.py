"""The command line: exit codes, messages, and files left alone when something is wrong."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import run

from intwizard.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", path)
    return path


def test_new_no_input_creates_a_named_draft(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "--no-input", "--set", "meta.feature_name=Split Payments",
                 "--set", "meta.sev_level=sev-2")
    assert result.exit_code == 0, result.output
    created = tmp_path / "split-payments.yaml"
    assert created.exists()
    text = created.read_text()
    assert "feature_name: Split Payments" in text
    assert "sev_level: SEV-2" in text  # matched to the template's spelling
    assert f"created: {dt.date.today().isoformat()}" in text
    assert "# Resume: intwizard resume split-payments.yaml" in text


def test_new_without_a_feature_name_uses_the_default_name(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("new", "--no-input").exit_code == 0
    assert (tmp_path / "integration-points.yaml").exists()


def test_new_refuses_to_overwrite(draft: Path) -> None:
    before = draft.read_bytes()
    result = run("new", draft, "--no-input")
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert draft.read_bytes() == before


def test_new_without_a_terminal_points_at_no_input(tmp_path: Path) -> None:
    result = run("new", tmp_path / "x.yaml")
    assert result.exit_code == 2
    assert "--no-input --set" in result.output and "intwizard set" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_set_and_get(draft: Path) -> None:
    result = run("set", draft, "external_system_integrations.2.name=Ledgerly",
                 "external_system_integrations.2.connection_details.base_url=https://api.ledgerly.example")
    assert result.exit_code == 0, result.output
    assert run("get", draft, "external_system_integrations.2.name").output == "Ledgerly\n"
    assert run("get", draft, "meta.created").output == "2026-10-05\n"
    rows = run("get", draft, "external_system_integrations.1.api_endpoints").output
    assert rows.startswith("- method: POST\n  endpoint: /quotes\n")


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("meta.sev_level=SEV-9", "'SEV-9' is not one of: SEV-1, SEV-2, SEV-3, SEV-4"),
        ("meta.created=last tuesday", "is not a date (use YYYY-MM-DD)"),
        ("meta.nickname=x", "unknown key 'nickname' in meta"),
        ("external_system_integrations.9.name=x", "index 9 is past the end"),
        ("external_system_integrations.0.connection_details.base_url=not a url", "a URL has no spaces"),
        ("external_system_integrations.0.data_exchange_format={bad json", "invalid JSON at line 1"),
        ("next_steps.create_integration_tests=maybe", "expected yes or no"),
        ("meta=x", "is a section"),
        ("no-equals-sign", "is not KEY=VALUE"),
    ],
)
def test_set_refuses_bad_keys_and_values_and_changes_nothing(draft: Path, assignment, message) -> None:
    before = draft.read_bytes()
    result = run("set", draft, "meta.author=Changed", assignment)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert draft.read_bytes() == before  # all or nothing: the valid author change is not written either


def test_set_to_the_current_value_leaves_the_file_untouched(draft: Path) -> None:
    mtime = draft.stat().st_mtime_ns
    result = run("set", draft, "meta.author=Priya Raman")
    assert result.exit_code == 0
    assert "unchanged" in result.output
    assert draft.stat().st_mtime_ns == mtime


def test_export_default_output_and_stdout(draft: Path) -> None:
    result = run("export", draft)
    assert result.exit_code == 0
    assert draft.with_suffix(".md").read_text() == (FIXTURES / "complete.md").read_text()
    assert f"Wrote {draft.with_suffix('.md')}" in result.output
    stdout = run("export", draft, "-o", "-")
    assert stdout.output.startswith("# Integration Points - Split Payments at Checkout\n")


def test_export_refuses_to_overwrite_the_draft(draft: Path) -> None:
    result = run("export", draft, "-o", draft)
    assert result.exit_code == 2
    assert draft.read_bytes() == (FIXTURES / "complete.yaml").read_bytes()


def test_errors_name_file_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("meta:\n  author: 'unclosed\n")
    for args in (("export", broken), ("get", broken, "meta.author"), ("set", broken, "meta.author=x")):
        result = run(*args)
        assert result.exit_code == 2
        assert result.output.startswith(f"intwizard: error: {broken}:3:1: invalid YAML")
    missing = run("export", tmp_path / "nope.yaml")
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_every_command_has_help() -> None:
    assert run("--help").exit_code == 0
    for name in main.commands:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.output


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and "intwizard, version" in result.output


def test_python_dash_m_runs_the_cli(draft: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "intwizard", "get", str(draft), "meta.author"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout == "Priya Raman\n"
    usage = subprocess.run([sys.executable, "-m", "intwizard", "export"], capture_output=True, text=True, check=False)
    assert usage.returncode == 2 and "Missing argument" in usage.stderr
