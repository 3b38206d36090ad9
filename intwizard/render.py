"""Export: render a draft to Markdown through the template's Jinja document, in a sandbox."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from intwizard import markdown, user_cache
from intwizard.errors import InputError
from intwizard.sandbox import Sandbox, render_budget
from intwizard.schema import Node, Schema
from intwizard.values import as_text, is_blank

DOCUMENT = "document.md.j2"
#: No real spec comes near this; a template or draft that does is stopped, not left to fill the disk.
MAX_OUTPUT_CHARS = 64 * 1024 * 1024
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


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


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
        loader=FileSystemLoader(str(template_dir)),
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
        fence=markdown.fence,
        cell=markdown.cell,
        ordinal=markdown.ordinal,
        text=as_text,
        mapping=_mapping,
    )
    env.tests["blank"] = is_blank
    env.globals["runs"] = runs
    return env


def render(schema: Schema, data: dict[str, Any], template_dir: Path | None = None) -> str:
    """The Markdown document for a draft's data. Same data, same bytes."""
    from intwizard.signoffs import for_export

    data = for_export(schema, data)  # a stale sign-off is exported marked "(stale: changed since ...)"
    folder = template_dir or schema.path.parent
    template_path = folder / DOCUMENT
    try:
        template = environment(folder).get_template(DOCUMENT)
        pieces: list[str] = []
        size = 0
        with render_budget():
            for piece in template.generate(schema=schema, draft=data):
                size += len(piece)
                if size > MAX_OUTPUT_CHARS:
                    raise InputError(f"the export would exceed {MAX_OUTPUT_CHARS // (1024 * 1024)} MB; stopped",
                                     path=template_path)
                pieces.append(piece)
    except TemplateSyntaxError as exc:
        raise InputError(f"template error: {exc.message}", path=exc.filename or template_path,
                         line=exc.lineno or 0) from None
    except SecurityError as exc:
        raise InputError(f"the template tried something unsafe and was stopped: {exc}", path=template_path) from None
    except UndefinedError as exc:
        raise InputError(f"template error: {exc.message}", path=template_path) from None
    except TemplateError as exc:
        raise InputError(f"template error: {exc}", path=template_path) from None
    except RecursionError:
        raise InputError("the template recursed too deeply", path=template_path) from None
    except (OverflowError, MemoryError, ArithmeticError) as exc:
        raise InputError(f"template error: {type(exc).__name__}: {exc}", path=template_path) from None
    text = "".join(pieces)
    return text if text.endswith("\n") else text + "\n"
