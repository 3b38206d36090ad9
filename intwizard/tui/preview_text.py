"""What the preview shows of the export (no Textual here: the analysis process uses it too)."""

from __future__ import annotations

#: Beyond this many characters the pane shows only the current section: Textual's Markdown widget
#: builds a widget per block, and a whole large draft would take seconds to lay out.
FULL_PREVIEW_LIMIT = 40_000


def excerpt(markdown: str, heading: str, limit: int = FULL_PREVIEW_LIMIT) -> str:
    """The whole document when it is small enough, else the ``## heading`` section alone."""
    if len(markdown) <= limit:
        return markdown
    lines = markdown.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() == f"## {heading}"), None)
    if start is None:
        return markdown[:limit] + "\n\n*(preview cut: the draft is large)*\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    part = "\n".join(lines[start:end])[:limit]
    return f"*Large draft: previewing this section only.*\n\n{part}\n"
