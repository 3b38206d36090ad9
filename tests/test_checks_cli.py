"""``intwizard check`` and ``intwizard export --check``: output formats, exit codes, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_support import run

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def complete(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", path)
    return path


@pytest.fixture
def sparse(tmp_path: Path) -> Path:
    path = tmp_path / "sparse.yaml"
    result = run("new", path, "--no-input", "--set", "meta.sev_level=SEV-1", "--set", "meta.author=Ada")
    assert result.exit_code == 0, result.output
    return path


# -- check ----------------------------------------------------------------------------------------


def test_check_lists_findings_by_section_and_exits_1(sparse: Path) -> None:
    result = run("check", sparse)
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith(f"{sparse}: 8 errors, 0 warnings\n")  # Monitoring and Alerting is one
    assert "\nDocument Information\n  error    meta.feature_name: Feature Name is required\n" in out
    assert ("\nError Handling and Resilience\n  error    error_handling_and_resilience.failure_scenarios: "
            "Failure Scenarios has no rows for SEV-1 specs\n") in out
    # Sections come in template order.
    assert out.index("Document Information") < out.index("Overview") < out.index("Validation Checklist")
    assert "meta.author" not in out


def test_check_of_a_complete_draft_exits_0(complete: Path) -> None:
    result = run("check", complete)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{complete}: nothing to fix")


def test_warnings_alone_do_not_block(complete: Path) -> None:
    text = complete.read_text(encoding="utf-8").replace("  author: Priya Raman\n",
                                                        "  author: Priya Raman\n  auther: typo\n")
    complete.write_text(text, encoding="utf-8")
    result = run("check", complete)
    assert result.exit_code == 0
    assert "warning  meta.auther: unknown key 'auther' (kept as written; did you mean 'author'?)" in result.stdout


def test_check_json(sparse: Path, complete: Path) -> None:
    result = run("check", "--format", "json", sparse, complete)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["blocking"] is True
    first, second = report["drafts"]
    assert first["draft"] == str(sparse) and first["errors"] == 8 and first["blocking"] is True
    assert first["template"] == "integration-points" and first["template_version"] == 1
    assert {"section": "meta", "path": "meta.feature_name", "severity": "error", "rule": "required",
            "message": "Feature Name is required", "section_label": "Document Information"} in first["findings"]
    assert second["errors"] == 0 and second["blocking"] is False


def test_check_json_of_a_clean_draft_exits_0(complete: Path) -> None:
    result = run("check", complete, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["blocking"] is False


def test_check_with_nothing_to_fix(tmp_path: Path) -> None:
    # A custom template with one optional field: an empty draft has nothing to fix.
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "schema.yaml").write_text(
        "template: tiny\nversion: 1\nsections:\n  - key: notes\n    label: Notes\n    fields:\n"
        "      - {key: text, label: Text, kind: text}\n", encoding="utf-8")
    draft = tmp_path / "d.yaml"
    draft.write_text("notes:\n  text: ''\n", encoding="utf-8")
    result = run("check", draft, "--template", folder)
    assert result.exit_code == 0
    assert result.stdout == f"{draft}: nothing to fix\n"


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    ("meta: [unclosed\n", ":2:1: invalid YAML"),
    ("- a list\n", "a draft is a YAML mapping"),
])
def test_check_input_errors_exit_2(tmp_path: Path, content: str | None, message: str) -> None:
    draft = tmp_path / "bad.yaml"
    if content is not None:
        draft.write_text(content, encoding="utf-8")
    result = run("check", draft)
    assert result.exit_code == 2
    assert message in result.stderr and str(draft) in result.stderr
    assert "Traceback" not in result.output


def test_check_with_a_missing_template_folder_exits_2(complete: Path, tmp_path: Path) -> None:
    result = run("check", complete, "--template", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "no schema.yaml in this folder" in result.stderr


def test_skip_non_drafts_skips_files_that_are_not_drafts(complete: Path, tmp_path: Path) -> None:
    other = tmp_path / "docker-compose.yaml"
    other.write_text("services:\n  web:\n    image: nginx\n", encoding="utf-8")
    as_draft = run("check", complete, other)  # checked as a draft: unknown keys, missing fields
    assert as_draft.exit_code == 1
    assert "\nOther\n  warning  services: unknown section 'services' (kept as written)\n" in as_draft.stdout
    result = run("check", "--skip-non-drafts", complete, other)
    assert result.exit_code == 0
    assert str(other) not in result.stdout


def test_export_skip_non_drafts_takes_markdown_for_its_draft(complete: Path, tmp_path: Path) -> None:
    out = complete.with_suffix(".md")
    run("export", complete)
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n", encoding="utf-8")
    out.write_text(out.read_text(encoding="utf-8").replace("Priya Raman", "P. Raman"), encoding="utf-8")
    # The draft and its Markdown both staged: compared once; other Markdown is skipped.
    result = run("export", "--check", "--skip-non-drafts", out, complete, notes)
    assert result.exit_code == 1
    assert result.stdout.count(f"--- {out}\n") == 1
    assert str(notes) not in result.output
    assert run("export", "--check", "--skip-non-drafts", notes).exit_code == 0
    # Without --check it exports the draft the Markdown stands for.
    assert run("export", "--skip-non-drafts", out).exit_code == 0
    assert "P. Raman" not in out.read_text(encoding="utf-8")
    assert run("check", "--skip-non-drafts", out).stdout == ""  # check takes drafts only


def test_a_draft_with_a_byte_order_mark_is_a_draft(tmp_path: Path) -> None:
    draft = tmp_path / "bom.yaml"
    draft.write_bytes(b"\xef\xbb\xbfintwizard:\n  format: 1\nmeta:\n  author: ''\n")
    result = run("check", "--skip-non-drafts", draft)
    assert result.exit_code == 1
    assert "meta.author: Author is required" in result.stdout


def test_a_broken_draft_is_still_a_draft_for_skip_non_drafts(complete: Path) -> None:
    complete.write_text(complete.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    result = run("check", "--skip-non-drafts", complete)
    assert result.exit_code == 2
    assert "invalid YAML" in result.stderr


def test_check_warns_when_the_draft_was_made_with_another_template(complete: Path) -> None:
    text = complete.read_text(encoding="utf-8")
    complete.write_text(text.replace("template: integration-points", "template: adr"), encoding="utf-8")
    result = run("check", complete)
    assert "warning: " in result.stderr
    assert "made with template 'adr', read with template 'integration-points'" in result.stderr
    complete.write_text(text.replace("template_version: 1", "template_version: 7"), encoding="utf-8")
    result = run("check", complete)
    assert "made with template version 7, newer than this one (1)" in result.stderr


# -- export --check -------------------------------------------------------------------------------


def test_export_check_passes_when_the_markdown_is_current(complete: Path) -> None:
    out = complete.with_suffix(".md")
    assert run("export", complete, "-o", out).exit_code == 0
    before = out.stat().st_mtime_ns, out.read_bytes()
    result = run("export", complete, "-o", out, "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert (out.stat().st_mtime_ns, out.read_bytes()) == before
    assert run("export", complete, "--check").exit_code == 0  # default OUT: DRAFT with .md


def test_export_check_prints_a_diff_and_writes_nothing(complete: Path) -> None:
    out = complete.with_suffix(".md")
    run("export", complete, "-o", out)
    stale = out.read_text(encoding="utf-8")
    text = complete.read_text(encoding="utf-8").replace("author: Priya Raman", "author: Ada Lovelace")
    complete.write_text(text, encoding="utf-8")
    result = run("export", complete, "-o", out, "--check")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {out}\n+++ {out} (exported from {complete})\n@@ ")
    assert "\n-**Author**: Priya Raman  \n" in result.stdout
    assert "\n+**Author**: Ada Lovelace  \n" in result.stdout
    assert f"{out} is out of date" in result.stderr
    assert out.read_text(encoding="utf-8") == stale
    assert not list(complete.parent.glob("*.bak"))


def test_export_check_when_the_markdown_is_missing(complete: Path) -> None:
    out = complete.with_suffix(".md")
    result = run("export", complete, "--check")
    assert result.exit_code == 1
    assert "does not exist" in result.stdout
    assert not out.exists()


def test_export_check_ignores_crlf_line_ends(complete: Path) -> None:
    out = complete.with_suffix(".md")
    run("export", complete)
    out.write_bytes(out.read_bytes().replace(b"\n", b"\r\n"))
    assert run("export", complete, "--check").exit_code == 0


def test_export_check_refuses_stdout(complete: Path) -> None:
    result = run("export", complete, "-o", "-", "--check")
    assert result.exit_code == 2
    assert "--check compares with a file" in result.stderr


def test_export_several_drafts(complete: Path, tmp_path: Path) -> None:
    second = tmp_path / "second.yaml"
    shutil.copy(complete, second)
    assert run("export", complete, second).exit_code == 0
    assert complete.with_suffix(".md").exists() and second.with_suffix(".md").exists()
    second.write_text(second.read_text(encoding="utf-8").replace("Priya Raman", "Ada"), encoding="utf-8")
    result = run("export", "--check", complete, second)
    assert result.exit_code == 1
    assert f"--- {second.with_suffix('.md')}" in result.stdout
    assert f"--- {complete.with_suffix('.md')}" not in result.stdout
    result = run("export", complete, second, "-o", tmp_path / "x.md")
    assert result.exit_code == 2
    assert "-o works with one DRAFT" in result.stderr


@pytest.mark.parametrize("args", [["check", str(FIXTURES / "complete.yaml")], ["schema"],
                                  ["export", "--check", str(FIXTURES / "complete.yaml"),
                                   "-o", str(FIXTURES / "complete.md")]])
def test_repo_commands_import_no_ui_library(args: list[str]) -> None:
    import subprocess
    import sys

    code = ("import contextlib, io, sys\nfrom intwizard.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try:\n        main({args!r})\n"
            "    except SystemExit as exit:\n        assert not exit.code, exit.code\n"
            "print(sorted({m.split('.')[0] for m in sys.modules}))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "'click'" in loaded
    assert [name for name in ("textual", "questionary", "prompt_toolkit") if f"'{name}'" in loaded] == []
