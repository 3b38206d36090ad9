"""ruamel.yaml set up once: round-trip for drafts we write, a fast safe loader for reading only."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from intwizard.errors import InputError

#: Deeper than any draft needs; stops a hostile file from exhausting the stack.
MAX_DEPTH = 64
#: Wide enough that ruamel never folds a long line the author wrote on one line.
WIDTH = 1 << 20


def roundtrip_yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    """A round-trip YAML instance that keeps quotes, comments and the file's indentation."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    yaml.max_depth = MAX_DEPTH
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def safe_yaml() -> YAML:
    """A plain-data loader for commands that only read (export, check, get): no comments kept."""
    yaml = YAML(typ="safe")  # uses ruamel.yaml.clib's C parser when installed
    yaml.max_depth = MAX_DEPTH
    return yaml


_KEY_ONLY = re.compile(r"^( *)(?:- +)*[^\s#][^#]*:\s*(#.*)?$")
_DASH = re.compile(r"^( *)- +")


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the author wrote them, or ours by default.

    A sequence's indent is where its items' content starts, relative to the parent key; the offset
    is where the dash sits. ``key:\\n  - a: 1\\n    b: 2`` is (2, 4, 2); ``key:\\n- a: 1`` is (2, 2, 0).
    """
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


def _error(exc: YAMLError, path: Path | None) -> InputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[-1]
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}"
    if context and isinstance(exc, MarkedYAMLError) and "while" in context:
        message += f" ({context})"
    if mark is not None:
        return InputError(message, path=path, line=mark.line + 1, column=mark.column + 1)
    return InputError(message, path=path)


def load_roundtrip_text(text: str, path: Path | None = None, yaml: YAML | None = None) -> Any:
    """Parse YAML keeping comments and formatting; errors name the file, line and column."""
    try:
        return (yaml or roundtrip_yaml()).load(text)
    except YAMLError as exc:
        raise _error(exc, path) from None
    except RecursionError:
        raise InputError("the YAML is nested too deeply", path=path) from None


def load_plain_text(text: str, path: Path | None = None) -> Any:
    """Parse YAML into plain dicts and lists, faster than round-trip; for reading only."""
    try:
        return safe_yaml().load(text)
    except YAMLError as exc:
        raise _error(exc, path) from None
    except RecursionError:
        raise InputError("the YAML is nested too deeply", path=path) from None


def dump_roundtrip(data: Any, yaml: YAML) -> str:
    stream = StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()
