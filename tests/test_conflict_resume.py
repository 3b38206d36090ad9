"""``resume`` on a draft a merge left with conflict markers: keep ours / take theirs / edit, per conflict."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pexpect
import pytest
from cli_support import spawn
from conftest import FIXTURES

from intwizard.core.merge import ConflictMarkersError
from intwizard.core.store import read_file, read_plain
from intwizard.prompts.conflicts import EDIT, KEEP_OURS, STOP, TAKE_THEIRS, resolve

COMPLETE = (FIXTURES / "complete.yaml").read_text(encoding="utf-8")
RATE = "      rate_limits: 600 requests per minute per merchant account\n"
SLA = "      sla: p99 under 800 ms, 99.95% monthly availability\n"


def _conflicted(path: Path) -> Path:
    text = COMPLETE
    for old, ours, theirs in ((RATE, "600", "1200"), (SLA, "800", "700")):
        text = text.replace(old, f"<<<<<<< ours\n{old}=======\n{old.replace(ours, theirs)}>>>>>>> theirs\n")
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, schema) -> ConflictMarkersError:
    with pytest.raises(ConflictMarkersError) as caught:
        read_file(path)
    return caught.value.labelled(schema)


def test_each_conflict_is_offered_and_the_choices_saved(tmp_path: Path, schema) -> None:
    draft = _conflicted(tmp_path / "spec.yaml")
    error = _error(draft, schema)
    assert [block.label for block in error.marked] == [
        "Integration 1 (Paylane Payments API) › Connection Details › Rate Limits",
        "Integration 1 (Paylane Payments API) › Connection Details › SLA"]
    answers = iter([TAKE_THEIRS, EDIT, EDIT])
    edits = iter([None, ["      sla: p99 under 750 ms\n"]])  # first time the editor is left unsaved
    assert resolve(draft, error, ask=lambda _message: next(answers), edit=lambda _block: next(edits))
    data = read_plain(draft)["external_system_integrations"][0]["connection_details"]
    assert data["rate_limits"] == "1200 requests per minute per merchant account"
    assert data["sla"] == "p99 under 750 ms"
    assert draft.read_text(encoding="utf-8") == COMPLETE.replace("600 requests", "1200 requests").replace(
        SLA, "      sla: p99 under 750 ms\n")
    assert "<<<<<<<" in (tmp_path / "spec.yaml.bak").read_text(encoding="utf-8")


def test_stopping_leaves_the_file_as_it_was(tmp_path: Path, schema) -> None:
    draft = _conflicted(tmp_path / "spec.yaml")
    before = draft.read_bytes()
    answers = iter([KEEP_OURS, STOP])
    assert not resolve(draft, _error(draft, schema), ask=lambda _message: next(answers))
    assert draft.read_bytes() == before


@pytest.mark.slow
def test_resume_plain_offers_the_conflicts_first(tmp_path: Path) -> None:
    draft = _conflicted(tmp_path / "spec.yaml")
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30", PROMPT_TOOLKIT_NO_CPR="1")
    child = spawn("resume", "--plain", "spec.yaml", cwd=tmp_path, env=env, timeout=30, sigint=signal.SIG_DFL)
    child.expect_exact("Merge conflict 1 of 2, spec.yaml:")
    child.expect_exact("Integration 1 (Paylane Payments API) › Connection Details › Rate Limits")
    child.expect("Which one")
    child.send("2")  # Take theirs
    child.send("\r")
    child.expect_exact("Merge conflict 2 of 2")
    child.expect("Which one")
    child.send("1")  # Keep ours
    child.send("\r")
    child.expect_exact("Resolved 2 conflicts; saved spec.yaml")
    child.sendintr()  # the plain prompts have started: stop them
    child.expect(pexpect.EOF)
    child.close()
    data = read_plain(draft)["external_system_integrations"][0]["connection_details"]
    assert data["rate_limits"] == "1200 requests per minute per merchant account"
    assert data["sla"] == "p99 under 800 ms, 99.95% monthly availability"
    assert "Traceback" not in (child.before or "")
