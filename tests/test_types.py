"""mypy over the package, as configured in pyproject.toml ([tool.mypy]): no errors, no stale ignores;
and the fixed sets of strings (a node's kind, an edit's name) are types mypy holds code to."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

REPO = Path(__file__).resolve().parent.parent


def mypy(cache: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-error-summary", *targets],
                          cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_mypy_finds_nothing_in_the_package_and_holds_callers_to_the_literals(tmp_path: Path) -> None:
    done = mypy(tmp_path / "cache")
    assert done.returncode == 0, done.stdout + done.stderr
    caller = tmp_path / "caller.py"
    caller.write_text(
        "from intwizard.core.schema import Node\n"
        "from intwizard.tui.session import Op\n"
        'Node(key="k", label="K", kind="lines", path="k")\n'
        'Op("sett", "meta.author", "Ada")\n'
    )
    done = mypy(tmp_path / "cache", "--config-file", str(REPO / "pyproject.toml"), str(caller))
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["3", "4"], done.stdout


def test_the_kind_literal_is_the_schema_kinds_and_the_builder_own() -> None:
    from intwizard.core.schema import KINDS, NUMBERINGS, STYLES, Kind, Numbering, Style

    assert set(get_args(Kind)) == KINDS | {"check", "role"}
    assert set(get_args(Style)) == STYLES and set(get_args(Numbering)) == NUMBERINGS


def strict_modules() -> list[str]:
    """The module patterns of the override that turns on --strict's checks (disallow_untyped_defs)."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return [pattern for override in config["tool"]["mypy"]["overrides"]
            if override.get("disallow_untyped_defs") for pattern in override["module"]]


def test_every_module_of_the_core_and_the_importers_is_checked_strictly() -> None:
    from fnmatch import fnmatchcase

    patterns = strict_modules()
    patterns += [pattern.removesuffix(".*") for pattern in patterns if pattern.endswith(".*")]  # mypy's rule
    modules = [".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
               for folder in ("core", "importers") for path in (REPO / "intwizard" / folder).rglob("*.py")]
    loose = [name for name in modules if not any(fnmatchcase(name, pattern) for pattern in patterns)]
    assert len(modules) > 30 and not loose, f"not under the strict override in pyproject.toml: {loose}"
