"""The package's layers hold: ``lint-imports`` checks the contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUI_LAYERS = "The wizard's layers: screens above widgets above messages and helpers"


def lint_imports() -> list[str]:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert found, "import-linter is in the test extra: pip install -e '.[test]'"
    return [found, "--config", str(ROOT / "pyproject.toml"), "--no-cache"]


def lint_a_copy(tmp_path: Path, module: str, added: str) -> subprocess.CompletedProcess[str]:
    """lint-imports over a copy of the package where ``module`` (a path under intwizard/) ends with
    ``added`` (a module not there is made of it)."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "intwizard", copy / "intwizard", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    changed = copy / "intwizard" / module
    before = changed.read_text(encoding="utf-8") if changed.exists() else ""
    changed.write_text(before + added, encoding="utf-8")
    return subprocess.run([*lint_imports()[:1], "--config", str(copy / "pyproject.toml"), "--no-cache"],
                          cwd=copy, capture_output=True, text=True)


def test_every_import_contract_is_kept() -> None:
    result = subprocess.run(lint_imports(), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "5 kept, 0 broken" in result.stdout
    assert f"{TUI_LAYERS} KEPT" in result.stdout


def test_a_broken_boundary_is_reported(tmp_path: Path) -> None:
    # The same contracts over a copy of the package where the core imports the wizard: lint-imports
    # must say so (a contract that cannot fail proves nothing).
    result = lint_a_copy(tmp_path, "core/store.py", "\nfrom intwizard.tui import app  # noqa\n")
    assert result.returncode == 1
    assert "intwizard.core.store -> intwizard.tui" in result.stdout


def test_a_widget_importing_a_screen_is_reported_even_inside_a_function(tmp_path: Path) -> None:
    # The old way round the {fields, table_editor, row_editor} cycle: the table importing its row
    # editor inside a function. The wizard's layers contract catches it all the same.
    sneaky = "\n\ndef _row_editor() -> None:\n    from intwizard.tui.row_editor import RowEditor  # noqa\n"
    result = lint_a_copy(tmp_path, "tui/table_editor.py", sneaky)
    assert result.returncode == 1
    assert f"{TUI_LAYERS} BROKEN" in result.stdout
    assert "intwizard.tui.table_editor is not allowed to import intwizard.tui.row_editor" in result.stdout


def test_two_widgets_of_one_layer_importing_each_other_is_reported(tmp_path: Path) -> None:
    result = lint_a_copy(tmp_path, "tui/groups.py", "\nfrom intwizard.tui import table_editor  # noqa\n")
    assert result.returncode == 1
    assert "intwizard.tui.groups is not allowed to import intwizard.tui.table_editor" in result.stdout


def test_a_new_wizard_module_must_be_placed_in_a_layer(tmp_path: Path) -> None:
    result = lint_a_copy(tmp_path, "tui/new_widget.py", '"""A module nobody placed in a layer."""\n')
    assert result.returncode == 1
    assert "intwizard.tui.new_widget" in result.stdout
