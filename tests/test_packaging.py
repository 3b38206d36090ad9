"""A non-editable install ships the template and works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True, text=True)
    (built,) = out.glob("intwizard-*.whl")
    return built


def test_wheel_carries_the_template(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "intwizard/templates/integration-points/schema.yaml" in names
    assert "intwizard/templates/integration-points/document.md.j2" in names
    assert "intwizard/cli/__init__.py" in names
    # The official AsyncAPI JSON Schemas, with their licence and notice (Apache-2.0).
    for name in ("2.6.0-without-$id.json", "3.0.0-without-$id.json", "LICENSE", "NOTICE"):
        assert f"intwizard/importers/asyncapi_schemas/{name}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "intwizard = intwizard.cli:run" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_exports_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
                    "--target", str(target), str(wheel)], check=True, capture_output=True, text=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = ("import intwizard, sys; from intwizard.cli import main; print(intwizard.__file__, file=sys.stderr); "
            f"main(['export', {str(FIXTURES / 'complete.yaml')!r}, '-o', 'out.md'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(str(target))  # the installed copy ran, not the checkout
    assert (elsewhere / "out.md").read_text() == (FIXTURES / "complete.md").read_text()


def test_installed_wheel_validates_asyncapi_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
                    "--target", str(target), str(wheel)], check=True, capture_output=True, text=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    contracts = FIXTURES / "contracts"
    code = ("import sys; from intwizard.cli import main; import intwizard.importers.asyncapi as a; "
            "print(a.SCHEMA_DIR, file=sys.stderr); "
            f"main(['import-api', {str(contracts / 'asyncapi-invalid.yaml')!r}, 'd.yaml', '--integration', 'L'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 2, result.stderr
    assert not (elsewhere / 'd.yaml').exists()  # validated before the draft is touched
    assert result.stderr.startswith(str(target))  # the installed copy's schemas were used
    assert "'publish' is not one of ['send', 'receive']" in result.stderr
