"""Custom templates: ``template copy``, ``--template`` on every command, errors with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import run

from intwizard.core.schema import builtin_template_dir

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    folder = tmp_path / "our-template"
    result = run("template", "copy", folder)
    assert result.exit_code == 0, result.output
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_copy_writes_the_builtin_template(copied: Path) -> None:
    source = builtin_template_dir()
    for name in ("schema.yaml", "document.md.j2"):
        assert (copied / name).read_bytes() == (source / name).read_bytes()


def test_copy_never_overwrites(copied: Path) -> None:
    edit(copied / "schema.yaml", "label: Overview\n", "label: Summary of the Feature\n")
    result = run("template", "copy", copied)
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert "label: Summary of the Feature" in (copied / "schema.yaml").read_text(encoding="utf-8")


def test_copy_into_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    assert run("template", "copy", target).exit_code == 2


def test_copy_of_a_copy(copied: Path, tmp_path: Path) -> None:
    edit(copied / "schema.yaml", "label: Overview\n", "label: Summary of the Feature\n")
    second = tmp_path / "second"
    assert run("template", "copy", second, "--template", copied).exit_code == 0
    assert "label: Summary of the Feature" in (second / "schema.yaml").read_text(encoding="utf-8")


def test_an_edited_heading_is_exported(copied: Path, tmp_path: Path) -> None:
    edit(copied / "schema.yaml", "label: Overview\n", "label: Summary of the Feature\n")
    draft = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", draft)
    result = run("export", draft, "-o", "-", "--template", copied)
    assert result.exit_code == 0, result.output
    assert "\n## Summary of the Feature\n" in result.stdout
    assert "\n## Overview\n" not in result.stdout
    builtin = run("export", draft, "-o", "-").stdout
    assert "\n## Overview\n" in builtin


def test_an_edited_layout_is_exported_and_stays_sandboxed(copied: Path, tmp_path: Path) -> None:
    draft = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", draft)
    document = copied / "document.md.j2"
    document.write_text("Spec by {{ draft.meta.author }}\n" + document.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("export", draft, "-o", "-", "--template", copied).stdout.startswith("Spec by Priya Raman")
    document.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    result = run("export", draft, "-o", "-", "--template", copied)
    assert result.exit_code == 2
    assert "unsafe" in result.stderr


def test_new_check_set_and_get_use_the_custom_template(copied: Path, tmp_path: Path) -> None:
    edit(copied / "schema.yaml", "options: [SEV-1, SEV-2, SEV-3, SEV-4]",
         "options: [SEV-1, SEV-2, SEV-3, SEV-4, SEV-5]")
    edit(copied / "schema.yaml", "template: integration-points\n", "template: our-integration-points\n")
    draft = tmp_path / "spec.yaml"
    result = run("new", draft, "--no-input", "--set", "meta.sev_level=SEV-5", "--template", copied)
    assert result.exit_code == 0, result.output
    assert "template: our-integration-points" in draft.read_text(encoding="utf-8")
    assert run("get", draft, "meta.sev_level", "--template", copied).stdout == "SEV-5\n"
    assert run("set", draft, "meta.sev_level=SEV-5", "--template", copied).exit_code == 0
    found = run("check", draft, "--template", copied).stdout
    assert "meta.sev_level" not in found
    # The built-in template knows no SEV-5, and says the draft was made with another template.
    builtin = run("check", draft)
    assert "'SEV-5' is not one of" in builtin.stdout
    assert "made with template 'our-integration-points', read with template 'integration-points'" in builtin.stderr


def test_export_warns_when_the_template_differs(copied: Path, tmp_path: Path) -> None:
    draft = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", draft)
    edit(copied / "schema.yaml", "template: integration-points\nversion: 1\n",
         "template: integration-points\nversion: 3\n")
    result = run("export", draft, "-o", "-", "--template", copied)
    assert result.exit_code == 0
    assert "made with template version 1; there is no upgrade from it to 2" in result.stderr
    assert run("export", draft, "-o", "-").stderr == ""


@pytest.mark.parametrize("command", ["check", "export", "get", "set"])
def test_a_schema_error_is_reported_with_file_and_line(copied: Path, tmp_path: Path,
                                                       command: str) -> None:
    edit(copied / "schema.yaml", "        kind: signoff\n", "        kind: sign-off\n")
    draft = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", draft)
    args = {"check": [], "export": ["-o", "-"], "get": ["meta.author"], "set": ["meta.author=Ada"]}[command]
    before = draft.read_bytes()
    result = run(command, draft, *args, "--template", copied)
    assert result.exit_code == 2
    line = next(number for number, text in enumerate((copied / "schema.yaml").read_text().splitlines(), 1)
                if text == "        kind: sign-off")
    assert f"{copied / 'schema.yaml'}:{line}: unknown kind 'sign-off'" in result.stderr
    assert "Traceback" not in result.output
    assert draft.read_bytes() == before


def test_a_yaml_error_in_a_custom_schema_has_line_and_column(copied: Path, tmp_path: Path) -> None:
    edit(copied / "schema.yaml", "    label: Overview\n", "    label: [Overview\n")
    draft = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", draft)
    result = run("check", draft, "--template", copied)
    assert result.exit_code == 2
    assert f"{copied / 'schema.yaml'}:" in result.stderr and "invalid YAML" in result.stderr


def test_a_template_error_in_the_layout_has_file_and_line(copied: Path, tmp_path: Path) -> None:
    (copied / "document.md.j2").write_text("# {{ schema.document_title }}\n{% if %}\n", encoding="utf-8")
    draft = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", draft)
    result = run("export", draft, "-o", "-", "--template", copied)
    assert result.exit_code == 2
    assert "document.md.j2:2: template error" in result.stderr
