"""Markdown escaping for user text, so what the author typed can never break the document's shape.

A table cell never gains or loses a column, a line never turns into a heading, a fence or an HTML
block, and a code block never ends early.
"""

from __future__ import annotations

import re
from typing import Any

from intwizard.values import as_text

# Line starts that would open a block the document did not ask for: ATX headings, block quotes,
# HTML blocks, fences, setext underlines (which turn the line above into a heading), table rows.
_BLOCK_START = re.compile(r"^(#|>|<|`{3,}|~{3,}|\|)")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_LIST_MARKER = re.compile(r"^([-*+]|\d{1,9}[.)])[ \t]+")
_BACKTICKS = re.compile(r"`+")
# A URL standing alone in prose (not already a link, autolink or code): markdownlint's MD034.
_BARE_URL = re.compile(r"(?<![<(\[\w/=\"'])(?:https?|ftp)://[^\s<>`\"')\]]*[^\s<>`\"')\].,;:!?]")
_CODE_SPAN = re.compile(r"(`+)(?:.*?[^`])?\1(?!`)", re.DOTALL)


def link_bare_urls(text: str) -> str:
    """Wrap bare URLs as ``<url>`` autolinks, leaving code spans and existing links alone."""
    if "://" not in text:
        return text
    out: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_BARE_URL.sub(r"<\g<0>>", text[last:span.start()]))
        out.append(span.group(0))
        last = span.end()
    out.append(_BARE_URL.sub(r"<\g<0>>", text[last:]))
    return "".join(out)


def escape_line_start(line: str) -> str:
    line = line.lstrip(" \t")
    # A list item's text is a line start too: ``* # x`` would hold a heading, ``1. ```` a fence.
    markers = ""
    while (marker := _LIST_MARKER.match(line)) and line[marker.end():].strip():
        markers += marker.group(1) + " "
        line = line[marker.end():].lstrip(" \t")
    if _BLOCK_START.match(line) or _SETEXT.match(line):
        return markers + "\\" + line
    return markers + line


def inline(value: Any, indent: str = "") -> str:
    """Text after ``**Label**:``: one line per line typed (hard breaks), blank lines dropped."""
    lines = [line.rstrip() for line in as_text(value).strip().splitlines() if line.strip()]
    if not lines:
        return ""
    rest = [indent + escape_line_start(line) for line in lines[1:]]
    return link_bare_urls("  \n".join([lines[0].strip(), *rest]))


def list_item(value: Any, indent: str = "  ") -> str:
    """A bullet list item's text: like :func:`inline`, and its first line cannot open a block either
    (``- # x`` would be a heading, ``- ```` a fence swallowing the rest of the document)."""
    return escape_line_start(inline(value, indent))


def block(value: Any) -> str:
    """Free text as paragraphs: lists and emphasis work, headings and fences are escaped."""
    lines = [line.rstrip() for line in as_text(value).strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1]:
                out.append("")
            continue
        out.append(escape_line_start(line))
    return link_bare_urls("\n".join(out))


def _longest_run(text: str) -> int:
    return max((len(run) for run in _BACKTICKS.findall(text)), default=0)


def code_span(value: Any) -> str:
    """``value`` in backticks, long enough that backticks inside cannot close it."""
    text = " ".join(as_text(value).splitlines()).strip()  # every line break: a lone \r ends a line too
    if not text:
        return ""
    ticks = "`" * (_longest_run(text) + 1)
    if text.startswith("`") or text.endswith("`"):
        text = f" {text} "
    return f"{ticks}{text}{ticks}"


_MERMAID_BLOCK = re.compile(r"\A(`{3,})mermaid[ \t]*\n(.*)\n\1[ \t]*\Z", re.DOTALL)


def fence(value: Any, language: str = "") -> str:
    """A fenced code block with a language (``text`` if none), fenced longer than any run inside.

    A value that is itself one ```mermaid block (``intwizard diagram --write --format mermaid``) is
    kept as it is, so GitHub draws the chart."""
    text = as_text(value).strip("\n")
    own = _MERMAID_BLOCK.match(text.strip())
    if own and _longest_run(own.group(2)) < len(own.group(1)):
        return text.strip()
    ticks = "`" * max(3, _longest_run(text) + 1)
    return f"{ticks}{language or 'text'}\n{text}\n{ticks}"


def cell(value: Any, format: str = "") -> str:
    """A table cell: ``|`` escaped, line breaks as ``<br>``, so the row keeps its columns."""
    text = as_text(value).strip()
    if not text:
        return ""
    if format == "code":
        text = code_span(text)
    else:
        text = link_bare_urls("<br>".join(line.strip() for line in text.splitlines()))
    return text.replace("|", "\\|")


