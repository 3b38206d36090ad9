"""Apply ruamel's change to the author's own text, so a save touches only the edited lines.

ruamel keeps comments and most formatting, but normalises a few things (spacing after a colon,
flow-sequence spaces, mixed indentation). To keep the author's file byte for byte except where a value
changed, a save is a three-way merge: ``baseline`` is ruamel's dump of the file as it was read,
``updated`` its dump after the edits, ``original`` the text on disk. The hunks between baseline and
updated are applied to original, at the lines baseline and original share.
"""

from __future__ import annotations

from difflib import SequenceMatcher


def merge(original: str, baseline: str, updated: str) -> str:
    """``original`` with the edits that turn ``baseline`` into ``updated``.

    Falls back to ``updated`` (ruamel's full dump, still comment-preserving) if a hunk touches lines
    that the original does not share with the baseline.
    """
    if original == baseline or baseline == updated:
        return updated if original == baseline else original
    orig_lines = original.splitlines(keepends=True)
    base_lines = baseline.splitlines(keepends=True)
    new_lines = updated.splitlines(keepends=True)
    to_original = _line_map(base_lines, orig_lines)
    out: list[str] = []
    cursor = 0
    hunks = SequenceMatcher(None, base_lines, new_lines, autojunk=False).get_opcodes()
    for tag, b1, b2, n1, n2 in hunks:
        if tag == "equal":
            continue
        span = _original_span(to_original, b1, b2, len(orig_lines))
        if span is None or span[0] < cursor:
            return updated
        start, end = span
        out.extend(orig_lines[cursor:start])
        out.extend(new_lines[n1:n2])
        cursor = end
    out.extend(orig_lines[cursor:])
    merged = "".join(out)
    if not merged.endswith("\n") and updated.endswith("\n") and original.endswith("\n"):
        merged += "\n"
    return merged


def _line_map(base: list[str], original: list[str]) -> dict[int, int]:
    """Baseline line index -> original line index, for lines the two texts share."""
    mapping: dict[int, int] = {}
    for tag, b1, b2, o1, _o2 in SequenceMatcher(None, base, original, autojunk=False).get_opcodes():
        if tag == "equal":
            for offset in range(b2 - b1):
                mapping[b1 + offset] = o1 + offset
    return mapping


def _original_span(to_original: dict[int, int], b1: int, b2: int, length: int) -> tuple[int, int] | None:
    """The original lines that stand for baseline lines ``b1:b2`` (an empty span for an insertion)."""
    if b1 == b2:  # insertion before baseline line b1
        if b1 in to_original:
            return to_original[b1], to_original[b1]
        if b1 == 0:
            return 0, 0
        if b1 - 1 in to_original:
            after = to_original[b1 - 1] + 1
            return after, after
        return None
    if all(index in to_original for index in range(b1, b2)):
        start = to_original[b1]
        end = to_original[b2 - 1] + 1
        if end - start == b2 - b1:
            return start, end
    # The hunk's own lines differ in the original (ruamel normalised them): take what lies between
    # the shared lines around it.
    around_start = to_original[b1 - 1] + 1 if b1 > 0 and b1 - 1 in to_original else (0 if b1 == 0 else None)
    around_end = to_original[b2] if b2 in to_original else (length if _is_tail(to_original, b2) else None)
    if around_start is None or around_end is None or around_end < around_start:
        return None
    return around_start, around_end


def _is_tail(to_original: dict[int, int], b2: int) -> bool:
    """No baseline line at or after ``b2`` is shared: the hunk runs to the end of the file."""
    return all(index < b2 for index in to_original)
