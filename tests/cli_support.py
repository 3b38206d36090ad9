"""The CLI for the tests: run in-process (click's CliRunner), or for real in a pseudo-terminal."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from intwizard.cli import main


def run(*args: object, catch_exceptions: bool = False) -> Result:
    """``intwizard ARGS...``; an unexpected exception propagates (a traceback is a bug, not an exit code)."""
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=catch_exceptions)


def spawn(*args: str, cwd: Path, env: dict[str, str], size: tuple[int, int] = (24, 80), timeout: float = 60,
          sigint: int = signal.SIG_DFL) -> Any:
    """``python -m intwizard ARGS`` in a pseudo-terminal (pexpect). Ctrl-C starts as the default rather
    than as this process has it (a CI job run in the background ignores SIGINT); ``sigint=SIG_IGN``
    starts it the way a script's background job does."""
    import pexpect

    return pexpect.spawn(sys.executable, ["-m", "intwizard", *args], cwd=str(cwd), env=env, dimensions=size,
                         timeout=timeout, encoding="utf-8", preexec_fn=lambda: signal.signal(signal.SIGINT, sigint))
