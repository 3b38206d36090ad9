"""Not tests: a scripted user for the plain prompts (real questionary prompts fed through a pipe).

Each time the walk builds a prompt, :class:`User` records it (kind, message, default) and types the
next keys into the pipe. When the script has no answer left the pipe is closed, so the prompt ends
with EOFError (the walk stops, exit 130) instead of hanging.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import questionary
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

ENTER = "\r"
FINISH = "\x1b\r"  # Esc then Enter: ends a multi-line answer
DOWN = "\x1b[B"
CTRL_C = "\x03"
CLEAR = "\x15"  # Ctrl-U: clear the line before the cursor (the default put back after a bad answer)


@dataclass
class Prompt:
    kind: str  # text, multiline, select, confirm
    message: str
    default: Any = None
    choices: list[str] = field(default_factory=list)


Answer = Callable[[Prompt], "str | None"]


class User:
    """Answers prompts from a list of keys, or from a function of the prompt (None: no answer)."""

    def __init__(self, script: list[str] | Answer) -> None:
        self.script = script
        self.asked: list[Prompt] = []
        self.pipe: Any = None
        self.on_prompt: Callable[[Prompt], None] | None = None

    def answer(self, prompt: Prompt) -> str | None:
        if callable(self.script):
            return self.script(prompt)
        return self.script.pop(0) if self.script else None

    def _prompted(self, prompt: Prompt) -> None:
        self.asked.append(prompt)
        if self.on_prompt is not None:
            self.on_prompt(prompt)
        keys = self.answer(prompt)
        if keys is None:
            self.pipe.close()
        else:
            self.pipe.send_text(keys)

    @contextmanager
    def typing(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
        real_text, real_select, real_confirm = questionary.text, questionary.select, questionary.confirm

        def text(message: str, default: str = "", **kwargs: Any) -> Any:
            question = real_text(message, default=default, **kwargs)
            self._prompted(Prompt("multiline" if kwargs.get("multiline") else "text", message, default))
            return question

        def select(message: str, choices: list, default: Any = None, **kwargs: Any) -> Any:
            question = real_select(message, choices=choices, default=default, **kwargs)
            titles = [str(choice.title) for choice in choices]
            self._prompted(Prompt("select", message, default, titles))
            return question

        def confirm(message: str, default: bool = True, **kwargs: Any) -> Any:
            question = real_confirm(message, default=default, **kwargs)
            self._prompted(Prompt("confirm", message, default))
            return question

        monkeypatch.setattr(questionary, "text", text)
        monkeypatch.setattr(questionary, "select", select)
        monkeypatch.setattr(questionary, "confirm", confirm)
        with create_pipe_input() as pipe:
            self.pipe = pipe
            yield pipe

    def messages(self) -> list[str]:
        return [prompt.message for prompt in self.asked]


def run(draft_file: Any, user: User, monkeypatch: pytest.MonkeyPatch, *, walk_all: bool = False) -> int:
    """Run the real prompts for ``draft_file``; returns the exit status (0 when the walk ended)."""
    from intwizard.prompts import run_prompts

    with user.typing(monkeypatch) as pipe:
        try:
            run_prompts(draft_file, walk_all=walk_all, input=pipe, output=DummyOutput())
        except SystemExit as exc:
            return int(exc.code or 0)
    return 0


def run_part(user: User, monkeypatch: pytest.MonkeyPatch, part: Callable[[Any], None], draft_file: Any,
             *, walk_all: bool = True) -> None:
    """Run one piece of the walk (``part(walk)``, e.g. one table's loop) under the same real prompts."""
    from prompt_toolkit.application import create_app_session

    from intwizard.prompts.ask import Asker
    from intwizard.prompts.walk import Walk

    with user.typing(monkeypatch) as pipe, create_app_session(input=pipe, output=DummyOutput()):
        part(Walk(draft_file, Asker(print), print, walk_all=walk_all))


def copy_fixture(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target
