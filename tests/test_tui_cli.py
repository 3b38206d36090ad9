"""The real command in a pseudo-terminal: `intwizard new` opens the wizard, typing fills the feature
name, ctrl+q saves and quits; `intwizard resume` opens it again where the author was."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
from cli_support import spawn as spawn_intwizard

from intwizard.core.store import read_plain

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def spawn(args: list[str], cwd: Path) -> pexpect.spawn:
    env = {"TERM": "xterm-256color", "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"]}
    return spawn_intwizard(*args, cwd=cwd, env=env, size=(30, 100))


def test_new_type_quit_then_resume(tmp_path: Path) -> None:
    child = spawn(["new", "pay.yaml"], tmp_path)
    child.expect("Feature Name")
    child.send("Refunds")
    child.expect("Refunds")
    child.sendcontrol("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Draft saved: pay.yaml" in child.before
    assert read_plain(tmp_path / "pay.yaml")["meta"]["feature_name"] == "Refunds"

    child = spawn(["resume", "pay.yaml"], tmp_path)
    child.expect("Refunds")
    child.sendcontrol("n")  # next section: Overview
    child.expect("Summary")
    child.sendcontrol("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
