"""A custom template cannot read outside its folder, and cannot run or grow without bound: each case
stops with exit 2 and the template's file (and line where known), no traceback, nothing written.

The render child's CPU limit is lowered to 2 s here, so the suite does not wait 10 s per case.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import intwizard.core.render as render_module
from tests.cli_support import run

FIXTURES = Path(__file__).parent / "fixtures"

#: (name, document.md.j2, what the error says)
CASES = [
    ("power", "{{ 10**5000 }}", "more than 4,300 digits"),
    ("lipsum-size", "{{ lipsum(n=10**9) }}", "lipsum(n=1000000000)"),
    ("lipsum-min-max", "{{ lipsum(min=50, max=3) }}", "min is more than max"),
    ("nested-string-loops", '{% for a in "x"*100000 %}{% for b in "y"*100000 %}{% endfor %}{% endfor %}',
     "CPU time"),
    ("macro-fan-out", "{% macro m(n) %}{% if n %}{{ m(n-1) }}{{ m(n-1) }}{% endif %}{% endmacro %}\n{{ m(60) }}",
     "CPU time"),
    ("concat-doubling", '{% set ns = namespace(s="x"*10000000) %}{% for i in range(100) %}'
     "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}", "memory"),
    ("center", '{{ "x"|center(2000000000) }}', "memory"),
    ("join", '{{ ("x"*10000000)|list|join("y"*1000) }}', ""),
    ("replace", '{{ ("ab"*1000000)|replace("a", "x"*1000) }}', ""),
]


@pytest.fixture
def template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(render_module, "CHILD_CPU_SECONDS", 2, raising=False)
    monkeypatch.setattr(render_module, "CHILD_MEMORY_BYTES", 768 * 1024 * 1024, raising=False)
    folder = tmp_path / "tpl"
    assert run("template", "copy", folder).exit_code == 0
    shutil.copy(FIXTURES / "complete.yaml", tmp_path / "d.yaml")
    return folder


def export(template: Path) -> tuple[object, Path]:
    out = template.parent / "out.md"
    return run("export", "--template", template, template.parent / "d.yaml", "-o", out), out


def test_a_copied_template_renders_the_same_bytes_in_its_child(template: Path) -> None:
    result, out = export(template)
    assert result.exit_code == 0, result.stderr
    builtin = run("export", template.parent / "d.yaml", "-o", "-")
    assert out.read_text() == builtin.stdout


def test_the_builtin_template_renders_in_process(template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No child process (and its start-up cost) for the template intwizard ships."""
    monkeypatch.setattr(render_module, "_render_in_child", lambda *args: pytest.fail("rendered in a child"))
    assert run("export", template.parent / "d.yaml", "-o", "-").exit_code == 0


@pytest.mark.parametrize(("name", "source", "says"), CASES, ids=[case[0] for case in CASES])
def test_a_hostile_template_is_stopped(template: Path, name: str, source: str, says: str) -> None:
    (template / "document.md.j2").write_text(source + "\n")
    start = time.monotonic()
    result, out = export(template)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"intwizard: error: {template / 'document.md.j2'}"), line
    assert says in line, line
    assert not out.exists()
    assert time.monotonic() - start < 60


def test_an_include_through_a_symlink_out_of_the_folder_is_refused(template: Path, tmp_path: Path) -> None:
    secret = tmp_path / "aws-credentials"
    secret.write_text("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
    (template / "parts").mkdir()
    (template / "parts" / "leak.md").symlink_to(secret)
    (template / "document.md.j2").write_text('{% include "parts/leak.md" %}\n')
    for args in ((), ("--strict",)):
        result, out = export(template) if not args else (
            run("export", "--strict", "--template", template, template.parent / "d.yaml", "-o",
                template.parent / "out.md"), template.parent / "out.md")
        assert result.exit_code == 2, result.stderr
        assert "outside the template folder" in result.stderr
        assert "wJalr" not in result.output and not out.exists()


def test_a_link_inside_the_folder_is_served(template: Path) -> None:
    (template / "part.j2").write_text("from a part\n")
    (template / "alias.j2").symlink_to(template / "part.j2")
    (template / "document.md.j2").write_text('{% include "alias.j2" %}')
    result, out = export(template)
    assert result.exit_code == 0, result.stderr
    assert out.read_text() == "from a part\n"


def test_an_include_of_a_fifo_is_refused(template: Path) -> None:
    os.mkfifo(template / "pipe.j2")
    (template / "document.md.j2").write_text('{% include "pipe.j2" %}\n')
    result, _out = export(template)
    assert result.exit_code == 2 and "not a regular file" in result.stderr


def _bomb() -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, "
                     f"*{previous}, *{previous}, *{previous}, *{previous}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_in_a_template_schema_is_refused(template: Path) -> None:
    schema = template / "schema.yaml"
    schema.write_text(schema.read_text() + "bomb:\n" + "".join(f"  {line}\n" for line in _bomb().splitlines()))
    start = time.monotonic()
    result = run("check", "--template", template, template.parent / "d.yaml")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"intwizard: error: {schema}:"), result.stderr
    assert "200,000 values" in result.stderr
    assert time.monotonic() - start < 30


def test_an_alias_bomb_in_a_migrations_file_is_refused(template: Path) -> None:
    migrations = template / "migrations.yaml"
    migrations.write_text("steps: []\n" + _bomb())
    schema = template / "schema.yaml"
    schema.write_text(schema.read_text().replace("version: 1", "version: 2", 1))
    result = run("check", "--template", template, template.parent / "d.yaml")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"{migrations}:" in result.stderr and "200,000 values" in result.stderr
