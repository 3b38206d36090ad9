"""The core never imports the UI libraries; the CLI imports them only for the commands that need them."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import intwizard

FIXTURES = Path(__file__).parent / "fixtures"
UI_LIBRARIES = ("textual", "questionary", "prompt_toolkit")


def core_modules() -> list[str]:
    names = [info.name for info in pkgutil.walk_packages(intwizard.__path__, "intwizard.")]
    return sorted(name for name in names
                  if not name.startswith(("intwizard.tui", "intwizard.prompts")) and name != "intwizard.__main__")


def loaded_after(code: str) -> list[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_core_module_list_is_not_empty() -> None:
    expected = {"intwizard.cli", "intwizard.core.draft", "intwizard.core.render", "intwizard.core.store"}
    assert expected <= set(core_modules())


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_no_ui_library(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert [name for name in UI_LIBRARIES if name in loaded] == []


@pytest.mark.parametrize(
    "args",
    [
        ["export", str(FIXTURES / "complete.yaml"), "-o", "-"],
        ["get", str(FIXTURES / "complete.yaml"), "meta.author"],
        ["--help"],
    ],
)
def test_read_only_commands_import_no_ui_library(args: list[str]) -> None:
    code = (
        "import contextlib, io\n"
        "from intwizard.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    try:\n        main({args!r})\n    except SystemExit as exit:\n        assert not exit.code, exit.code\n"
    )
    loaded = loaded_after(code)
    assert "intwizard" in loaded and "click" in loaded
    assert [name for name in UI_LIBRARIES if name in loaded] == []


def test_the_probe_would_notice_a_ui_import() -> None:
    assert "textual" in loaded_after("import textual.app")


@pytest.mark.parametrize("command", ["export", "check"])
def test_reading_commands_skip_what_only_writes_and_merges_need(command: str) -> None:
    # filelock (asyncio, sqlite3: ~60 ms) and the merge driver (~20 ms) are for saves and merges;
    # export and check load neither (bench_export.py measures what they would cost).
    args = [command, str(FIXTURES / "complete.yaml")] + (["-o", "-"] if command == "export" else [])
    code = (
        "import contextlib, io, sys\n"
        "from intwizard.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    try:\n        main({args!r})\n    except SystemExit:\n        pass\n"
        "import json\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith(('filelock', 'asyncio', "
        "'intwizard.core.merge')))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
