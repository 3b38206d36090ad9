"""One question per schema kind, asked with questionary, checked with the core's value rules.

The kinds map onto prompts: ``line`` and ``date`` -> one-line text, ``text``/``code``/``list`` ->
multi-line text, ``choice`` -> select (with "Other…" when the template allows free text), ``check`` ->
yes/no. A bad answer is explained in one printed line and asked again with what was typed as the
default, so a screen reader hears the reason and the typist only fixes the typo.

Every prompt uses ``unsafe_ask``: questionary's ``ask`` swallows Ctrl-C and returns None, and the
caller must see Ctrl-C to save and say where the draft is.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from typing import Any

import questionary
from ruamel.yaml.comments import CommentedMap

from intwizard.core.schema import Node
from intwizard.core.values import (
    ValueProblem,
    as_text,
    is_blank,
    mark_not_applicable,
    not_applicable,
    parse,
    problem,
)

Say = Callable[[str], None]

MULTILINE_HOW = "(Esc then Enter, or Alt+Enter, to finish)\n> "
#: A table cell is asked on one line; ``\n`` in it is a line break (as in ``intwizard set``).
CELL_HOW = "(\\n for a line break)"
CELL_BREAK = "\\n"
DATE_HOW = "(YYYY-MM-DD)"
SECRET_NOTE = "Never paste a secret (key, token, password) here."


class _Keep:
    """The answer "leave the current value as it is" (distinct from an empty answer)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()
_OTHER = "\x00other"  # select values that no template option can be
_NOT_APPLICABLE = "\x00n/a"
#: Typed as a whole answer: "this does not apply" (a reason is asked next).
NA_WORDS = frozenset({"n/a", "na", "not applicable"})
#: Typed as a whole answer: start from the template's example (asked again with it filled in).
EXAMPLE_WORD = "example"


def wrapped(text: str, indent: str = "  ", hang: str = "  ") -> list[str]:
    """``text`` wrapped to the terminal's width, so long help stays readable at 80 columns."""
    width = max(40, shutil.get_terminal_size().columns - 1)
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + hang,
                         break_long_words=False, break_on_hyphens=False) or [""]


class Asker:
    """Thin wrappers over questionary that always let Ctrl-C and Ctrl-D through."""

    def __init__(self, say: Say) -> None:
        self.say = say

    def explain(self, text: str) -> None:
        for line in wrapped(text):
            self.say(line)

    def text(self, message: str, default: str = "", *, multiline: bool = False, instruction: str = "") -> str:
        question = questionary.text(
            message, default=default, multiline=multiline,
            instruction=(MULTILINE_HOW if multiline else instruction) or None,
        )
        return str(question.unsafe_ask())

    def select(self, message: str, choices: list[tuple[str, Any]], default: Any = None) -> Any:
        items = [questionary.Choice(title, value=value) for title, value in choices]
        values = [value for _title, value in choices]
        question = questionary.select(
            message, choices=items, default=default if default in values else None,
            use_shortcuts=len(items) <= 36, use_jk_keys=False,
        )
        return question.unsafe_ask()

    def confirm(self, message: str, default: bool = False) -> bool:
        return bool(questionary.confirm(message, default=default).unsafe_ask())


def _clean(node: Node, typed: str) -> str:
    """What to store from typed text: one-line answers trimmed, blocks without trailing blank lines."""
    if node.kind in ("text", "code"):
        return typed.rstrip()
    return typed.strip()


def ask_reason(asker: Asker, node: Node) -> Any:
    """After ``n/a``: why it does not apply. An empty reason takes the mark back (None)."""
    reason = asker.text(f"Why does {node.label} not apply? (empty: answer it after all)").strip()
    return CommentedMap(mark_not_applicable(reason)) if reason else None


def _example(node: Node) -> str:
    return node.example if isinstance(node.example, str) else ""


def _typed_until_valid(asker: Asker, node: Node, message: str, default: str, *, multiline: bool,
                       instruction: str = "") -> Any:
    """Ask for text until :func:`parse` accepts it; an empty answer is always accepted (skip).
    ``n/a`` answers "not applicable" (then a reason); ``example`` starts from the template's example."""
    breaks = node.cell and not multiline  # a cell's line breaks are typed as \n on its one line
    if breaks:
        default = default.replace("\n", CELL_BREAK)
        instruction = instruction or CELL_HOW
    while True:
        typed = asker.text(message, default, multiline=multiline, instruction=instruction)
        text = _clean(node, typed)
        if breaks:
            text = "\n".join(line.strip() for line in text.split(CELL_BREAK)).strip()
        if not text:
            return ""
        if text.casefold() in NA_WORDS:
            marked = ask_reason(asker, node)
            if marked is not None:
                return marked
            default = ""
            continue
        if text.casefold() == EXAMPLE_WORD and _example(node):
            default = _example(node)  # asked again with the example to edit (or keep as it is)
            continue
        try:
            value = parse(node, text)
        except ValueProblem as exc:
            asker.explain(f"✗ {exc}. Try again, or leave it empty to skip.")
            default = typed
            continue
        if isinstance(value, str) and not _credential_kept(asker, node, value):
            default = ""  # a refused credential does not come back as the default
            continue
        return value


def _credential_kept(asker: Asker, node: Node, text: str) -> bool:
    """Warn (masked) when an answer looks like a credential, the same detection as ``intwizard check``;
    True when there is none or the author keeps it anyway."""
    from intwizard.core.secrets import mask, scan_value

    found = scan_value(text, sensitive=node.sensitive)
    if not found:
        return True
    for kind, secret in found:
        asker.explain(f"! That looks like a {kind} ({mask(secret)}): keep credentials out of the spec; "
                      "describe where they live instead.")
    return asker.confirm("Keep it anyway?", default=False)


def _ask_choice(asker: Asker, node: Node, message: str, current: Any) -> Any:
    current_text = as_text(current).strip()
    choices: list[tuple[str, Any]] = [(option, option) for option in node.options]
    if node.free_text:
        choices.append(("Other… (type your own)", _OTHER))
    choices.append(("Not applicable… (say why)", _NOT_APPLICABLE))
    default: Any = current_text or None
    if is_blank(current):
        choices.append(("Skip for now", KEEP))
    elif current_text not in node.options:
        choices.append((f"Keep “{current_text}”", KEEP))
        default = KEEP
    picked = asker.select(message, choices, default)
    if picked is KEEP:
        return KEEP
    if picked == _NOT_APPLICABLE:
        marked = ask_reason(asker, node)
        return marked if marked is not None else _ask_choice(asker, node, message, current)
    if picked == _OTHER:
        typed_default = current_text if current_text not in node.options else ""
        return _typed_until_valid(asker, node, f"{message} (your own)", typed_default, multiline=False)
    return picked


def _ask_list(asker: Asker, node: Node, message: str, current: Any) -> Any:
    lines = current if isinstance(current, list) else []
    typed = asker.text(f"{message}, one per line", "\n".join(as_text(item) for item in lines), multiline=True)
    if typed.strip().casefold() in NA_WORDS:
        marked = ask_reason(asker, node)
        return marked if marked is not None else _ask_list(asker, node, message, current)
    if typed.strip().casefold() == EXAMPLE_WORD and isinstance(node.example, list):
        typed = asker.text(f"{message}, one per line", "\n".join(as_text(item) for item in node.example),
                           multiline=True)
    items = []
    for line in typed.splitlines():
        item = line.strip()
        if item.startswith(("- ", "* ")):
            item = item[2:].strip()  # bullets typed out of habit
        if item:
            items.append(item)
    return items


def ask_value(asker: Asker, node: Node, current: Any, *, label: str = "") -> Any:
    """Ask for one field's value; returns the value to store, or :data:`KEEP`."""
    message = label or node.label
    wrong = problem(node, current)
    if wrong:
        asker.explain(f"✗ The current answer is wrong: {wrong}.")
    reason = not_applicable(current)
    if reason is not None and node.kind != "check":
        asker.explain(f"Now: Not applicable{': ' + reason if reason else ''}. Enter keeps it; or answer it.")
        answer = ask_value(asker, node, None, label=label)
        return KEEP if is_blank(answer) else answer
    if node.kind == "check":
        return asker.confirm(f"{message}?", default=current is True)
    if node.kind == "choice":
        return _ask_choice(asker, node, message, current)
    if node.kind == "list":
        return _ask_list(asker, node, message, current)
    multiline = node.kind in ("text", "code")
    return _typed_until_valid(asker, node, message, as_text(current), multiline=multiline,
                              instruction=DATE_HOW if node.kind == "date" else "")


def _lists_options(node: Node) -> bool:
    """The schema's stand-in help for a choice ("One of: …"), which the select shows anyway."""
    return node.kind == "choice" and node.help.startswith("One of: ") and all(
        option in node.help for option in node.options)


def help_lines(node: Node) -> list[str]:
    """The schema's help for a question, unless it only repeats the label; and the template's example,
    which the author may start from."""
    lines = []
    if node.help and node.help.strip().casefold() != node.label.strip().casefold() and not _lists_options(node):
        lines.append(node.help.strip())
    if node.sensitive:
        lines.append(SECRET_NOTE)
    if node.example is not None and node.kind in ("line", "text", "code", "list"):
        example = node.example if isinstance(node.example, str) else "; ".join(as_text(i) for i in node.example)
        first = example.strip().splitlines()[0] if example.strip() else ""
        more = " …" if "\n" in example.strip() or len(first) > 60 else ""
        lines.append(f"Template example: {first[:60]}{more} (type `{EXAMPLE_WORD}` to start from it)")
    if node.kind in ("line", "text", "code", "list", "date"):
        lines.append("Type `n/a` if it does not apply (a reason follows).")
    return lines
