"""Plain prompt mode (``intwizard new --plain``, ``intwizard resume --plain``): the schema, question by question.

For a screen reader, a slow SSH link or a terminal inside an editor. The walk reads the schema only:
sections print their heading and help, tables and repeatable groups become "add a row?" /
"add another …?" loops. Every answer is saved at once with the core's atomic save, so stopping
(Ctrl-C, Ctrl-D) loses nothing already answered.

Without ``walk_all`` (plain ``resume``) only unanswered questions are asked: blank fields, unticked
checklist items, tables without rows; answered ones are skipped. With it, every question is asked
with the current answer as its default.
"""

from __future__ import annotations

import shlex
import sys
from contextlib import nullcontext
from typing import Any

from intwizard.core.store import DraftFile
from intwizard.prompts.ask import Asker, Say, wrapped
from intwizard.prompts.dumb import LineAsker, ctrl_c_stops, is_dumb_terminal
from intwizard.prompts.walk import Walk

#: Exit status when the walk is stopped before its end (answers so far are saved).
EXIT_STOPPED = 130


def _print(text: str) -> None:
    print(text, file=sys.stdout, flush=True)


def _where(walk: Walk) -> str:
    return shlex.quote(str(walk.file.path))


def _changes(count: int) -> str:
    return f"{count} change{'' if count == 1 else 's'}"


def summary(walk: Walk) -> None:
    """The same findings as ``intwizard check``, then where the draft is and how to export it."""
    from intwizard.core.checks import findings

    found = findings(walk.schema, walk.draft.plain())
    errors = sum(1 for finding in found if finding.blocking)
    say = walk.say
    say("")
    if not found:
        say("Nothing left to fix: every required answer is there.")
    else:
        say(f"Still to do: {errors} to fix, {len(found) - errors} to look at:")
        labels = {section.key: section.label for section in walk.schema.sections}
        section = None
        for finding in found:
            if finding.section != section:
                section = finding.section
                say(f"{labels.get(section, section or 'Draft')}:")
            mark = "✗" if finding.blocking else "!"
            for line in wrapped(f"{mark} {finding.message} ({finding.path})"):
                say(line)
    draft = _where(walk)
    say("")
    say(f"Your draft: {walk.file.path} ({_changes(walk.answered)} saved this time)")
    say(f"Export it to Markdown: intwizard export {draft}")
    if found:
        say(f"Check it again: intwizard check {draft}")
    if errors:
        say(f"Fill in what is missing: intwizard resume --plain {draft}")
    say(f"Change any answer: intwizard resume --plain --all {draft}")


def run_prompts(draft_file: DraftFile, *, walk_all: bool = False, input: Any = None, output: Any = None) -> None:
    """Ask the schema's questions for ``draft_file``, saving after every answer.

    Stopping early (Ctrl-C or Ctrl-D) saves, says where the draft is and exits with status 130.
    ``input``/``output`` are prompt_toolkit ones (tests pass a pipe input and a DummyOutput). In a
    terminal that cannot move the cursor (``TERM=dumb``) the questions are asked line by line instead.
    """
    say: Say = _print
    asker = Asker(say)
    if input is None and output is None and is_dumb_terminal():
        asker = LineAsker(say)
    walk = Walk(draft_file, asker, say, walk_all=walk_all)
    session: Any = nullcontext()
    if input is not None or output is not None:
        from prompt_toolkit.application import create_app_session

        session = create_app_session(input=input, output=output)
    elif isinstance(asker, LineAsker):
        session = ctrl_c_stops()
    with session:
        if draft_file.exists:
            mode = "every question, current answers as defaults" if walk_all else "only unanswered questions"
            say(f"Continuing {draft_file.path} ({mode}).")
        else:
            say(f"New draft: {draft_file.path}.")
        say("Press Enter to answer; leave an answer empty to skip it.")
        say("Every answer is saved at once; Ctrl-C stops (and keeps them).")
        try:
            walk.run()
        except (KeyboardInterrupt, EOFError):
            _leave(walk)
            raise SystemExit(EXIT_STOPPED) from None
        walk.save()
    summary(walk)


def _leave(walk: Walk) -> None:
    say = walk.say
    say("")
    if not walk.file.exists and not walk.draft.changed:  # no answer, and no --set on the command line
        say(f"Stopped. Nothing was answered, so {walk.file.path} was not created.")
        return
    try:
        walk.save()
    except (KeyboardInterrupt, EOFError):
        say(f"Stopped. The last answers were NOT saved in {walk.file.path}.")
        return
    draft = _where(walk)
    say(f"Stopped. Every answer so far is saved in {walk.file.path} ({_changes(walk.answered)} this time).")
    say(f"Continue with: intwizard resume --plain {draft}")
