"""``intwizard merge-driver``: three-way merges by structure, in real git repositories and on files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import run
from conftest import FIXTURES
from git_support import commit_all, git, init_repo, needs_git

from intwizard.core.merge import find_conflicts, has_markers, merge_drafts

COMPLETE = (FIXTURES / "complete.yaml").read_text(encoding="utf-8")
RATE = "      rate_limits: 600 requests per minute per merchant account\n"
SLA = "      sla: p99 under 800 ms, 99.95% monthly availability\n"
LAST_ROW = "        response: Authorisation object\n"


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """git run in-process (setup-git) reads and writes a home of the test's own, never the real one."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    return home


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _row(method: str, endpoint: str, purpose: str) -> str:
    return (f"      - method: {method}\n        endpoint: {endpoint}\n        purpose: {purpose}\n"
            "        request: Id\n        response: Status\n")


def _three(tmp_path: Path, ours: str, theirs: str, base: str = COMPLETE) -> tuple[Path, Path, Path]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1], paths[2]


def _setup(repo: Path) -> None:
    result = run("setup-git")
    assert result.exit_code == 0, result.output
    assert "merge.intwizard.driver" in result.output and ".gitattributes" in result.output


@needs_git
def test_branches_editing_different_fields_and_adding_rows_merge_cleanly(tmp_path: Path, monkeypatch) -> None:
    repo = init_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    draft = repo / "spec.yaml"
    draft.write_text(COMPLETE, encoding="utf-8")
    _setup(repo)
    commit_all(repo, "spec")

    git(repo, "checkout", "-q", "-b", "feature")
    text = _edit(COMPLETE, RATE, RATE.replace("600", "1200"))
    text = _edit(text, LAST_ROW, LAST_ROW + _row("POST", "/voids", "Void an authorisation"))
    text = _edit(text, "external_system_integrations:\n",
                 "external_system_integrations:\n# Theirs: Paylane is the only card processor\n")
    draft.write_text(text, encoding="utf-8")
    commit_all(repo, "theirs: faster, voids")

    git(repo, "checkout", "-q", "main")
    text = _edit(COMPLETE, SLA, "      sla: p99 under 900 ms  # agreed with Paylane on 2026-11-02\n")
    text = _edit(text, LAST_ROW, LAST_ROW + _row("DELETE", "/authorisations/{id}", "Cancel a pending one"))
    text = _edit(text, "  author: Priya Raman\n", "  # hand comment: ours\n  author: Priya Raman\n")
    draft.write_text(text, encoding="utf-8")
    commit_all(repo, "ours: sla, cancel")

    merged = git(repo, "merge", "--no-edit", "feature", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    result = draft.read_text(encoding="utf-8")
    assert not has_markers(result)
    assert "rate_limits: 1200 requests per minute per merchant account\n" in result
    assert "      sla: p99 under 900 ms  # agreed with Paylane on 2026-11-02\n" in result
    assert "  # hand comment: ours\n  author: Priya Raman\n" in result
    assert "external_system_integrations:\n# Theirs: Paylane is the only card processor\n" in result
    assert "endpoint: /voids" in result and "endpoint: /authorisations/{id}\n" in result
    # The driver leaves nothing behind in the work tree (no backup, no lock file beside git's temp file).
    assert git(repo, "status", "--porcelain", "--untracked-files=all").stdout == ""
    # Nothing else moved: the merge is ours, byte for byte, plus theirs' three changes.
    expected = _edit(text, RATE, RATE.replace("600", "1200"))
    expected = _edit(expected, LAST_ROW, LAST_ROW + _row("POST", "/voids", "Void an authorisation"))
    expected = _edit(expected, "external_system_integrations:\n",
                     "external_system_integrations:\n# Theirs: Paylane is the only card processor\n")
    assert result == expected
    assert run("check", draft).exit_code in (0, 1)  # reads as a draft again


@needs_git
def test_conflicting_edit_leaves_markers_only_at_that_value(tmp_path: Path, monkeypatch) -> None:
    repo = init_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    draft = repo / "spec.yaml"
    draft.write_text(COMPLETE, encoding="utf-8")
    _setup(repo)
    commit_all(repo, "spec")
    git(repo, "checkout", "-q", "-b", "feature")
    draft.write_text(_edit(_edit(COMPLETE, RATE, RATE.replace("600", "1200")), SLA, SLA.replace("800", "700")),
                     encoding="utf-8")
    commit_all(repo, "theirs")
    git(repo, "checkout", "-q", "main")
    ours = _edit(COMPLETE, RATE, RATE.replace("600", "900"))
    draft.write_text(ours, encoding="utf-8")
    commit_all(repo, "ours")

    merged = git(repo, "merge", "--no-edit", "feature", check=False)
    assert merged.returncode != 0
    result = draft.read_text(encoding="utf-8")
    expected = _edit(_edit(ours, SLA, SLA.replace("800", "700")), RATE.replace("600", "900"),
                     "<<<<<<< ours\n" + RATE.replace("600", "900") + "=======\n" + RATE.replace("600", "1200")
                     + ">>>>>>> theirs\n")
    assert result == expected
    line = result.splitlines().index("<<<<<<< ours") + 1

    check = run("check", draft)
    assert check.exit_code == 2
    assert f"spec.yaml:{line}: Integration 1 (Paylane Payments API) › Connection Details › Rate Limits" in check.output
    assert "invalid YAML" not in check.output and "Traceback" not in check.output


def test_reordered_rows_and_an_edit_do_not_conflict(tmp_path: Path, schema) -> None:
    rows_start = COMPLETE.index("    api_endpoints:\n") + len("    api_endpoints:\n")
    rows_end = COMPLETE.index("    error_handling:\n", rows_start)
    rows = COMPLETE[rows_start:rows_end].split("      - method:")[1:]
    reordered = COMPLETE[:rows_start] + "".join("      - method:" + r for r in reversed(rows)) + COMPLETE[rows_end:]
    theirs = _edit(COMPLETE, "purpose: Refund a captured part", "purpose: Refund part of a capture")
    base, ours, their_file = _three(tmp_path, reordered, theirs)
    result = merge_drafts(schema, base, ours, their_file)
    assert not result.marked and not result.conflicts
    assert result.text == _edit(reordered, "purpose: Refund a captured part", "purpose: Refund part of a capture")


def test_row_deleted_on_one_side_and_edited_on_the_other_conflicts(tmp_path: Path, schema) -> None:
    row = _row("POST", "/voids", "Void")
    base_text = _edit(COMPLETE, LAST_ROW, LAST_ROW + row)
    ours = _edit(base_text, row, "")
    theirs = _edit(base_text, "purpose: Void\n", "purpose: Void an authorisation\n")
    result = merge_drafts(schema, *_three(tmp_path, ours, theirs, base_text))
    assert result.marked
    assert [c.label for c in result.conflicts] == [
        "Integration 1 (Paylane Payments API) › API Endpoints › row POST /voids"]
    block, = find_conflicts(result.text, schema)
    assert block.ours == () and "endpoint: /voids" in "".join(block.theirs)


def test_same_row_added_on_both_sides_is_added_once(tmp_path: Path, schema) -> None:
    row = _row("POST", "/voids", "Void")
    added = _edit(COMPLETE, LAST_ROW, LAST_ROW + row)
    result = merge_drafts(schema, *_three(tmp_path, added, added))
    assert not result.marked and result.text.count("endpoint: /voids") == 1


def test_integration_removed_by_theirs_and_another_added(tmp_path: Path, schema) -> None:
    from ruamel.yaml import YAML

    start = COMPLETE.index("  - name: Shipwise Rates API\n")
    end = COMPLETE.index("internal_system_integrations:\n")
    theirs = COMPLETE[:start] + COMPLETE[end:]
    theirs = _edit(theirs, "internal_system_integrations:\n",
                   "internal_system_integrations:\n  - name: Fraud Service\n    purpose: Score orders\n")
    ours = _edit(COMPLETE, RATE, RATE.replace("600", "900"))
    result = merge_drafts(schema, *_three(tmp_path, ours, theirs))
    assert not result.marked
    data = YAML(typ="safe").load(result.text)
    assert [i["name"] for i in data["external_system_integrations"]] == ["Paylane Payments API"]
    assert data["internal_system_integrations"][0]["name"] == "Fraud Service"
    assert data["external_system_integrations"][0]["connection_details"]["rate_limits"].startswith("900")


def test_last_updated_takes_the_later_date_without_conflict(tmp_path: Path, schema) -> None:
    ours = _edit(_edit(COMPLETE, "last_updated: 2026-11-20", "last_updated: 2026-11-25"), RATE,
                 RATE.replace("600", "900"))
    theirs = _edit(_edit(COMPLETE, "last_updated: 2026-11-20", "last_updated: 2026-11-27"), SLA,
                   SLA.replace("800", "700"))
    result = merge_drafts(schema, *_three(tmp_path, ours, theirs))
    assert not result.marked and "last_updated: 2026-11-27" in result.text


def test_markers_with_a_base_part_are_read(schema) -> None:
    text = _edit(COMPLETE, RATE, "<<<<<<< HEAD\n" + RATE.replace("600", "900") + "||||||| base\n" + RATE
                 + "=======\n" + RATE.replace("600", "1200") + ">>>>>>> feature\n")
    block, = find_conflicts(text, schema)
    assert block.label == "Integration 1 (Paylane Payments API) › Connection Details › Rate Limits"
    assert block.ours == (RATE.replace("600", "900"),) and block.theirs == (RATE.replace("600", "1200"),)


@needs_git
def test_files_that_are_not_drafts_are_merged_by_lines(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    base, ours, theirs = _three(tmp_path, "a: 10\nb: 2\nc: 3\n", "a: 1\nb: 2\nc: 30\n", base="a: 1\nb: 2\nc: 3\n")
    result = run("merge-driver", base, ours, theirs, "config.yaml")
    assert result.exit_code == 0
    assert ours.read_text(encoding="utf-8") == "a: 10\nb: 2\nc: 30\n"


@needs_git
def test_setup_git_writes_config_and_attributes_once(tmp_path: Path, monkeypatch) -> None:
    repo = init_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    (repo / ".gitattributes").write_text("*.png binary", encoding="utf-8")
    first = run("setup-git")
    assert first.exit_code == 0
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == (
        "*.png binary\n*.yaml diff=intwizard merge=intwizard\n*.yml diff=intwizard merge=intwizard\n")
    assert git(repo, "config", "--get", "merge.intwizard.driver").stdout.strip().endswith(
        "merge-driver %O %A %B %P")
    assert git(repo, "config", "--get", "diff.intwizard.textconv").stdout.strip().endswith("diff --textconv")
    assert git(repo, "config", "--get", "diff.intwizard.cachetextconv").stdout.strip() == "true"
    second = run("setup-git")
    assert "(already there)" in second.output
    assert (repo / ".gitattributes").read_text(encoding="utf-8").count("*.yaml") == 1


def test_setup_git_outside_a_repository(tmp_path: Path, monkeypatch) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = run("setup-git")
    assert result.exit_code == 2 and "not in a git repository" in result.output


@needs_git
def test_setup_git_global(tmp_path: Path, monkeypatch, own_home: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(own_home / ".config"))
    result = run("setup-git", "--global")
    assert result.exit_code == 0, result.output
    assert "merge-driver %O %A %B %P" in (own_home / ".gitconfig").read_text(encoding="utf-8")
    attributes = own_home / ".config" / "git" / "attributes"
    assert "*.yaml diff=intwizard merge=intwizard" in attributes.read_text(encoding="utf-8")


def _reorder_integrations(d: dict) -> None:
    d["external_system_integrations"].reverse()


def _reorder_rows(d: dict) -> None:
    d["external_system_integrations"][0]["api_endpoints"].reverse()


def _add_integration(d: dict) -> None:
    d["internal_system_integrations"].insert(0, {"name": "Fraud Service", "purpose": "Score orders"})


def _remove_row(d: dict) -> None:
    del d["external_system_integrations"][1]["api_endpoints"][0]


def _edit_list(d: dict) -> None:
    items = d["data_integration_patterns"]["synchronous_integration"]["advantages"]
    items.insert(1, "Easy to trace")
    del items[0]


def _tick_and_sign(d: dict) -> None:
    checklist = d["validation_checklist"]["integration_completeness"]
    first = next(iter(checklist))
    checklist[first] = not checklist[first]
    d["validation_checklist"]["review_and_approval"]["operations_team"]["decision"] = "Rejected"


def _unknown_key(d: dict) -> None:
    d["overview"]["team_notes"] = "kept as written"


def _multiline(d: dict) -> None:
    d["overview"]["summary"] = d["overview"]["summary"].replace("Refunds are split", "Refunds go") + "\nMore."


EDITS = [_reorder_integrations, _reorder_rows, _add_integration, _remove_row, _edit_list, _tick_and_sign,
         _unknown_key, _multiline]


def _theirs_text(edit) -> str:
    from io import StringIO

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 20
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(COMPLETE)
    edit(data)
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.__name__)
def test_ours_unchanged_takes_theirs_and_theirs_unchanged_keeps_ours(tmp_path: Path, schema, edit) -> None:
    from ruamel.yaml import YAML

    theirs = _theirs_text(edit)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    result = merge_drafts(schema, *_three(tmp_path / "a", COMPLETE, theirs))
    assert not result.marked
    safe = YAML(typ="safe")
    merged, wanted = safe.load(result.text), safe.load(theirs)
    merged.pop("intwizard"), wanted.pop("intwizard")
    assert merged == wanted
    kept = merge_drafts(schema, *_three(tmp_path / "b", theirs, COMPLETE))
    assert kept.text == theirs and not kept.marked


def test_a_file_both_sides_added_merges_from_an_empty_base(tmp_path: Path, schema) -> None:
    ours = _edit(COMPLETE, RATE, RATE.replace("600", "900"))
    result = merge_drafts(schema, *_three(tmp_path, ours, COMPLETE, base=""))
    assert result.marked
    assert [c.label for c in result.conflicts] == [
        "Integration 1 (Paylane Payments API) › Connection Details › Rate Limits"]
