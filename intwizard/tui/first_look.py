"""Section marks (and the preview's Markdown) computed in another process, for big drafts.

Run by the editor's workers as ``python -m intwizard.tui.first_look TEMPLATE_DIR`` with the draft's
text on stdin (the first read: writes ``pickle((plain, statuses))``), or with ``--plain`` and
``pickle((plain, heading))`` on stdin (after edits: writes ``pickle((statuses, markdown))``).
Parsing a 1 MB draft and checking it is a second or two of work that holds the GIL; here it runs
on the other core while the author types. Only core modules are imported.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

from intwizard.core.checks import statuses
from intwizard.core.schema import Schema, load_schema
from intwizard.core.yamlio import load_plain_text
from intwizard.errors import InputError


def analyse(schema: Schema, plain: dict[str, Any], heading: str | None) -> tuple[dict[str, str], str | None]:
    """Section marks and, for the preview (``heading`` given), the Markdown around that section."""
    found = statuses(schema, plain)
    if heading is None:
        return found, None
    from intwizard.core.render import render
    from intwizard.tui.preview_text import excerpt

    try:
        return found, excerpt(render(schema, plain), heading)
    except InputError as exc:
        return found, f"**Cannot render the preview:** {exc}"


class LookFailed(Exception):
    """The other process could not start, failed, or wrote nothing that unpickles."""


def look_elsewhere(template_dir: Path, stdin: bytes, *, plain: bool = False) -> Any:
    """Run :func:`main` in another Python process with ``stdin``; what it pickled to its stdout."""
    command = [sys.executable, "-m", "intwizard.tui.first_look", str(template_dir), *(["--plain"] if plain else [])]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, check=True)
        return pickle.loads(done.stdout)
    except (OSError, subprocess.CalledProcessError, pickle.PickleError, EOFError, ValueError) as exc:
        raise LookFailed(str(exc)) from exc


def main() -> None:
    schema = load_schema(Path(sys.argv[1]))
    if sys.argv[2:] == ["--plain"]:
        # A later look: the plain draft and the preview's heading come pickled.
        plain, heading = pickle.load(sys.stdin.buffer)
        pickle.dump(analyse(schema, plain, heading), sys.stdout.buffer)
        return
    plain = load_plain_text(sys.stdin.buffer.read().decode("utf-8"))
    plain = plain if isinstance(plain, dict) else {}
    pickle.dump((plain, statuses(schema, plain)), sys.stdout.buffer)


if __name__ == "__main__":
    main()
