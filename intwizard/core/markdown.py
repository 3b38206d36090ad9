"""Markdown escaping for user text, so what the author typed can never break the document's shape.

A table cell never gains or loses a column, a line never turns into a heading, a fence or an HTML
block, and a code block never ends early. HTML typed into a value shows as text (a ``<br>`` is the
one tag kept), and control characters and bidi overrides never reach the file raw: control
characters show as their Unicode pictures (ESC as ``␛``), bidi controls as ``⟨U+202E⟩``.
"""

from __future__ import annotations

import re
from typing import Any

from wcwidth import wcswidth, wcwidth

from intwizard.core.values import as_text

# Line starts that would open a block the document did not ask for: ATX headings, block quotes,
# HTML blocks, fences, setext underlines (which turn the line above into a heading), table rows.
_BLOCK_START = re.compile(r"^(#|>|<|`{3,}|~{3,}|\|)")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_LIST_MARKER = re.compile(r"^([-*+]|\d{1,9}[.)])[ \t]+")
_BACKTICKS = re.compile(r"`+")
# A URL standing alone in prose (not already a link, autolink or code): markdownlint's MD034.
_BARE_URL = re.compile(r"(?<![<(\[\w/=\"'])(?:https?|ftp)://[^\s<>`\"')\]]*[^\s<>`\"')\].,;:!?]")
_CODE_SPAN = re.compile(r"(`+)(?:.*?[^`])?\1(?!`)", re.DOTALL)
# C0 controls but tab and line ends, DEL, C1 controls; and the bidi embeddings, overrides, isolates and
# marks (Trojan Source), which reorder what a reviewer reads.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A ``<`` that would open raw HTML (a tag, a comment, a declaration), except an autolink and ``<br>``.
_HTML_OPEN = re.compile(r"<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>)"
                        r"(?![^\s<>@]+@[A-Za-z0-9.-]+>)(?!br\s*/?>)", re.IGNORECASE)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"⟨U+{code:04X}⟩"


def visible(text: str) -> str:
    """Control characters and bidi controls as visible marks; everything else unchanged."""
    return _UNSAFE.sub(_visible, text) if _UNSAFE.search(text) else text


def html_as_text(text: str) -> str:
    """``<`` that would start raw HTML as ``&lt;``, outside code spans; autolinks and ``<br>`` stay."""
    if "<" not in text:
        return text
    out: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_HTML_OPEN.sub("&lt;", text[last:span.start()]))
        out.append(span.group(0))
        last = span.end()
    out.append(_HTML_OPEN.sub("&lt;", text[last:]))
    return "".join(out)


def _prose(text: str) -> str:
    return html_as_text(visible(text))


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
    lines = [line.rstrip() for line in _prose(as_text(value)).strip().splitlines() if line.strip()]
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
    lines = [line.rstrip() for line in _prose(as_text(value)).strip().splitlines()]
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
    text = " ".join(visible(as_text(value)).splitlines()).strip()  # every line break: a lone \r ends one too
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
    text = visible(as_text(value)).strip("\n")
    own = _MERMAID_BLOCK.match(text.strip())
    if own and _longest_run(own.group(2)) < len(own.group(1)):
        return text.strip()
    ticks = "`" * max(3, _longest_run(text) + 1)
    return f"{ticks}{language or 'text'}\n{text}\n{ticks}"


def cell(value: Any, format: str = "") -> str:
    """A table cell: ``|`` escaped, line breaks as ``<br>``, so the row keeps its columns. A ``\\|`` the
    author typed shows as typed (in a code span the table's escape alone does that)."""
    text = as_text(value).strip()
    if not text:
        return ""
    if format == "code" and code_span_only(text):
        text = code_span(text)
    else:
        text = link_bare_urls("<br>".join(line.strip() for line in _prose(text).splitlines()))
        text = text.replace("\\|", "\\\\|")
    return text.replace("|", "\\|")


def code_span_only(text: str) -> bool:
    """Whether a ``format: code`` value is to be written as one code span: it is not already inline
    Markdown holding a code span of its own ("`/healthz` plus a database ping" exports as written)."""
    return _CODE_SPAN.search(text) is None


def code_value(value: Any) -> str:
    """A ``format: code`` line: one code span, or the author's own inline Markdown when it has one."""
    text = as_text(value)
    return code_span(text) if code_span_only(text) else inline(text)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospace font: East Asian wide characters and emoji count two."""
    width = wcswidth(text)
    if width >= 0:
        return width
    return sum(max(wcwidth(char), 0) for char in text)


def _padded(text: str, width: int, align: str) -> str:
    """A cell padded to ``width`` columns as Prettier pads it: left by default, right, or centred (the
    odd space on the right)."""
    room = width - display_width(text)
    if align == "right":
        return " " * room + text
    if align == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room


def _delimiter(width: int, align: str) -> str:
    if align == "left":
        return ":" + "-" * (width - 1)
    if align == "right":
        return "-" * (width - 1) + ":"
    if align == "center":
        return ":" + "-" * (width - 2) + ":"
    return "-" * width


def table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    """A GFM table with every column padded to its widest cell (at least three): the layout
    markdownlint's MD060 (aligned) and Prettier both keep. Cells are already escaped. ``align``: per
    column "left", "center", "right" or "" (none), written in the delimiter row (``:---:``) and padded
    the way Prettier pads such a column."""
    aligns = list(align or []) + [""] * (len(header) - len(align or []))
    widths = [max(3, *(display_width(row[index]) for row in [header, *rows])) for index in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(_padded(text, width, how) for text, width, how in
                                 zip(cells, widths, aligns, strict=True)) + " |"

    return "\n".join([line(header), "| " + " | ".join(_delimiter(width, how) for width, how in
                                                       zip(widths, aligns, strict=True)) + " |",
                      *(line(row) for row in rows)])
