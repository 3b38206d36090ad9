"""The ``intwizard`` command line: the entry point (``intwizard.cli:main``) with every command on it.

The group and the helpers the commands share live in ``cli.base``; the commands, grouped by job,
in the modules of this package imported below, which register themselves on ``main`` as they load.
Heavy imports (Textual, questionary) happen inside the commands that need them, so ``export``,
``set``, ``get`` and ``check`` start fast and run where no terminal UI can.
Exit codes: 0 ok, 1 a check failed, 2 usage or input error.
"""

from __future__ import annotations

# Imported for their side effect: each module attaches its commands to ``main``.
from intwizard.cli import drafting, importing, reading, team, templates  # noqa: F401
from intwizard.cli.base import EXIT_CHECK_FAILED, EXIT_INPUT, main

__all__ = ["EXIT_CHECK_FAILED", "EXIT_INPUT", "main"]

if __name__ == "__main__":  # pragma: no cover
    main()
