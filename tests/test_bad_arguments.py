"""Bad arguments and odd drafts: exit 2, one clear line naming the argument or the file (with line and
column where they exist), nothing written, and user values printed with their control characters and
bidirectional overrides escaped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli_support import run

FIXTURES = Path(__file__).parent / "fixtures"


def files(folder: Path) -> dict[str, bytes]:
    return {entry.name: entry.read_bytes() for entry in folder.iterdir() if entry.is_file()}


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", path)
    return path


def refused(result, start: str) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start), result.stderr
    return lines[0]


@pytest.mark.parametrize("command", [["set", "meta.author=X"], ["get", "meta.author"], ["export"], ["check"]])
def test_a_number_past_pythons_digit_limit(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("meta:\n  author: Ada\n  sev_level: " + "9" * 5000 + "\n")
    before = files(tmp_path)
    line = refused(run(command[0], path, *command[1:]), f"intwizard: error: {path}:3:14: a number of more than")
    assert "4,300 digits" in line
    assert files(tmp_path) == before


@pytest.mark.parametrize("command", [["set", "meta.author=X"], ["get", "meta.author"], ["export"], ["check"]])
def test_a_lone_surrogate_escape_is_refused(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "surrogate.yaml"
    path.write_text('meta:\n  author: "Ada \\ud800"\n')
    before = files(tmp_path)
    result = run(command[0], path, *command[1:])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"intwizard: error: {path}:2:"), result.stderr
    assert files(tmp_path) == before


def test_a_non_utf8_value_is_refused(draft: Path) -> None:
    before = files(draft.parent)
    line = refused(run("set", draft, "meta.author=A\udcffB"), "intwizard: error: KEY=VALUE... 'meta.author=A\\xffB'")
    assert "not UTF-8" in line and "Saved" not in line
    assert files(draft.parent) == before


def test_a_non_utf8_file_name_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    refused(run("new", "bad\udcff.yaml", "--no-input"), "intwizard: error: DRAFT 'bad\\xff.yaml' is not UTF-8")
    assert list(tmp_path.iterdir()) == []


def test_a_non_utf8_option_names_the_option(draft: Path) -> None:
    refused(run("export", draft, "-o", "out\udcff.md"), "intwizard: error: -o 'out\\xff.md' is not UTF-8")


def test_get_escapes_terminal_controls(draft: Path) -> None:
    value = "Eve\x1b[2J\x1b]0;owned\x07 \u202eevil\u2066"
    assert run("set", draft, f"meta.author={value}").exit_code == 0
    result = run("get", draft, "meta.author")
    assert result.exit_code == 0
    assert result.stdout == "Eve\\x1b[2J\\x1b]0;owned\\x07 \\u202eevil\\u2066\n"
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    part = run("get", draft, "meta")  # a part of the draft, as YAML
    assert "\x1b" not in part.stdout and "\u202e" not in part.stdout and "\x07" not in part.stdout


def test_check_escapes_terminal_controls_and_keeps_json_valid(draft: Path) -> None:
    draft.write_text(draft.read_text().replace("Priya Raman", '"Priya\\e[31m \\u202eRaman\\x85"').replace(
        "https://api.paylane.example/v2", '"ftp://\\u202eexample\\e[31m"'))
    for output in (run("check", draft).stdout, run("check", draft, "--format", "json").stdout):
        assert "\x1b" not in output and "\u202e" not in output and "\x85" not in output
    report = run("check", draft, "--format", "json").stdout
    json.loads(report)
    assert "\\u202e" in report  # JSON's own escape: the value is still there for a program reading it


def test_a_control_character_in_the_file_is_located(draft: Path) -> None:
    draft.write_bytes(draft.read_bytes().replace(b"Priya Raman", b"Priya \x1b[31mRaman"))
    line = refused(run("get", draft, "meta.author"), f"intwizard: error: {draft}:")
    assert "U+001B" in line and line.removeprefix(f"intwizard: error: {draft}:").split(":")[0].isdigit()


def test_errors_escape_the_value_they_quote(draft: Path) -> None:
    result = run("set", draft, "meta.sev_level=\x1b[31mSEV-9\u202e")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "\\x1b[31mSEV-9\\u202e" in result.stderr


@pytest.mark.parametrize("command", [["set", "external_system_integrations.0.connection_details.base_url=http://[::1"],
                                     ["check"]])
def test_a_broken_ipv6_url_is_a_clean_error(draft: Path, command: list[str]) -> None:
    if command[0] == "check":
        draft.write_text(draft.read_text().replace("https://api.paylane.example/v2", "http://[::1"))
    result = run(command[0], draft, *command[1:])
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert "http://[::1" in result.output


def test_import_refuses_a_draft_intwizard_could_not_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is lowered here: a real 20,000-integration document takes minutes to import."""
    import intwizard.core.store as store

    source = tmp_path / "spec.md"
    shutil.copy(FIXTURES / "handmade" / "checkout-split.md", source)  # unaligned tables: its draft is bigger
    monkeypatch.setattr(store, "MAX_DRAFT_BYTES", source.stat().st_size + 10)  # the draft is bigger
    line = refused(run("import", source), f"intwizard: error: {tmp_path / 'spec.yaml'}: the draft would be")
    assert "at most" in line and "nothing was written" in line
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["spec.md"]


def test_markdown_import_errors_speak_of_markdown(tmp_path: Path) -> None:
    source = tmp_path / "binary.md"
    source.write_bytes(b"# Title\x00\x01\x02")
    line = refused(run("import", source), f"intwizard: error: {source}: this is a binary file, not a Markdown")
    assert "YAML" not in line
    latin = tmp_path / "latin.md"
    latin.write_bytes("# Caf\xe9\n".encode("latin-1"))
    assert "YAML" not in refused(run("import", latin), f"intwizard: error: {latin}:1:")
