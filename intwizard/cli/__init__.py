"""The ``intwizard`` command line: the entry point (``intwizard.cli:main``) with every command on it.

The group and the helpers the commands share live in ``cli.base``; the commands, grouped by job,
in the modules of this package named below, which register themselves on ``main`` as they load
(each when one of its commands runs).
Heavy imports (Textual, questionary) happen inside the commands that need them, so ``export``,
``set``, ``get`` and ``check`` start fast and run where no terminal UI can.
Exit codes: 0 ok, 1 a check failed, 2 usage or input error.
"""

from __future__ import annotations

from intwizard.cli.base import EXIT_CHECK_FAILED, EXIT_INPUT, main
from intwizard.cli.entry import run  # the console script (``main`` is the click group tests call)

# Each module attaches its commands to ``main`` when imported, which happens when one of them is
# asked for (or ``--help`` lists them all): a command loads only its own module.
main.lazy.update({
    **dict.fromkeys(("new", "resume", "set"), "intwizard.cli.drafting"),
    **dict.fromkeys(("import", "import-api", "import-openapi", "refresh"), "intwizard.cli.importing"),
    **dict.fromkeys(("export", "get", "check", "diagram"), "intwizard.cli.reading"),
    **dict.fromkeys(("diff", "merge-driver", "setup-git", "catalog"), "intwizard.cli.team"),
    **dict.fromkeys(("schema", "template"), "intwizard.cli.templates"),
})

__all__ = ["EXIT_CHECK_FAILED", "EXIT_INPUT", "main", "run"]


if __name__ == "__main__":  # pragma: no cover
    run()
