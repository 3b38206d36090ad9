"""Scans of a whole draft's text made cheap (guess_indent, has_long_line, dominant_newline): the same answers."""

from __future__ import annotations

import re

import pytest

from intwizard.core import yamlio
from intwizard.core.yamlio import guess_indent

_KEY_ONLY = re.compile(r"^( *)(?:- +)*[^\s#][^#]*:\s*(#.*)?$")
_DASH = re.compile(r"^( *)- +")


def reference(text: str) -> tuple[int, int, int]:
    """The whole-text reading, as it was written before the first lines were read first."""
    mapping = sequence = offset = None
    lines = text.splitlines()
    for number, line in enumerate(lines[:-1]):
        match = _KEY_ONLY.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        parent = len(match.group(1))
        following = next((candidate for candidate in lines[number + 1:]
                          if candidate.strip() and not candidate.lstrip().startswith("#")), "")
        dash = _DASH.match(following)
        if dash:
            dash_col = len(dash.group(1))
            if offset is None and dash_col >= parent:
                offset = dash_col - parent
                sequence = len(dash.group(0)) - parent
        else:
            child = len(following) - len(following.lstrip(" "))
            if mapping is None and child > parent:
                mapping = child - parent
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    if offset is None:
        offset, sequence = 2, 4
    return mapping, max(sequence or 2, offset + 2), offset


TAILS = ["x:\n- b: 1\n  c: 2\n", "x:\n   y:\n       - 1\n", "x:\n\n# note\n    - a\ny:\n   z: 1\n", "x:\n", "x:", ""]


@pytest.mark.parametrize("tail", TAILS)
@pytest.mark.parametrize("shift", [-40, -12, -6, -3, -1, 0, 1, 3, 7, 30])
def test_the_first_lines_give_what_all_lines_give(tail: str, shift: int) -> None:
    """Filler lines that settle nothing, then the lines that do, placed across the point where the
    first read stops (so the line that decides is just before, on, or just after it)."""
    filler = "a: 1\n" * ((yamlio._INDENT_HEAD + shift) // 5)
    for head in ("", "top:\n  k: v\n", "list:\n- 1\n"):
        text = head + filler + tail
        assert guess_indent(text) == reference(text)
        padded = head + filler[: len(filler) - len(tail)] + tail + filler
        assert guess_indent(padded) == reference(padded)


def test_a_big_draft_is_read_the_same() -> None:
    from pathlib import Path

    text = (Path(__file__).parent / "fixtures" / "complete.yaml").read_text(encoding="utf-8")
    big = text + "\n".join(f"extra_{number}: value" for number in range(20000)) + "\n"
    assert guess_indent(big) == reference(big) == guess_indent(text)


@pytest.mark.parametrize("limit", [1, 5, 1000])
def test_a_long_line_is_found_wherever_it_is(limit: int) -> None:
    """``has_long_line`` (which spares may_nest_deeply a split of every line) against the split."""
    import random

    from intwizard.core.yamlio import has_long_line

    rng = random.Random(limit)
    for _case in range(400):
        lengths = [rng.choice([0, 1, limit - 1, limit, limit + 1, rng.randrange(2 * limit + 2)])
                   for _line in range(rng.randrange(1, 12))]
        text = "\n".join("x" * length for length in lengths) + rng.choice(["", "\n"])
        assert has_long_line(text, limit) == (max(map(len, text.split("\n"))) > limit), lengths


@pytest.mark.parametrize(("text", "newline"), [("", "\n"), ("a", "\n"), ("a\nb\n", "\n"), ("a\r\nb\r\n", "\r\n"),
                                              ("a\rb\r", "\r"), ("a\r\nb\nc\r\n", "\r\n"), ("a\nb\rc\n", "\n"),
                                              ("a\rb\rc\n", "\r")])
def test_the_line_end_most_lines_have(text: str, newline: str) -> None:
    from intwizard.core.spanedit import dominant_newline

    assert dominant_newline(text) == newline
