"""Sign-offs that stay true: a fingerprint per sign-off, stale once the content changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_support import run
from conftest import FIXTURES
from git_support import commit_all, init_repo, needs_git
from ruamel.yaml import YAML

from intwizard.core import signoffs

ROLES = "validation_checklist.review_and_approval"


def _signed_draft(path: Path) -> Path:
    """complete.yaml with its sign-offs cleared, then the security review signed through intwizard."""
    shutil.copy(FIXTURES / "complete.yaml", path)
    clear = [f"{ROLES}.{role}.{part}=" for role in ("technical_architect", "security_review", "operations_team")
             for part in ("name", "date", "decision")]
    assert run("set", path, *clear).exit_code == 0
    result = run("set", path, f"{ROLES}.security_review.name=Grace Okafor",
                 f"{ROLES}.security_review.date=2026-11-19", f"{ROLES}.security_review.decision=Approved",
                 f"{ROLES}.operations_team.name=Lena Fischer", f"{ROLES}.operations_team.date=2026-11-20",
                 f"{ROLES}.operations_team.decision=Approved")
    assert result.exit_code == 0, result.output
    return path


def _findings(path: Path) -> list[dict]:
    report = json.loads(run("check", path, "--format", "json").output)
    return [f for f in report["drafts"][0]["findings"] if f["rule"] in ("stale-signoff", "approved-unbacked")]


def test_a_signoff_records_a_fingerprint(tmp_path: Path) -> None:
    draft = _signed_draft(tmp_path / "spec.yaml")
    kept = YAML(typ="safe").load(draft.read_text(encoding="utf-8"))["intwizard"]["signoffs"]
    assert set(kept) == {"security_review", "operations_team"}
    assert len(kept["security_review"]["fingerprint"]) == 16
    assert _findings(draft) == []


def test_signoff_goes_stale_after_an_edit_and_check_says_so(tmp_path: Path) -> None:
    draft = _signed_draft(tmp_path / "spec.yaml")
    assert run("set", draft, "external_system_integrations.0.connection_details.rate_limits=1200 rpm").exit_code == 0
    found = {f["path"].rsplit(".", 1)[1]: f for f in _findings(draft)}
    # SEV-2 requires the security review: an error; the operations team's is a warning.
    assert found["security_review"]["severity"] == "error"
    assert "Security Review sign-off is stale" in found["security_review"]["message"]
    assert "2026-11-19" in found["security_review"]["message"]
    assert found["operations_team"]["severity"] == "warning"
    result = run("check", draft)
    assert result.exit_code == 1
    assert "Security Review sign-off is stale: the spec changed since it was signed (2026-11-19)" in result.output

    exported = run("export", draft, "-o", "-").output
    assert "Grace Okafor - 2026-11-19 - Approved (stale: changed since 2026-11-19)" in exported

    # Signing again (a new date) records the content as it is now.
    assert run("set", draft, f"{ROLES}.security_review.date=2026-11-22").exit_code == 0
    assert [f["path"].rsplit(".", 1)[1] for f in _findings(draft)] == ["operations_team"]


def test_review_status_and_last_updated_are_not_content(tmp_path: Path) -> None:
    draft = _signed_draft(tmp_path / "spec.yaml")
    assert run("set", draft, "meta.review_status=UNDER_REVIEW", "meta.last_updated=2026-12-24").exit_code == 0
    assert _findings(draft) == []


def test_approved_with_stale_rejected_or_missing_required_role_is_an_error(tmp_path: Path) -> None:
    draft = _signed_draft(tmp_path / "spec.yaml")
    assert run("set", draft, "meta.review_status=APPROVED").exit_code == 0
    assert _findings(draft) == []
    assert run("set", draft, "overview.summary=Something else entirely").exit_code == 0
    found = _findings(draft)
    assert {f["severity"] for f in found} == {"error"}  # APPROVED: every stale sign-off is an error
    assert any("Review Status is APPROVED" in f["message"] for f in found)

    assert run("set", draft, f"{ROLES}.security_review.decision=Rejected").exit_code == 0
    rejected = [f for f in _findings(draft) if f["path"].endswith("security_review")]
    assert [f["rule"] for f in rejected] == ["approved-unbacked"]
    assert "Security Review decided 'Rejected'" in rejected[0]["message"]

    assert run("set", draft, f"{ROLES}.security_review.decision=", f"{ROLES}.security_review.name=",
               f"{ROLES}.security_review.date=").exit_code == 0
    missing = [f for f in _findings(draft) if f["path"].endswith("security_review")]
    assert [f["message"] for f in missing] == ["Review Status is APPROVED, but Security Review has not signed"]
    kept = YAML(typ="safe").load(draft.read_text(encoding="utf-8"))["intwizard"]["signoffs"]
    assert "security_review" not in kept  # unsigned: its fingerprint is forgotten


def test_a_signoff_typed_by_hand_has_no_fingerprint(tmp_path: Path) -> None:
    draft = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", draft)
    assert run("set", draft, "overview.summary=Changed").exit_code == 0
    text = draft.read_text(encoding="utf-8")
    assert "signoffs" not in text  # only the edited value and last_updated changed
    assert _findings(draft) == []
    result = run("diff", draft, "--since-signoff", "security_review")
    assert result.exit_code == 2 and "Security Review has no recorded sign-off" in result.output


def test_fingerprint_ignores_signoffs_and_formatting(schema) -> None:
    data = YAML(typ="safe").load((FIXTURES / "complete.yaml").read_text(encoding="utf-8"))
    before = signoffs.fingerprint(schema, data)
    data["validation_checklist"]["review_and_approval"]["security_review"]["decision"] = "Rejected"
    data["overview"]["summary"] += "   \n"
    assert signoffs.fingerprint(schema, data) == before
    data["overview"]["summary"] += "More."
    assert signoffs.fingerprint(schema, data) != before


@needs_git
def test_diff_since_signoff_finds_the_signed_version_in_git(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    draft = _signed_draft(repo / "spec.yaml")
    commit_all(repo, "signed")
    assert run("set", draft, "meta.author=Ada Lovelace").exit_code == 0
    commit_all(repo, "new author")
    assert run("set", draft, "external_system_integrations.0.connection_details.rate_limits=1200 rpm").exit_code == 0
    result = run("diff", draft, "--since-signoff", "Security Review")
    assert result.exit_code == 1
    assert "Document Information › Author: Priya Raman → Ada Lovelace" in result.output
    assert "Integration 1 (Paylane Payments API) › Connection Details › Rate Limits:" in result.output
    assert "Sign-off" not in result.output and "Review and Approval" not in result.output
    unknown = run("diff", draft, "--since-signoff", "ceo")
    assert unknown.exit_code == 2 and "no sign-off role 'ceo'" in unknown.output


@needs_git
def test_diff_since_signoff_says_when_it_cannot(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    draft = _signed_draft(repo / "spec.yaml")
    assert run("set", draft, "meta.author=Ada Lovelace").exit_code == 0  # the signed version was never committed
    commit_all(repo, "only the edited one")
    result = run("diff", draft, "--since-signoff", "security_review")
    assert result.exit_code == 2
    assert "no version in the git history has the content it approved" in result.output


@pytest.mark.parametrize("role", ["security_review", "SECURITY REVIEW"])
def test_nothing_changed_since_signoff(tmp_path: Path, role: str) -> None:
    draft = _signed_draft(tmp_path / "spec.yaml")
    result = run("diff", draft, "--since-signoff", role)
    assert result.exit_code == 0 and "nothing changed since" in result.output


def test_signing_and_editing_in_one_session_is_not_stale(tmp_path: Path, schema) -> None:
    from intwizard.core.store import open_draft

    draft = _signed_draft(tmp_path / "spec.yaml")
    session = open_draft(draft, schema)
    session.draft.set(f"{ROLES}.technical_architect.name", "Tomasz Nowak")
    session.draft.set(f"{ROLES}.technical_architect.decision", "Approved")
    session.draft.set(f"{ROLES}.technical_architect.date", "2026-11-21")
    assert session.save()
    session.draft.set("overview.summary", "Fixed a typo after signing")  # the same sitting
    assert session.save()
    stale = {f["path"].rsplit(".", 1)[1] for f in _findings(draft)}
    assert stale == {"security_review", "operations_team"}  # signed in earlier sittings


def test_a_merge_keeps_the_fingerprint_theirs_signed(tmp_path: Path, schema) -> None:
    from intwizard.core.merge import merge_drafts

    base = _signed_draft(tmp_path / "base.yaml")
    theirs = tmp_path / "theirs.yaml"
    shutil.copy(base, theirs)
    assert run("set", theirs, f"{ROLES}.technical_architect.name=Tomasz Nowak",
               f"{ROLES}.technical_architect.date=2026-11-21", f"{ROLES}.technical_architect.decision=Approved"
               ).exit_code == 0
    ours = tmp_path / "ours.yaml"
    shutil.copy(base, ours)
    assert run("set", ours, "meta.author=Ada Lovelace").exit_code == 0
    result = merge_drafts(schema, base, ours, theirs)
    assert not result.marked
    ours.write_text(result.text, encoding="utf-8")
    found = {f["path"].rsplit(".", 1)[1]: f["severity"] for f in _findings(ours)}
    # The architect approved theirs, not ours' new author: stale. The others' content changed too.
    assert found == {"technical_architect": "warning", "security_review": "error", "operations_team": "warning"}


def test_a_stale_signoff_marks_its_section_in_the_wizard_sidebar(tmp_path: Path, schema) -> None:
    from intwizard.core.checks import COMPLETE, PARTIAL, statuses
    from intwizard.core.store import read_plain

    draft = _signed_draft(tmp_path / "spec.yaml")
    section = schema.signoff.path.split(".")[0]
    assert statuses(schema, read_plain(draft))[section] == COMPLETE
    assert run("set", draft, "meta.author=Ada Lovelace").exit_code == 0
    assert statuses(schema, read_plain(draft))[section] == PARTIAL  # the sidebar's ◐ (stale, required)
