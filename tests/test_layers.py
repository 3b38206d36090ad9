"""The package's layers hold: ``lint-imports`` checks the contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports() -> list[str]:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert found, "import-linter is in the test extra: pip install -e '.[test]'"
    return [found, "--config", str(ROOT / "pyproject.toml"), "--no-cache"]


def test_every_import_contract_is_kept() -> None:
    result = subprocess.run(lint_imports(), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "4 kept, 0 broken" in result.stdout


def test_a_broken_boundary_is_reported(tmp_path: Path) -> None:
    # The same contracts over a copy of the package where the core imports the wizard: lint-imports
    # must say so (a contract that cannot fail proves nothing).
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "intwizard", copy / "intwizard", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    store = copy / "intwizard" / "core" / "store.py"
    store.write_text(store.read_text(encoding="utf-8") + "\nfrom intwizard.tui import app  # noqa\n", encoding="utf-8")
    result = subprocess.run([*lint_imports()[:1], "--config", str(copy / "pyproject.toml"), "--no-cache"],
                            cwd=copy, capture_output=True, text=True)
    assert result.returncode == 1
    assert "intwizard.core.store -> intwizard.tui" in result.stdout
