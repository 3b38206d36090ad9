"""Questions as plain lines, for terminals that cannot move the cursor (``TERM=dumb``: Emacs' shell,
some editor consoles). questionary's prompts would print raw escape codes there.

Same questions as :class:`~intwizard.prompts.ask.Asker`, read with :func:`input`: Enter keeps the
default, choices are numbered, multi-line answers end with a line holding only ``.``.
Ctrl-C and end of input stop the walk the same way.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from intwizard.prompts.ask import Asker

END = "."


def is_dumb_terminal() -> bool:
    return os.environ.get("TERM", "").lower() in ("dumb", "unknown")


@contextmanager
def ctrl_c_stops() -> Iterator[None]:
    """Ctrl-C stops the line prompts even when a parent process started us with SIGINT ignored (a
    script's background job, some IDE consoles): :func:`input` would otherwise just wait, and the
    author could not leave. questionary's prompts read Ctrl-C as a key and need no help."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class LineAsker(Asker):
    """Line-by-line prompts with nothing but :func:`input` and :func:`print`."""

    def text(self, message: str, default: str = "", *, multiline: bool = False, instruction: str = "") -> str:
        if multiline:
            return self._lines(message, default)
        shown = f" [{default}]" if default else ""
        hint = f" {instruction}" if instruction else ""
        answer = input(f"? {message}{hint}{shown}: ")
        return answer if answer.strip() else default

    def _lines(self, message: str, default: str) -> str:
        if default:
            self.say(f"? {message}, now:")
            for line in default.splitlines():
                self.say(f"    {line}")
            self.say(f"  Type the new text and end with a line holding only {END} ({END} alone keeps it):")
        else:
            self.say(f"? {message} (end with a line holding only {END}):")
        lines: list[str] = []
        while True:
            line = input("> ")
            if line.strip() == END:
                break
            lines.append(line)
        typed = "\n".join(lines)
        return typed if typed.strip() or not default else default  # nothing typed keeps the text

    def select(self, message: str, choices: list[tuple[str, Any]], default: Any = None) -> Any:
        values = [value for _title, value in choices]
        chosen = values.index(default) + 1 if default in values else 1
        self.say(f"? {message}")
        for number, (title, _value) in enumerate(choices, 1):
            self.say(f"  {number}) {title}")
        while True:
            answer = input(f"  Number [{chosen}]: ").strip()
            if not answer:
                return values[chosen - 1]
            if answer.isdigit() and 1 <= int(answer) <= len(choices):
                return values[int(answer) - 1]
            self.explain(f"✗ Type a number from 1 to {len(choices)}.")

    def confirm(self, message: str, default: bool = False) -> bool:
        while True:
            answer = input(f"? {message} ({'Y/n' if default else 'y/N'}) ").strip().lower()
            if not answer:
                return default
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
            self.explain("✗ Answer y or n.")
