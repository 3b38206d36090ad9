"""``intwizard diff``: changes named by section and label, rows and integrations matched by identity."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_support import run
from conftest import FIXTURES
from git_support import INTWIZARD, commit_all, git, init_repo, needs_git
from ruamel.yaml import YAML

from intwizard.core import spec_diff


def _load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.fixture
def data() -> dict:
    return _load(FIXTURES / "complete.yaml")


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_changed_field_is_named_by_its_labels(schema, data) -> None:
    import copy

    new = copy.deepcopy(data)
    new["external_system_integrations"][0]["connection_details"]["rate_limits"] = "1200 requests per minute"
    changes = spec_diff.diff(schema, data, new)
    assert spec_diff.format_text(changes) == (
        "Integration 1 (Paylane Payments API) › Connection Details › Rate Limits: "
        "600 requests per minute per merchant account → 1200 requests per minute\n")
    assert changes[0].path == "external_system_integrations.0.connection_details.rate_limits"


def test_nothing_changed_is_no_change(schema, data) -> None:
    assert spec_diff.diff(schema, data, data) == []


def test_rows_are_matched_by_method_and_endpoint(schema, data) -> None:
    import copy

    new = copy.deepcopy(data)
    rows = new["external_system_integrations"][0]["api_endpoints"]
    rows.reverse()  # reordering alone is a move, not a change of every row
    rows[-1]["purpose"] = "Authorise a part"
    rows.append({"method": "POST", "endpoint": "/voids", "purpose": "Void", "request": "", "response": ""})
    del rows[1]
    text = spec_diff.format_text(spec_diff.diff(schema, data, new))
    assert ("Integration 1 (Paylane Payments API) › API Endpoints › row POST /authorisations: "
            "Purpose: Authorise one part of the order → Authorise a part") in text
    assert "row POST /voids: added" in text
    removed = [c for c in spec_diff.diff(schema, data, new) if c.kind == "removed"]
    assert [c.where[-1] for c in removed] == ["row POST /refunds"]
    assert "moved" in text


def test_same_endpoint_with_another_method_is_another_row(schema, data) -> None:
    import copy

    new = copy.deepcopy(data)
    rows = new["external_system_integrations"][0]["api_endpoints"]
    rows.append({**rows[0], "method": "GET"})
    changes = spec_diff.diff(schema, data, new)
    assert [(c.kind, c.where[-1]) for c in changes] == [("added", "row GET /authorisations")]


def test_integrations_renamed_moved_added_removed(schema, data) -> None:
    import copy

    new = copy.deepcopy(data)
    ext = new["external_system_integrations"]
    ext.reverse()
    ext[0]["name"] = "Shipwise Rates API v2"
    internal = new["internal_system_integrations"]
    gone = internal.pop(1)
    internal.append({"name": "Fraud Service", "purpose": "Score orders"})
    changes = spec_diff.diff(schema, data, new)
    summary = [(c.label, c.kind) for c in changes if c.kind != "changed"]
    assert ("Integration 1 (Shipwise Rates API v2)", "renamed") in summary
    assert any(kind == "moved" for _label, kind in summary)
    assert (f"Integration B ({gone['name']})", "removed") in summary
    assert ("Integration B (Fraud Service)", "added") in summary
    added = next(c for c in changes if c.kind == "added")
    assert "Purpose: Score orders" in added.lines


def test_multiline_text_is_a_line_diff(schema, data) -> None:
    import copy

    new = copy.deepcopy(data)
    new["overview"]["summary"] = data["overview"]["summary"].replace("Refunds are split", "Refunds go")
    change, = spec_diff.diff(schema, data, new)
    assert change.label == "Overview › Summary"
    assert any(line.startswith("- Refunds are split") for line in change.lines)
    assert any(line.startswith("+ Refunds go") for line in change.lines)
    assert len(change.lines) < 6  # a small diff, not the whole text twice


def test_checklist_and_signoff(schema, data) -> None:
    import copy

    new = copy.deepcopy(data)
    section = next(s for s in schema.sections if any(n.kind == "checklist" for n in s.walk()))
    checklist = next(n for n in section.walk() if n.kind == "checklist")
    ticks = new
    for part in checklist.path.split("."):
        ticks = ticks[part]
    item = checklist.children[0]
    ticks[item.key] = not ticks.get(item.key)
    text = spec_diff.format_text(spec_diff.diff(schema, data, new))
    assert f"{section.label} › {checklist.label} › {item.label}: " in text


def _pair(tmp_path: Path, old: str, new: str) -> tuple[Path, Path]:
    a, b = tmp_path / "old.yaml", tmp_path / "new.yaml"
    a.write_text(old, encoding="utf-8")
    b.write_text(new, encoding="utf-8")
    return a, b


def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    text = (FIXTURES / "complete.yaml").read_text(encoding="utf-8")
    a, b = _pair(tmp_path, text, _edit(text, "rate_limits: 600 requests", "rate_limits: 1200 requests"))
    same = run("diff", a, a)
    assert same.exit_code == 0 and same.output == ""
    result = run("diff", a, b)
    assert result.exit_code == 1
    assert "Integration 1 (Paylane Payments API) › Connection Details › Rate Limits: 600" in result.output
    markdown = run("diff", a, b, "--format", "markdown")
    assert markdown.exit_code == 1
    assert "- **Integration 1 (Paylane Payments API) › Connection Details › Rate Limits**: `600" in markdown.output
    report = json.loads(run("diff", a, b, "--format", "json").output)
    assert report["changed"] is True
    assert report["changes"][0]["where"] == ["Integration 1 (Paylane Payments API)", "Connection Details",
                                             "Rate Limits"]


def test_markdown_is_lint_clean_shape(tmp_path: Path) -> None:
    text = (FIXTURES / "complete.yaml").read_text(encoding="utf-8")
    changed = _edit(text, "Nothing changes for single-method orders.", "Single-method orders | stay as `they` are.")
    a, b = _pair(tmp_path, text, changed)
    out = run("diff", a, b, "--format", "markdown").output
    assert "```diff" in out and "+ Refunds are split back in the same proportions. Single-method orders" in out


def test_cli_bad_input_is_exit_2(tmp_path: Path) -> None:
    a, b = _pair(tmp_path, "meta: [unclosed\n", "meta: {}\n")
    result = run("diff", a, b)
    assert result.exit_code == 2
    assert "old.yaml:2:1: invalid YAML" in result.output and "Traceback" not in result.output
    missing = run("diff", tmp_path / "nope.yaml", b)
    assert missing.exit_code == 2 and "no such file" in missing.output


@needs_git
def test_rev_defaults_to_head_and_git_diff_shows_labels(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    draft = repo / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", draft)
    commit_all(repo, "spec")
    text = draft.read_text(encoding="utf-8")
    draft.write_text(_edit(text, "rate_limits: 600 requests", "rate_limits: 900 requests"), encoding="utf-8")

    result = run("diff", draft)
    assert result.exit_code == 1
    assert "Rate Limits: 600 requests per minute per merchant account → 900 requests" in result.output
    assert run("diff", draft, "--rev", "HEAD").output == result.output
    unknown = run("diff", draft, "--rev", "no-such-branch")
    assert unknown.exit_code == 2 and "unknown git revision" in unknown.output

    (repo / ".gitattributes").write_text("*.yaml diff=intwizard\n", encoding="utf-8")
    git(repo, "config", "diff.intwizard.textconv", f"{INTWIZARD} diff --textconv")
    shown = git(repo, "diff", "--", "spec.yaml").stdout
    assert ("-External System Integrations › Paylane Payments API › Connection Details › Rate Limits: "
            "600 requests per minute per merchant account") in shown
    assert "+External System Integrations › Paylane Payments API › Connection Details › Rate Limits: 900" in shown
    commit_all(repo, "faster")
    log = git(repo, "log", "-p", "-1", "--", "spec.yaml").stdout
    assert "+External System Integrations › Paylane Payments API › Connection Details › Rate Limits: 900" in log


def test_textconv_is_one_labelled_line_per_answer(tmp_path: Path) -> None:
    result = run("diff", "--textconv", FIXTURES / "complete.yaml")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "Document Information › Feature Name: Split Payments at Checkout" in lines
    assert ("External System Integrations › Paylane Payments API › API Endpoints › POST /refunds › Purpose: "
            "Refund a captured part") in lines
    assert "Overview › Summary:" in lines and any(line.startswith("    | Shoppers can split") for line in lines)


def test_textconv_of_a_broken_file_shows_its_text(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("intwizard: {format: 1}\nmeta: [unclosed\n", encoding="utf-8")
    result = run("diff", "--textconv", broken)
    assert result.exit_code == 0
    assert "meta: [unclosed" in result.output and "shown as plain text" in result.output


def test_diff_of_a_conflicted_draft_names_the_conflict(tmp_path: Path) -> None:
    text = (FIXTURES / "complete.yaml").read_text(encoding="utf-8")
    rate = "      rate_limits: 600 requests per minute per merchant account\n"
    conflicted = _edit(text, rate, f"<<<<<<< ours\n{rate}=======\n{rate.replace('600', '900')}>>>>>>> theirs\n")
    a, b = _pair(tmp_path, text, conflicted)
    result = run("diff", a, b)
    assert result.exit_code == 2
    assert "new.yaml:47: Integration 1 (Paylane Payments API) › Connection Details › Rate Limits" in result.output


def test_textconv_of_other_yaml_is_the_file_itself(tmp_path: Path) -> None:
    other = tmp_path / "ci.yaml"
    other.write_text("jobs:\n  test:\n    runs-on: ubuntu-latest  # a comment\n", encoding="utf-8")
    result = run("diff", "--textconv", other)
    assert result.exit_code == 0 and result.output == other.read_text(encoding="utf-8")
