"""A draft's first read for the sidebar: plain data and section marks, computed in another process.

Run by the editor's worker as ``python -m intwizard.tui.first_look TEMPLATE_DIR`` with the draft's
text on stdin; writes ``pickle((plain, statuses))`` to stdout. Parsing a 1 MB draft and checking it
is a second or two of work that holds the GIL; here it runs on the other core while the author
already types. Only core modules are imported.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from intwizard.checks import statuses
from intwizard.schema import load_schema
from intwizard.yamlio import load_plain_text


def main() -> None:
    schema = load_schema(Path(sys.argv[1]))
    plain = load_plain_text(sys.stdin.buffer.read().decode("utf-8"))
    plain = plain if isinstance(plain, dict) else {}
    pickle.dump((plain, statuses(schema, plain)), sys.stdout.buffer)


if __name__ == "__main__":
    main()
