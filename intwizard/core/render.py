"""Export: render a draft to Markdown through the template's Jinja document, in a sandbox."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    FileSystemBytecodeCache,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from intwizard.core import markdown, user_cache
from intwizard.core.sandbox import Sandbox, TemplateLoader, render_budget
from intwizard.core.schema import Node, Schema, ordinal
from intwizard.core.values import as_mapping, as_text, is_blank, not_applicable
from intwizard.errors import InputError

DOCUMENT = "document.md.j2"
#: No real spec comes near this; a template or draft that does is stopped, not left to fill the disk.
MAX_OUTPUT_CHARS = 64 * 1024 * 1024
#: Bounds of a render with a template other than the built-in one (a child process): CPU seconds,
#: bytes of address space, and seconds on the clock (a child waiting on something).
CHILD_CPU_SECONDS = 10
CHILD_MEMORY_BYTES = 1024 * 1024 * 1024
CHILD_WALL_SECONDS = 60
_RUN_STYLES = ("inline", "bullet")


@dataclass(frozen=True)
class Run:
    """Consecutive fields that share one Markdown block (a paragraph of lines, a bullet list)."""

    style: str
    nodes: tuple[Node, ...]


def runs(nodes: tuple[Node, ...]) -> list[Run]:
    """Group a section's fields: ``**A**: x`` lines form one paragraph, bullets one list; a title
    field is left out (it is in the heading); everything else is a block of its own."""
    grouped: list[Run] = []
    for node in nodes:
        if node.style == "title":
            continue
        style = node.style if node.style in _RUN_STYLES and node.kind in ("line", "text", "choice", "date") \
            and not node.heading else "block"
        if grouped and style != "block" and grouped[-1].style == style:
            grouped[-1] = Run(style, (*grouped[-1].nodes, node))
        else:
            grouped.append(Run(style, (node,)))
    return grouped


def _is_not_applicable(value: Any) -> bool:
    return not_applicable(value) is not None


def not_applicable_text(value: Any) -> str:
    """A "not applicable" answer as the document says it: ``Not applicable: <reason>``."""
    reason = markdown.inline(not_applicable(value) or "")
    return f"Not applicable: {reason}" if reason else "Not applicable"


#: Where an import keeps what fits no field (``intwizard.unmapped``), as importers.UNMAPPED_KEY says, and
#: how the document it read wrote what the template writes otherwise (``intwizard.layout``).
_META, _UNMAPPED, _LAYOUT = "intwizard", "unmapped", "layout"
_BULLET = re.compile(r"^[*+](?=[ \t])")
_ALIGNMENTS = ("left", "center", "right")


@dataclass(frozen=True)
class KeptColumn:
    """A column an imported table had and the template's table has not: its header, where it stood
    (``after``: the key of the template column it followed, "" first) and its alignment."""

    index: int
    after: str
    header: str
    align: str


class Kept:
    """What an import kept aside, for the export to write back where it was found.

    Each piece of ``intwizard.unmapped`` is written once: a block or line after the field it followed
    (:func:`kept_after`), a column of a table in its place (:func:`table_text`); whatever the template
    did not place (a piece from an older import that recorded no place, a piece whose field is now
    "not applicable", a cell of a row since deleted) at the end of its section (:func:`kept_left`),
    else at the end of the document. ``intwizard.layout`` says how the document wrote a field the
    template writes otherwise: a fence's language, a table's column alignment."""

    def __init__(self, data: dict[str, Any], schema: Schema | None = None) -> None:
        self.blocks: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
        """(container path, the field it followed) -> (line, index, join) of each kept block."""
        self.columns: dict[str, list[KeptColumn]] = {}
        self.cells: dict[tuple[str, str], list[tuple[int, str]]] = {}
        """(row path, the column it follows) -> (index, column header) of each kept cell."""
        self.loose: list[tuple[int, int, str | None, str]] = []
        """(line, index, section, text) of every piece with text, for those no place is found for."""
        self.placed: set[int] = set()
        self.labels = {markdown_label(section.label): section.key for section in schema.sections} if schema else {}
        meta = as_mapping(data.get(_META))
        layout = meta.get(_LAYOUT)
        self.layout: dict[str, Any] = {str(k): as_mapping(v) for k, v in layout.items()} \
            if isinstance(layout, dict) else {}
        entries = meta.get(_UNMAPPED)
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            entry = as_mapping(entry)
            text = entry.get("text")
            if not isinstance(text, str) or not text.strip():
                continue
            line = entry.get("line")
            line = line if isinstance(line, int) and not isinstance(line, bool) else 0
            path, after, join = entry.get("path"), as_text(entry.get("after")), as_text(entry.get("join"))
            # Its section: by its path (a piece between sections: the one it followed), else for a piece
            # an older import recorded without a place, the section its ``where`` names.
            home = (after if path == "" else path.split(".")[0]) if isinstance(path, str) else \
                self.labels.get(markdown_label(as_text(entry.get("where")).split(" > ")[0]))
            self.loose.append((line, index, home, text))
            if not isinstance(path, str):
                continue
            if join == "column":
                align = as_text(entry.get("align")).strip().lower()
                self.columns.setdefault(path, []).append(
                    KeptColumn(index, after, text, align if align in _ALIGNMENTS else ""))
            elif join == "cell":
                self.cells.setdefault((path, after), []).append((index, as_text(entry.get("column"))))
            else:
                self.blocks.setdefault((path, after), []).append((line, index, join))
        for pieces in self.blocks.values():
            pieces.sort()
        self.loose.sort()
        self._texts = {index: text for _, index, _, text in self.loose}

    def __bool__(self) -> bool:
        return bool(self.loose or self.layout)

    def text(self, index: int) -> str:
        self.placed.add(index)
        return self._texts[index]

    def block_pieces(self, path: str, key: str, joins: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
        """``(join, text)`` of the pieces kept after ``key`` in ``path`` not written yet, in document order
        (only those joined as ``joins`` say, when given)."""
        return [(join, self.text(index)) for _, index, join in self.blocks.get((path, key), ())
                if index not in self.placed and (joins is None or join in joins)]

    def cell(self, row_path: str, column: KeptColumn, alone: bool) -> str:
        """The row's cell of a kept column: by the column's header, or (its header edited since) the cell
        in the same place when it is the only kept column there (``alone``)."""
        for index, name in self.cells.get((row_path, column.after), ()):
            if index not in self.placed and (name == column.header or alone):
                return self.text(index)
        return ""

    def left(self, section: str | None) -> list[str]:
        """The texts not written yet that belong to ``section`` (by their path, or for a piece an older
        import recorded without one, by the section its ``where`` names); all of them when None."""
        out: list[str] = []
        for _, index, home, text in self.loose:
            if index in self.placed or (section is not None and home != section):
                continue
            self.placed.add(index)
            out.append(text)
        return out

    def language(self, path: str, default: str) -> str:
        """The fence's info string the document used for the code block at ``path`` (``jsonc``), else ``default``."""
        found = self.layout.get(path, {}).get("language")
        if not isinstance(found, str | int | float) or isinstance(found, bool):
            return default
        # One line, no backtick (it would end a backtick fence's info string): what a fence can hold.
        word = " ".join(markdown.visible(as_text(found)).replace("`", "").split())
        return word or default

    def column_order(self, node: Node, path: str) -> tuple[Node, ...]:
        """The table's columns in the order the document had them (``columns: [endpoint, method]``); a
        column it did not name follows the template column before it."""
        found = self.layout.get(path, {}).get("columns")
        by_key = {column.key: column for column in node.children}
        named = list(dict.fromkeys(str(key) for key in found if str(key) in by_key)) \
            if isinstance(found, list) else []
        if not named:
            return node.children
        order = [by_key[key] for key in named]
        for number, column in enumerate(node.children):
            if column.key in named:
                continue
            before = next((other for other in reversed(node.children[:number]) if other in order), None)
            order.insert(order.index(before) + 1 if before is not None else 0, column)
        return tuple(order)

    def left_out(self, node: Node, path: str, rows: Any) -> set[str]:
        """The template columns the document's table left out (its ``columns`` record does not name them)
        while every cell of theirs is still empty: a cell filled since brings its column back."""
        found = self.layout.get(path, {}).get("columns")
        named = {str(key) for key in found} if isinstance(found, list) else set()
        if not named & {column.key for column in node.children}:
            return set()
        cells = [as_mapping(row) for row in rows] if isinstance(rows, list) else []
        return {column.key for column in node.children
                if column.key not in named and all(is_blank(row.get(column.key)) for row in cells)}

    def alignments(self, path: str) -> dict[str, str]:
        """The table's column alignments the document had (``{method: center}``)."""
        found = self.layout.get(path, {}).get("align")
        return {str(k): str(v).strip().lower() for k, v in found.items()
                if isinstance(v, str) and v.strip().lower() in _ALIGNMENTS} if isinstance(found, dict) else {}


def markdown_label(text: str) -> str:
    return " ".join(text.split()).casefold()


def kept_pieces(data: dict[str, Any], schema: Schema | None = None) -> Kept:
    """The import's unmapped pieces and layout records, ready to be written back (:class:`Kept`)."""
    return Kept(data, schema)


_LIST_START = re.compile(r"^\s*([-*+]|\d{1,9}[.)])(\s|$)")


def _as_block(join: str, text: str, indent: str = "  ") -> str:
    text = text.strip("\n")
    if join == "nested":  # inside the list item just written: indented under it
        lines = text.split("\n")
        margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
        body = "\n".join(indent + line[margin:] if line.strip() else "" for line in lines)
        return ("" if _LIST_START.match(lines[0]) else "\n") + body + "\n"
    if join == "line":
        return text + "\n"
    if join == "item":
        return _BULLET.sub("-", text) + "\n"  # another bullet character would start a new list
    return "\n" + text + "\n"


def kept_after(kept: Kept | None, path: str, keys: list[str]) -> str:
    """The pieces kept after any of ``keys`` in ``path``, as Markdown: a line of the paragraph or an item
    of the list just written (``join``), else a block of its own."""
    if not kept:
        return ""
    return "".join(_as_block(join, text) for key in keys for join, text in kept.block_pieces(path, key))


def kept_inline(kept: Kept | None, path: str, key: str, indent: str = "  ") -> str:
    """The pieces that continued the line or list item of the field ``key`` in ``path``: a line of its
    paragraph, the next item of its list, or what its item held (a sub-list), right after it."""
    if not kept:
        return ""
    return "".join(_as_block(join, text, indent) for join, text in kept.block_pieces(path, key, _INLINE_JOINS))


_INLINE_JOINS = ("line", "item", "nested")


def kept_left(kept: Kept | None, section: str | None = None) -> str:
    """What was kept for ``section`` (every section: None) and not written back in its place, as blocks
    at its end: pieces an older import recorded without a place, pieces of what is now "not applicable"."""
    if not kept:
        return ""
    return "".join(_as_block("", text) for text in kept.left(section))


def kept_language(kept: Kept | None, path: str, default: str) -> str:
    """The fence language for the code block at ``path``: the imported document's, else the template's."""
    return kept.language(path, default) if kept else default


def table_text(node: Node, rows: Any, kept: Kept | None = None, path: str = "") -> str:
    """A table node's rows, aligned; an empty table is one row of its columns' placeholders. Columns the
    imported document had beyond the template's come back in their place, with their cells; the
    document's column order and alignment (``:---:``) are kept, and a template column it left out stays
    out while all its cells are empty."""
    columns = kept.column_order(node, path) if kept and path else node.children
    extra = kept.columns.get(path, []) if kept and path else []
    aligns = kept.alignments(path) if kept and path else {}
    order: list[Node | KeptColumn] = [column for column in extra if column.after == ""]
    for column in columns:
        order.append(column)
        order += [kept_column for kept_column in extra if kept_column.after == column.key]
    known = {column.key for column in columns}
    order += [kept_column for kept_column in extra if kept_column.after and kept_column.after not in known]
    left_out = kept.left_out(node, path, rows) if kept and path else set()
    order = [item for item in order if not (isinstance(item, Node) and item.key in left_out)]
    if kept:
        kept.placed.update(column.index for column in extra)
    header = [markdown.cell(item.label if isinstance(item, Node) else item.header) for item in order]
    align = [aligns.get(item.key, "") if isinstance(item, Node) else item.align for item in order]
    alone = {column.after: sum(other.after == column.after for other in extra) == 1 for column in extra}
    if isinstance(rows, list) and rows:
        body = [[markdown.cell(as_mapping(row).get(item.key), item.format) if isinstance(item, Node)
                 else markdown.cell(kept.cell(f"{path}.{number}", item, alone[item.after]) if kept else "")
                 for item in order] for number, row in enumerate(rows)]
    else:
        body = [[markdown.cell(item.placeholder) if isinstance(item, Node) else "" for item in order]]
    return markdown.table(header, body, align)


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept in the user's cache folder: compiling the document costs more than
    rendering a typical draft. Keyed by the template's source, so an edited template recompiles."""
    folder = user_cache.folder() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


@lru_cache(maxsize=8)
def environment(template_dir: Path) -> SandboxedEnvironment:
    env = Sandbox(
        loader=TemplateLoader(template_dir),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        inline=markdown.inline,
        list_item=markdown.list_item,
        block=markdown.block,
        code_span=markdown.code_span,
        code_value=markdown.code_value,
        fence=markdown.fence,
        cell=markdown.cell,
        table=table_text,
        not_applicable=not_applicable_text,
        ordinal=ordinal,
        text=as_text,
        mapping=as_mapping,
    )
    env.tests["blank"] = is_blank
    env.tests["not_applicable"] = _is_not_applicable
    env.globals["runs"] = runs
    env.globals["kept_after"] = kept_after
    env.globals["kept_left"] = kept_left
    env.globals["kept_inline"] = kept_inline
    env.globals["kept_language"] = kept_language
    return env


def render(schema: Schema, data: dict[str, Any], template_dir: Path | None = None) -> str:
    """The Markdown document for a draft's data. Same data, same bytes.

    The built-in template renders here; any other (``--template``) in a child process under CPU-time
    and memory limits, so a hostile or mistaken template is stopped with a message (its file and
    line where known) instead of running for hours or eating the machine's memory."""
    from intwizard.core.schema import builtin_template_dir
    from intwizard.core.signoffs import for_export

    data = for_export(schema, data)  # a stale sign-off is exported marked "(stale: changed since ...)"
    folder = template_dir or schema.path.parent
    if os.path.realpath(folder) == os.path.realpath(builtin_template_dir()):
        return _render_here(schema, data, folder)
    return _render_in_child(schema, data, folder)


def _render_here(schema: Schema, data: dict[str, Any], folder: Path) -> str:
    template_path = folder / DOCUMENT
    try:
        template = environment(folder).get_template(DOCUMENT)
        pieces: list[str] = []
        size = 0
        kept = kept_pieces(data, schema)
        with render_budget():
            for piece in template.generate(schema=schema, draft=data, kept=kept):
                size += len(piece)
                if size > MAX_OUTPUT_CHARS:
                    raise InputError(f"the export would exceed {MAX_OUTPUT_CHARS // (1024 * 1024)} MB; stopped",
                                     path=template_path)
                pieces.append(piece)
        # Nothing an import kept is left out: what the template placed nowhere ends the document.
        pieces.append(kept_left(kept))
    except InputError:
        raise
    except TemplateSyntaxError as exc:
        raise InputError(f"template error: {exc.message}", path=exc.filename or template_path,
                         line=exc.lineno or 0) from None
    except SecurityError as exc:
        raise _located(f"the template tried something unsafe and was stopped: {exc}", exc, template_path) from None
    except UndefinedError as exc:
        raise _located(f"template error: {exc.message}", exc, template_path) from None
    except TemplateError as exc:
        raise _located(f"template error: {exc}", exc, template_path) from None
    except RecursionError as exc:
        raise _located("the template recursed too deeply", exc, template_path) from None
    except MemoryError as exc:
        raise _located("the template ran out of memory (it builds too much text); stopped", exc,
                       template_path) from None
    except CPUTimeExceeded as exc:
        raise _located(f"the template ran past {CHILD_CPU_SECONDS} s of CPU time; stopped", exc,
                       template_path) from None
    except ValueError as exc:
        message = ("the template prints a number of more than 4,300 digits" if "integer string conversion" in str(exc)
                   else f"template error: ValueError: {exc}")
        raise _located(message, exc, template_path) from None
    except (OverflowError, ArithmeticError, TypeError) as exc:
        raise _located(f"template error: {type(exc).__name__}: {exc}", exc, template_path) from None
    text = "".join(pieces)
    return text if text.endswith("\n") else text + "\n"


class CPUTimeExceeded(Exception):
    """Raised in the render child when it reaches its CPU-time limit (SIGXCPU)."""


def _located(message: str, exc: BaseException, template_path: Path) -> InputError:
    """The error at the template file and line the exception came from (Jinja puts the template's
    own lines in the traceback), else at the document."""
    import traceback

    folder = os.path.realpath(template_path.parent)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and os.path.realpath(frame.filename).startswith(folder + os.sep) and frame.lineno:
            return InputError(message, path=frame.filename, line=frame.lineno)
    return InputError(message, path=template_path)


_CHILD = "from intwizard.core.render import serve_child; serve_child()"


def _limit_child(cpu_seconds: int, memory_bytes: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 2))  # SIGXCPU, then SIGKILL
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _render_in_child(schema: Schema, data: dict[str, Any], folder: Path) -> str:
    import pickle
    import subprocess
    import sys

    template_path = folder / DOCUMENT
    request = pickle.dumps((schema, data, folder, CHILD_CPU_SECONDS))
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            preexec_fn=lambda: _limit_child(CHILD_CPU_SECONDS, CHILD_MEMORY_BYTES))
    except OSError as exc:
        raise InputError(f"cannot start the template's render process: {exc.strerror or exc}",
                         path=template_path) from None
    try:
        out, _ = child.communicate(request, timeout=CHILD_WALL_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise InputError(f"the template's render took over {CHILD_WALL_SECONDS} s; stopped",
                         path=template_path) from None
    try:
        reply = pickle.loads(out) if out else None
    except Exception:
        reply = None
    if isinstance(reply, tuple) and reply[0] == "ok":
        return str(reply[1])
    if isinstance(reply, tuple) and reply[0] == "error":
        _kind, message, path, line = reply
        raise InputError(message, path=path, line=line)
    import signal

    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise InputError(f"the template ran past {CHILD_CPU_SECONDS} s of CPU time; stopped", path=template_path)
    raise InputError(f"the template's render stopped (exit {child.returncode}; out of memory?)",
                     path=template_path)


def serve_child() -> None:
    """The render child: read (schema, data, folder, cpu seconds) on stdin, render under the limits
    the parent set, write ("ok", text) or ("error", message, path, line) on stdout."""
    import pickle
    import signal
    import sys

    def out_of_time(_signum: int, _frame: Any) -> None:
        raise CPUTimeExceeded()

    global CHILD_CPU_SECONDS
    signal.signal(signal.SIGXCPU, out_of_time)
    schema, data, folder, CHILD_CPU_SECONDS = pickle.load(sys.stdin.buffer)
    try:
        reply: tuple[Any, ...] = ("ok", _render_here(schema, data, folder))
    except InputError as exc:
        reply = ("error", exc.message, str(exc.path) if exc.path else None, exc.line)
    except MemoryError:
        reply = ("error", "the template ran out of memory (it builds too much text); stopped",
                 str(folder / DOCUMENT), 0)
    sys.stdout.buffer.write(pickle.dumps(reply))
    sys.stdout.buffer.flush()
