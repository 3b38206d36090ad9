"""The CLI run in-process for the tests (click's CliRunner): one helper for every test file."""

from __future__ import annotations

from click.testing import CliRunner, Result

from intwizard.cli import main


def run(*args: object, catch_exceptions: bool = False) -> Result:
    """``intwizard ARGS...``; an unexpected exception propagates (a traceback is a bug, not an exit code)."""
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=catch_exceptions)
