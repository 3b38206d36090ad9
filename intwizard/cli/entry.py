"""The ``intwizard`` program's entry (the console script and ``python -m intwizard``): run the command,
then end the process without taking its heap apart.

Python's own exit frees every object and module one by one, which nobody sees: 14 ms after merely
loading what ``set`` loads, and 40 ms more after a ``set`` on a 1.4 MB draft (its 130,000 nodes).
Where nothing is left to run at exit, the process flushes its output and ends with ``os._exit``, the
way long-running Python services skip their final teardown. Anything that asked to run at exit
(``atexit``: logging, temporary folders, coverage) or a thread still running means the usual exit.
Tests call ``main`` itself (click's runner), which never ends the process.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

from intwizard.cli.base import main

#: What a command handed over to be kept until the process ends (see :func:`keep_until_exit`); None
#: where the process does not end with the command (click's test runner, a caller of ``main``).
_kept: list[Any] | None = None


def keep_until_exit(value: Any) -> None:
    """Keep ``value`` (a big draft a command read) alive until the process ends, which then frees it
    with nothing else: freeing it as the command returns costs a 1.4 MB draft 40 ms."""
    if _kept is not None:
        _kept.append(value)


def kept_until_exit() -> list[Any] | None:
    """The list whose items stay alive until the process ends (see :func:`keep_until_exit`), or
    None where the process does not end with the command."""
    return _kept


def run() -> NoReturn:
    """Run the command line on ``sys.argv`` and exit with its code."""
    global _kept
    _kept = []
    try:
        main(prog_name="intwizard")
    except SystemExit as stop:
        code = stop.code
        if code is not None and not isinstance(code, int):
            _kept = None
            raise  # a message to print: Python's exit prints it (exit code 1)
        end(code or 0)
    end(0)


def end(code: int) -> NoReturn:
    """Exit with ``code``: at once when nothing is left to run at exit, else as Python does."""
    global _kept
    if nothing_left_to_run():
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed pipe or stream: Python's exit reports it as it always does
            pass
        else:
            os._exit(code)
    _kept = None  # freed now, before Python's own exit takes the modules apart
    sys.exit(code)


def nothing_left_to_run() -> bool:
    """No ``atexit`` function is registered and no thread but this one runs (a non-daemon thread
    would be waited for). ``atexit._ncallbacks`` is CPython's: elsewhere the usual exit is kept."""
    import atexit

    count = getattr(atexit, "_ncallbacks", None)
    if count is None or count():
        return False
    threading = sys.modules.get("threading")
    if threading is None:
        return True
    main_thread = threading.main_thread()
    return all(thread is main_thread or not thread.is_alive() for thread in threading.enumerate())
