"""`--plain` without a terminal: a clear message pointing at the non-interactive commands, exit 2."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from intwizard.cli import main


@pytest.mark.parametrize("command", ["new", "resume"])
def test_plain_without_a_terminal_points_at_set(command, tmp_path, complete_yaml):
    draft = tmp_path / "spec.yaml"
    if command == "resume":
        shutil.copyfile(complete_yaml, draft)
    before = draft.read_bytes() if draft.exists() else None

    result = CliRunner().invoke(main, [command, "--plain", str(draft)], input="Checkout\n")

    assert result.exit_code == 2
    assert f"`intwizard {command} --plain` needs an interactive terminal" in result.output
    assert "--no-input --set" in result.output
    assert "intwizard set DRAFT KEY=VALUE" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (draft.read_bytes() if draft.exists() else None) == before
