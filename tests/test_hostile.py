"""Hostile or broken drafts through every command: a clear message naming the file (line and column
where they exist), exit code 2, no traceback, and the file untouched (same bytes, same mtime, no
backup, temp or export file beside it) — or accepted and kept exactly as it was."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_support import spawn
from click.testing import CliRunner

from intwizard.cli import main
from intwizard.core.store import MAX_DRAFT_BYTES, read_plain
from intwizard.core.yamlio import MAX_DEPTH, MAX_VALUES

COMPLETE = (Path(__file__).parent / "fixtures" / "complete.yaml").read_text()


def _bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\nmeta:\n  author: *i\n"


@dataclass(frozen=True)
class Hostile:
    content: bytes
    message: str
    """A fragment of the expected message."""
    located: bool = False
    """The message gives line and column."""
    readable: bool = False
    """Read-only commands (export, get) accept it as it is; ``set`` still refuses to edit it."""
    isolated: bool = False
    """Run in a separate process: unguarded, it would crash the C parser (and pytest with it)."""


def _text(text: str) -> bytes:
    return text.encode("utf-8")


HOSTILE: dict[str, Hostile] = {
    "syntax-error": Hostile(_text("meta:\n  author: [unclosed\n  sev_level: SEV-2\n"), "invalid YAML", located=True),
    "bad-indent": Hostile(_text("meta:\n  author: Ada\n sev_level: SEV-2\n"), "invalid YAML", located=True),
    "tab-indent": Hostile(_text("meta:\n\tauthor: Ada\n"), "not tabs", located=True),
    "duplicate-key": Hostile(_text("meta:\n  author: Ada\n  author: Bob\n"), "duplicate key", located=True),
    "top-level-list": Hostile(_text("- meta\n- overview\n"), "holds a list", located=True),
    "top-level-scalar": Hostile(_text("just some words\n"), "holds a text", located=True),
    "list-for-mapping": Hostile(_text("meta:\n  - author\n  - Ada\n"), "not a mapping", readable=True),
    "scalar-for-mapping": Hostile(_text("meta: Ada\nexternal_system_integrations: none\n"), "not a mapping",
                                  readable=True),
    "deep-flow": Hostile(_text("a: " + "[" * 5000 + "]" * 5000 + "\n"), "levels deep", isolated=True),
    "deep-flow-crashes-libyaml": Hostile(_text("a: " + "{b: " * 100_000 + "}" * 100_000 + "\n"), "levels deep",
                                         isolated=True),
    "deep-block-sequence": Hostile(_text("a:\n  " + "- " * 100_000 + "x\n"), "levels deep", isolated=True),
    "deep-block": Hostile(_text("".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v: 1\n"),
                          "levels deep", isolated=True),
    "alias-bomb": Hostile(_text(_bomb()), f"{MAX_VALUES:,} values"),
    "recursive-alias": Hostile(_text("a: &a [1, *a]\nmeta:\n  author: Ada\n"), "refers to the value it is inside"),
    "python-object": Hostile(_text("meta:\n  author: !!python/object/apply:os.system ['touch PWNED']\n"),
                             "!!python/object/apply:os.system", located=True),
    "python-name": Hostile(_text("meta:\n  author: !!python/name:os.system\n"), "!!python/name", located=True),
    "custom-tag": Hostile(_text("meta:\n  author: !secret vault:author\n"), "!secret", located=True),
    "binary": Hostile(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    "latin-1": Hostile("meta:\n  author: José\n".encode("latin-1"), "not UTF-8", located=True),
    "utf-16": Hostile("meta:\n  author: Ada\n".encode("utf-16"), "binary file"),
    "empty": Hostile(b"", "empty"),
    "only-comments": Hostile(b"# nothing yet\n", "empty"),
    "folder-named-yaml": Hostile(b"", "is a directory"),
}


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {entry.name: (entry.read_bytes() if entry.is_file() else b"", entry.stat().st_mtime_ns)
            for entry in folder.iterdir()}


@pytest.fixture(params=sorted(HOSTILE))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Hostile]:
    name = request.param
    case = HOSTILE[name]
    folder = tmp_path / "drafts"
    folder.mkdir()
    path = folder / "draft.yaml"
    if name == "folder-named-yaml":
        path.mkdir()
    else:
        path.write_bytes(case.content)
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))  # an mtime a write would change
    return path, case


def _check_refused(result_code: int, stderr: str, path: Path, case: Hostile) -> None:
    assert result_code == 2, stderr
    assert "Traceback" not in stderr
    if path.is_dir():  # click refuses it before intwizard runs, naming the path
        assert f"'{path}' is a directory" in stderr
        return
    assert stderr.startswith(f"intwizard: error: {path}"), stderr
    if case.located:
        assert stderr.startswith(f"intwizard: error: {path}:"), stderr
        location = stderr.removeprefix(f"intwizard: error: {path}:").split(":")
        assert location[0].isdigit() and location[1].isdigit(), stderr


def _cli(*args: object, isolated: bool = True) -> tuple[int, str, str]:
    """Exit code, stdout, stderr of one command; in a fresh process when ``isolated``, so a C-level
    crash (libyaml's deep recursion) shows as a failed test instead of taking pytest down."""
    if not isolated:
        result = CliRunner().invoke(main, [str(arg) for arg in args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result.exit_code, result.stdout, result.stderr
    proc = subprocess.run([sys.executable, "-m", "intwizard", *map(str, args)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    return proc.returncode, proc.stdout, proc.stderr


def test_export(hostile: tuple[Path, Hostile]) -> None:
    path, case = hostile
    before = _files(path.parent)
    code, _stdout, stderr = _cli("export", path, isolated=case.isolated)
    if case.readable:
        assert code == 0 and "Traceback" not in stderr
        path.parent.joinpath("draft.md").unlink()
    else:
        _check_refused(code, stderr, path, case)
        assert case.message in stderr, stderr
    assert _files(path.parent) == before
    assert not Path("PWNED").exists()


def test_set(hostile: tuple[Path, Hostile]) -> None:
    path, case = hostile
    before = _files(path.parent)
    code, _stdout, stderr = _cli("set", path, "meta.author=Grace", isolated=case.isolated)
    _check_refused(code, stderr, path, case)
    assert case.message in stderr, stderr
    assert _files(path.parent) == before, "a refused set leaves the folder exactly as it was"


def test_get(hostile: tuple[Path, Hostile]) -> None:
    path, case = hostile
    before = _files(path.parent)
    code, _stdout, stderr = _cli("get", path, "meta.author", isolated=case.isolated)
    if case.readable:
        assert code == 0 and "Traceback" not in stderr
    else:
        _check_refused(code, stderr, path, case)
    assert _files(path.parent) == before


def test_check(hostile: tuple[Path, Hostile]) -> None:
    path, case = hostile
    before = _files(path.parent)
    code, stdout, stderr = _cli("check", path, isolated=case.isolated)
    if case.readable:
        assert code == 1 and "Traceback" not in stderr
        assert "expected a mapping" in stdout + stderr
    else:
        _check_refused(code, stderr, path, case)
    assert _files(path.parent) == before


@pytest.mark.parametrize("command", [["resume"], ["resume", "--plain"]])
def test_resume_without_terminal_fails_cleanly(hostile: tuple[Path, Hostile], command: list[str]) -> None:
    path, _case = hostile
    before = _files(path.parent)
    result = CliRunner().invoke(main, [*command, str(path)])
    assert result.exit_code == 2
    assert "needs an interactive terminal" in result.stderr or "is a directory" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _files(path.parent) == before


#: A case of each kind, through the real front ends in a terminal (each run starts Textual or questionary).
IN_A_TERMINAL = ["syntax-error", "tab-indent", "duplicate-key", "top-level-list", "deep-flow-crashes-libyaml",
                 "alias-bomb", "python-object", "binary", "latin-1", "empty"]


@pytest.mark.parametrize("command", [["resume"], ["resume", "--plain"]])
@pytest.mark.parametrize("name", IN_A_TERMINAL)
def test_resume_in_a_terminal(tmp_path: Path, name: str, command: list[str]) -> None:
    import pexpect

    case = HOSTILE[name]
    path = tmp_path / "draft.yaml"
    path.write_bytes(case.content)
    before = _files(tmp_path)
    child = spawn(*command, str(path), cwd=tmp_path, env={**os.environ, "TERM": "xterm"}, size=(30, 100))
    child.expect(pexpect.EOF)
    child.close()
    output = child.before.replace("\r\n", "\n")
    assert child.exitstatus == 2, output
    assert "Traceback" not in output
    assert f"intwizard: error: {path}" in output and case.message in output, output
    assert _files(tmp_path) == before


def big_draft(path: Path, integrations: int = 60, endpoints: int = 20) -> None:
    """An honest but big draft: the complete fixture with many more integrations and endpoints."""
    from intwizard.core.schema import load_schema
    from intwizard.core.store import open_draft

    copy = open_draft(Path(__file__).parent / "fixtures" / "complete.yaml", load_schema())
    draft = copy.draft
    for index in range(integrations):
        item = draft.duplicate_item("external_system_integrations", 0)
        draft.set(f"external_system_integrations.{item}.name", f"Partner API {index}")
        for row in range(endpoints):
            draft.set(f"external_system_integrations.{item}.api_endpoints.{row + 4}.endpoint", f"/v{row}/items")
    copy.path = path
    copy.write(copy.render(), force=True)


def test_limits_leave_room_for_big_honest_drafts(tmp_path: Path) -> None:
    """The caps stop hostile files, not big honest ones: 60 integrations load, save and export."""
    path = tmp_path / "big.yaml"
    big_draft(path)
    assert 250_000 < path.stat().st_size < MAX_DRAFT_BYTES
    code, _stdout, stderr = _cli("set", path, "meta.author=Grace", "external_system_integrations.60.purpose=Last")
    assert code == 0, stderr
    code, _stdout, stderr = _cli("export", path)
    assert code == 0, stderr
    data = read_plain(path)
    assert len(data["external_system_integrations"]) > 60
    groups = len(data["external_system_integrations"]) + len(data["internal_system_integrations"])
    headings = re.findall(r"^### Integration (?:\d+|[A-Z]+): ", path.with_suffix(".md").read_text(), re.MULTILINE)
    assert len(headings) == groups
    assert data["external_system_integrations"][60]["purpose"] == "Last"


@pytest.mark.parametrize("command", [["export"], ["set", "meta.author=Grace"], ["get", "meta.author"]])
def test_fifty_megabytes_refused_quickly(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "huge.yaml"
    line = "  - " + "x" * 100 + "\n"
    path.write_text("meta:\n  author: Ada\nnotes:\n" + line * (50 * 1024 * 1024 // len(line)))
    before = _files(tmp_path)
    code, _stdout, stderr = _cli(command[0], path, *command[1:])
    assert code == 2 and stderr.startswith(f"intwizard: error: {path}: the file is 50 MB"), stderr
    assert _files(tmp_path) == before


def test_cases_cover_the_limits() -> None:
    """The hostile cases above really go past each cap."""
    assert MAX_DEPTH < 200 and MAX_VALUES < 9 ** 9
    assert MAX_DRAFT_BYTES < 50 * 1024 * 1024
