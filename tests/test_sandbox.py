"""A custom template is code from somewhere else: it renders in a sandbox. Reaching for Python
internals, the file system, or resources (memory, loops, output) fails with a clear message naming the
template, exit code 2, no traceback, and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from intwizard.core.render import MAX_OUTPUT_CHARS

FIXTURES = Path(__file__).parent / "fixtures"

ESCAPES = {
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "class-of-schema": "{{ schema.__class__ }}",
    "function-globals": "{{ runs.__globals__ }}",
    "cycler-os": "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'] }}",
    "format-string": "{{ '{0.__class__.__base__.__subclasses__}'.format(schema) }}",
    "read-a-file": "{{ schema.path.read_text() }}",
    "write-a-file": "{{ schema.path.write_text('pwned') }}",
    "walk-to-root": "{{ schema.path.parent.parent.joinpath('etc/passwd').read_text() }}",
    "mutate-the-draft": "{{ draft.clear() }}{{ draft.meta.update({'author': 'x'}) }}",
}
RESOURCES = {
    "string-bomb": ("{{ 'x' * 10**10 }}", "'*'"),
    "list-bomb": ("{{ [0] * 10**10 }}", "'*'"),
    "power-bomb": ("{{ 9 ** (9 ** 9) }}", "power"),  # Jinja's ** is left-associative: 9**9**9 is small
    "nested-loops": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "range"),
    "huge-range": ("{{ range(10**9) | list | length }}", "range"),
    "doubling": ("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
                 "'+'"),
    "output-cap": ("{% for i in range(1000) %}{{ 'x' * 100000 }}{% endfor %}", f"{MAX_OUTPUT_CHARS // 2**20} MB"),
    "recursion": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "recursed"),
}
BROKEN = {
    "syntax": ("# Title\n{% for x in %}\n", "template error", ":2"),
    "undefined": ("{{ nothing.here }}", "template error", ""),
}


@pytest.fixture
def template(tmp_path: Path) -> Path:
    folder = tmp_path / "tpl"
    code, _out, err = intwizard("template", "copy", folder)
    assert code == 0, err
    return folder


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_bytes((FIXTURES / "complete.yaml").read_bytes())
    return path


def intwizard(*args: object, cwd: Path | None = None) -> tuple[int, str, str]:
    # A subprocess with a timeout: if the sandbox ever let a bomb through, this fails instead of hanging.
    proc = subprocess.run([sys.executable, "-m", "intwizard", *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env={**os.environ})
    return proc.returncode, proc.stdout, proc.stderr


def export_with(template: Path, draft: Path, source: str) -> tuple[int, str, str]:
    (template / "document.md.j2").write_text(source)
    return intwizard("export", draft, "--template", template, cwd=draft.parent)


def assert_refused(result: tuple[int, str, str], template: Path, draft: Path, fragment: str) -> None:
    code, stdout, stderr = result
    assert code == 2, (stdout[:200], stderr)
    assert "Traceback" not in stderr
    assert stderr.startswith(f"intwizard: error: {template / 'document.md.j2'}"), stderr
    assert fragment in stderr, stderr
    assert stderr.count("\n") == 1, "one clear line"
    assert not draft.with_suffix(".md").exists(), "nothing written"


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_escapes_are_stopped(template: Path, draft: Path, name: str) -> None:
    schema_before = (template / "schema.yaml").read_bytes()
    draft_before = draft.read_bytes()
    assert_refused(export_with(template, draft, ESCAPES[name]), template, draft, "unsafe")
    assert (template / "schema.yaml").read_bytes() == schema_before
    assert draft.read_bytes() == draft_before
    assert not (draft.parent / "PWNED").exists()


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_resource_bombs_are_stopped(template: Path, draft: Path, name: str) -> None:
    source, fragment = RESOURCES[name]
    assert_refused(export_with(template, draft, source), template, draft, fragment)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_templates_are_reported(template: Path, draft: Path, name: str) -> None:
    source, fragment, location = BROKEN[name]
    result = export_with(template, draft, source)
    assert_refused(result, template, draft, fragment)
    assert result[2].startswith(f"intwizard: error: {template / 'document.md.j2'}{location}")


def test_a_copied_template_still_renders_everything(template: Path, draft: Path) -> None:
    """The tightened sandbox keeps what templates legitimately use: loops, macros, filters, ranges."""
    code, out, err = intwizard("export", draft, "--template", template, "-o", "-")
    assert code == 0, err
    assert out == (FIXTURES / "complete.md").read_text()
    source = "{% for i in range(3) %}{{ i * 2 }}{{ 'ab' * 2 }}{{ 2 ** 10 }}{{ [1] + [2] }}{% endfor %}\n"
    code, out, err = export_with(template, draft, source)
    assert code == 0, err
    assert draft.with_suffix(".md").read_text() == "0abab1024[1, 2]2abab1024[1, 2]4abab1024[1, 2]\n"
