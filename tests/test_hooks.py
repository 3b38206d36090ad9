"""The pre-commit hooks in ``.pre-commit-hooks.yaml``, run the way pre-commit runs them.

pre-commit itself is not needed: each hook's ``entry`` runs (as ``python -m intwizard``) in a sample
repository with the files the hook's ``files``/``exclude``/``types`` would hand it.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
#: The identify tags the hooks use, by file name (pre-commit's `identify` does the same for these).
TYPES = {"file": lambda name: True, "text": lambda name: True,
         "yaml": lambda name: name.endswith((".yaml", ".yml")),
         "markdown": lambda name: name.endswith((".md", ".markdown"))}


def hooks() -> dict[str, dict]:
    listed = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in listed}


def files_for(hook: dict, root: Path) -> list[str]:
    """The repository's files the hook would receive, as relative paths (what pre-commit passes)."""
    chosen = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts):
        name = path.relative_to(root).as_posix()
        if not re.search(hook.get("files", ""), name) or re.search(hook.get("exclude", "^$"), name):
            continue
        if not all(TYPES[tag](name) for tag in hook.get("types", ["file"])):
            continue
        if hook.get("types_or") and not any(TYPES[tag](name) for tag in hook["types_or"]):
            continue
        chosen.append(name)
    return chosen


def run_hook(hook: dict, root: Path, files: list[str] | None = None) -> subprocess.CompletedProcess:
    command = shlex.split(hook["entry"])
    assert command[0] == "intwizard"
    args = [*command[1:], *hook.get("args", [])]
    if hook.get("pass_filenames", True):
        args += files if files is not None else files_for(hook, root)
    return subprocess.run([sys.executable, "-m", "intwizard", *args], cwd=root, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with two specs (one complete, one still a draft) and unrelated YAML and Markdown."""
    root = tmp_path_factory.mktemp("repo")
    specs = root / "docs" / "specs"
    specs.mkdir(parents=True)
    shutil.copy(FIXTURES / "complete.yaml", specs / "checkout.yaml")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    (root / "docker-compose.yaml").write_text("services:\n  web:\n    image: nginx\n", encoding="utf-8")
    (root / "README.md").write_text("# Shop\n", encoding="utf-8")
    intwizard = [sys.executable, "-m", "intwizard"]
    subprocess.run([*intwizard, "new", "docs/specs/refunds.yml", "--no-input", "--set", "meta.sev_level=SEV-2"],
                   cwd=root, check=True, capture_output=True)
    for draft in ("checkout.yaml", "refunds.yml"):
        subprocess.run([*intwizard, "export", f"docs/specs/{draft}"], cwd=root, check=True, capture_output=True)
    return root


def test_the_hooks_file_is_a_valid_manifest() -> None:
    listed = hooks()
    assert set(listed) == {"intwizard-export-check", "intwizard-check", "intwizard-sources-check"}
    for hook in listed.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit installs this repository and runs its script
        assert set(hook.get("types", [])) | set(hook.get("types_or", [])) <= set(TYPES)


def test_what_each_hook_receives(repo: Path) -> None:
    assert files_for(hooks()["intwizard-check"], repo) == [
        ".github/workflows/ci.yml", "docker-compose.yaml", "docs/specs/checkout.yaml", "docs/specs/refunds.yml"]
    assert files_for(hooks()["intwizard-export-check"], repo) == [
        ".github/workflows/ci.yml", "README.md", "docker-compose.yaml", "docs/specs/checkout.md",
        "docs/specs/checkout.yaml", "docs/specs/refunds.md", "docs/specs/refunds.yml"]


def test_export_check_hook_passes_when_every_export_is_current(repo: Path) -> None:
    result = run_hook(hooks()["intwizard-export-check"], repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_export_check_hook_fails_with_a_diff_when_a_draft_changed(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    draft = copy / "docs" / "specs" / "checkout.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("author: Priya Raman", "author: Ada"),
                     encoding="utf-8")
    markdown = (copy / "docs" / "specs" / "checkout.md").read_bytes()
    result = run_hook(hooks()["intwizard-export-check"], copy)
    assert result.returncode == 1
    assert "--- docs/specs/checkout.md\n" in result.stdout
    assert "+**Author**: Ada  \n" in result.stdout
    assert "refunds" not in result.stdout
    assert (copy / "docs" / "specs" / "checkout.md").read_bytes() == markdown


def test_export_check_hook_catches_markdown_edited_by_hand(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    markdown = copy / "docs" / "specs" / "refunds.md"
    markdown.write_text(markdown.read_text(encoding="utf-8") + "\nA note typed into the export.\n", encoding="utf-8")
    hook = hooks()["intwizard-export-check"]
    result = run_hook(hook, copy, ["docs/specs/refunds.md", "README.md"])  # only the Markdown is staged
    assert result.returncode == 1
    assert result.stdout.startswith("--- docs/specs/refunds.md\n+++ docs/specs/refunds.md (exported from "
                                    "docs/specs/refunds.yml)\n")
    assert "\n-A note typed into the export.\n" in result.stdout
    assert run_hook(hook, copy, ["README.md", "docs/specs/checkout.md"]).returncode == 0


def test_check_hook_fails_on_the_unfinished_draft_only(repo: Path) -> None:
    hook = hooks()["intwizard-check"]
    result = run_hook(hook, repo)
    assert result.returncode == 1
    assert "docs/specs/refunds.yml: " in result.stdout and "for SEV-2 specs" in result.stdout
    assert "docs/specs/checkout.yaml: nothing to fix" in result.stdout
    assert "ci.yml" not in result.stdout + result.stderr and "docker-compose" not in result.stdout + result.stderr
    # pre-commit hands a hook only the staged files: the finished spec alone passes.
    alone = run_hook(hook, repo, ["docs/specs/checkout.yaml", "docker-compose.yaml"])
    assert alone.returncode == 0, alone.stdout + alone.stderr


def test_hooks_with_no_draft_among_the_files_pass(repo: Path) -> None:
    for hook in hooks().values():
        result = run_hook(hook, repo, [".github/workflows/ci.yml"])
        assert result.returncode == 0, (hook["id"], result.stdout, result.stderr)


def test_sources_check_hook_fails_on_drift_until_refreshed(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "docs" / "specs").mkdir(parents=True)
    (root / "api").mkdir()
    shutil.copy(FIXTURES / "contracts" / "streetlights-3.0.yaml", root / "api" / "lights.yaml")
    intwizard = [sys.executable, "-m", "intwizard"]
    subprocess.run([*intwizard, "new", "docs/specs/lights.yaml", "--no-input"], cwd=root, check=True,
                   capture_output=True)
    subprocess.run([*intwizard, "import-api", "api/lights.yaml", "docs/specs/lights.yaml", "--integration", "Lights"],
                   cwd=root, check=True, capture_output=True)
    hook = hooks()["intwizard-sources-check"]
    files = files_for(hook, root)
    assert files == ["api/lights.yaml", "docs/specs/lights.yaml"]
    assert run_hook(hook, root).returncode == 0
    source = root / "api" / "lights.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("action: send", "action: receive", 1),
                      encoding="utf-8")
    failed = run_hook(hook, root)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "RECEIVE smartylighting/streetlights/1/0/action/{streetlightId}/turn/on" in failed.stdout
    assert "api/lights.yaml" not in failed.stderr  # the contract itself is skipped: it is no draft
    subprocess.run([*intwizard, "refresh", "docs/specs/lights.yaml"], cwd=root, check=True, capture_output=True)
    assert run_hook(hook, root).returncode == 0
