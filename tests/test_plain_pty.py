"""The real `intwizard ... --plain` in a pseudo-terminal, typed at as a person would (pexpect)."""

from __future__ import annotations

import io
import os
import shutil
import signal
from pathlib import Path

import pexpect
import pytest
from cli_support import spawn as spawn_intwizard

from intwizard.core.store import open_draft, read_plain

TIMEOUT = 30  # generous: only reached when something is broken


def spawn(*args: str, cwd: Path, term: str = "xterm-256color", sigint_ignored: bool = False) -> pexpect.spawn:
    """``intwizard ARGS`` at 80x24; ``sigint_ignored`` starts it as a script's background job is started
    (SIGINT ignored), where Ctrl-C must still stop the questions."""
    env = dict(os.environ, TERM=term, COLUMNS="80", LINES="24",
               # pexpect answers no cursor-position request; without this prompt_toolkit waits for one
               PROMPT_TOOLKIT_NO_CPR="1")
    return spawn_intwizard(*args, cwd=cwd, env=env, timeout=TIMEOUT,
                           sigint=signal.SIG_IGN if sigint_ignored else signal.SIG_DFL)


@pytest.mark.slow
def test_new_plain_asks_saves_and_stops_on_ctrl_c(tmp_path: Path):
    child = spawn("new", "--plain", "checkout.yaml", cwd=tmp_path)
    child.expect("Feature Name")
    child.send("Checkout\r")
    child.expect("Author")
    child.send("Ada Lovelace\r")
    child.expect("SEV Level")
    child.expect(r"4\) SEV-4")
    child.send("2\r")
    child.expect("Review Status")
    child.send("\r")
    child.expect("Summary")
    child.expect("Esc then Enter")
    child.send("Takes split payments.\rTalks to Paylane.")
    child.send("\x1b\r")
    child.expect("Integration Overview Diagram")
    child.sendintr()
    child.expect_exact("Stopped. Every answer so far is saved in checkout.yaml (4 changes this time).")
    child.expect("intwizard resume --plain checkout.yaml")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 130
    data = read_plain(tmp_path / "checkout.yaml")
    assert data["meta"]["feature_name"] == "Checkout"
    assert data["meta"]["author"] == "Ada Lovelace"
    assert data["meta"]["sev_level"] == "SEV-2"
    assert data["meta"]["review_status"] == "DRAFT"
    assert data["overview"]["summary"] == "Takes split payments.\nTalks to Paylane."
    assert "Traceback" not in child.before


@pytest.mark.slow
def test_resume_plain_starts_at_the_first_gap_and_ends_with_the_summary(tmp_path: Path, complete_yaml, schema):
    path = tmp_path / "spec.yaml"
    shutil.copyfile(complete_yaml, path)
    draft_file = open_draft(path, schema)
    draft_file.draft.set_value("meta.author", "")
    draft_file.draft.set_value("internal_system_integrations.0.service_details.service_url", "")
    draft_file.save()

    child = spawn("resume", "--plain", "spec.yaml", cwd=tmp_path)
    child.expect("Continuing spec.yaml")
    child.expect("Author")
    assert "Feature Name" not in child.before  # answered: skipped
    child.send("Priya\r")
    child.expect("Add another integration to External System Integrations")
    child.send("n")
    child.expect("Service URL")
    child.send("order-service\r")
    child.expect("is not a URL")
    child.expect("Service URL")
    child.send("\x15http://orders:8080\r")
    child.expect("Add another integration to Internal System Integrations")
    child.send("n")
    child.expect("Security considerations addressed")
    child.send("y")
    for _ in schema.node("next_steps").children[1:]:  # the fixture ticks only the first
        child.expect(r"\(y/N\)")
        child.send("n")
    child.expect("Still to do: 0 to fix|Nothing left to fix")
    child.expect("Your draft: spec.yaml")
    child.expect("intwizard export spec.yaml")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 0
    data = read_plain(path)
    assert data["meta"]["author"] == "Priya"
    assert data["internal_system_integrations"][0]["service_details"]["service_url"] == "http://orders:8080"
    assert data["validation_checklist"]["integration_completeness"]["security_considerations_addressed"] is True


@pytest.mark.slow
def test_new_plain_in_a_dumb_terminal_prints_no_escape_codes(tmp_path: Path):
    child = spawn("new", "--plain", "dumb.yaml", cwd=tmp_path, term="dumb", sigint_ignored=True)
    child.logfile_read = seen = io.StringIO()
    child.expect_exact("? Feature Name: ")
    child.sendline("Checkout")
    child.expect_exact("? Author: ")
    child.sendline("Ada")
    child.expect_exact("  2) SEV-2")
    child.expect_exact("Number [1]: ")
    child.sendline("3")
    child.expect_exact("? Review Status")
    child.expect_exact("Number [1]: ")
    child.sendline("")
    child.expect_exact("? Summary (end with a line holding only .):")
    child.sendline("Hello")
    child.sendline(".")
    child.expect_exact("? Integration Overview Diagram")
    child.sendintr()
    child.expect_exact("Stopped. Every answer so far is saved in dumb.yaml (4 changes this time).")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 130
    assert "\x1b[" not in seen.getvalue()
    data = read_plain(tmp_path / "dumb.yaml")
    meta = data["meta"]
    assert (meta["author"], meta["sev_level"], meta["review_status"]) == ("Ada", "SEV-3", "DRAFT")
    assert data["overview"]["summary"] == "Hello"


@pytest.mark.slow
def test_resume_plain_says_a_recovery_file_is_there(tmp_path: Path, complete_yaml) -> None:
    from intwizard.tui.recovery import write_recovery
    from intwizard.tui.session import Op

    path = tmp_path / "spec.yaml"
    shutil.copyfile(complete_yaml, path)
    write_recovery(path, path.read_text(), [Op("set", "meta.author", "Grace")], None, "boom")
    child = spawn("resume", "--plain", "spec.yaml", cwd=tmp_path)
    child.expect("spec.yaml.recovery holds edits rescued")
    child.expect("offers to put them back")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
