"""The save process: holds the save side's copy of the draft and does the slow part of saving.

Started by :class:`intwizard.tui.autosave.SaveEngine` as ``python -m intwizard.tui.save_server``,
it talks over its stdin/stdout with pickled tuples (parent and child are the same program):

* the first message is the :class:`~intwizard.tui.autosave.Seed` and the template folder;
* then ``("save", ops, force, today)`` or ``("save_as", ops, path, today)``, each answered with
  ``("saved", wrote, path, FileText)``, ``("conflict", reason)`` or ``("failed", reason)``.

Why a process: ruamel's round-trip dump of a 1 MB draft is seconds of pure Python. In a thread it
would hold the GIL against the UI thread for all that time (typing turned to seconds per key in the
benchmark); in its own process it uses the second core and the UI keeps its own. Only core modules
are imported here, never Textual.
"""

from __future__ import annotations

import datetime as dt
import pickle
import sys
from pathlib import Path
from typing import Any, BinaryIO

from intwizard.core.draft import Draft
from intwizard.core.schema import load_schema
from intwizard.core.store import DraftFile, draft_from_text, new_draft_file
from intwizard.errors import ConflictError, InputError
from intwizard.tui.session import Op, apply_op


def build(seed: Any, template_dir: Path | None) -> DraftFile:
    schema = load_schema(template_dir)
    if not seed.exists:
        return new_draft_file(seed.path, Draft(seed.tree, schema))
    # The tree from the file's plain data (fast), brought up to the template's version exactly as
    # ``open_draft`` did the wizard's copy, so both trees match and the edits' paths exist here too.
    # Saves change only the edited nodes' text (the span editor), so no round-trip tree is needed.
    return draft_from_text(seed.path, schema, seed.source, indent=seed.indent)


def save(file: DraftFile, ops: list[Op], force: bool, today: dt.date | None) -> tuple:
    for op in ops:
        apply_op(file.draft, op)
    text = file.render(today)
    if text is None:
        return ("saved", False, file.path, file.source)
    file.write(text, force=force)
    return ("saved", True, file.path, file.source)


def answer(file: DraftFile, request: tuple) -> tuple[DraftFile, tuple]:
    """Carry out one request; returns the (possibly new) file and the reply."""
    kind = request[0]
    try:
        if kind == "save":
            _, ops, force, today = request
            return file, save(file, ops, force, today)
        if kind == "save_as":
            _, ops, path, today = request
            for op in ops:
                apply_op(file.draft, op)
            target = new_draft_file(path, file.draft)
            target.indent = file.indent
            target.draft.changed = True
            reply = save(target, [], True, today)
            return target, reply
        return file, ("failed", f"unknown request {kind!r}")
    except ConflictError as exc:
        return file, ("conflict", exc.message)
    except InputError as exc:
        return file, ("failed", exc.message)
    except Exception as exc:
        return file, ("failed", f"unexpected error while saving: {exc!r}")


def serve(inp: BinaryIO, out: BinaryIO) -> None:
    seed, template_dir = pickle.load(inp)
    try:
        file = build(seed, template_dir)
        problem = None
    except InputError as exc:
        file, problem = None, exc.message
    while True:
        try:
            request = pickle.load(inp)
        except EOFError:
            return  # the wizard closed the pipe: done
        if file is None:
            reply: tuple = ("failed", f"cannot read the draft again: {problem}")
        else:
            file, reply = answer(file, request)
        pickle.dump(reply, out)
        out.flush()
        if file is not None:
            # The wizard has its answer; until its next request, read what that save will need.
            file.prepare()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
