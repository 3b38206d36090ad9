"""ruamel.yaml set up once: round-trip for drafts we write, a fast safe loader for reading only."""

from __future__ import annotations

import itertools
import re
import sys
from collections import OrderedDict
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString

from intwizard.errors import InputError

#: Deeper than any draft needs; stops a hostile file from exhausting the stack.
MAX_DEPTH = 64
#: Wide enough that ruamel never folds a long line the author wrote on one line.
WIDTH = 1 << 20
#: Values a draft may hold once YAML aliases are expanded; a real spec has a few thousand. Stops an
#: alias bomb ("billion laughs") before export, checks or the credential scan walk it.
MAX_VALUES = 200_000
#: The tags plain YAML data may carry; anything else (``!!python/...``, ``!custom``) is refused.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "timestamp", "binary", "map", "seq", "omap", "set", "pairs", "merge"))


#: Nesting the C parser is known to survive; beyond it (a hostile file) libyaml's recursive composer
#: can overflow the C stack and crash the process, so such text goes to the pure-Python loader.
_C_SAFE_NESTING = 1000
_BRACKET = re.compile(r"[\[\]{}]")


class _Composer(Composer):
    """Refuses an alias used inside its own anchor: the round-trip loader would silently read it as
    null, and the next save would write ``null`` over what the author wrote."""

    def return_alias(self, node: Any) -> Any:
        if node.end_mark is None:  # still being composed: the alias is inside it
            raise ComposerError(None, None, "a YAML alias refers to the value it is inside (recursive data)",
                                node.start_mark)
        return node


#: Text a ``|`` block or a plain scalar cannot carry: control characters, line breaks other than
#: ``\n`` (CR, NEL, U+2028/9), non-characters, and a tab at the start of a line of a block (read back
#: as bad indentation; a one-line text keeps the ``|`` of the multi-line value it replaced, so a leading
#: tab counts too). ruamel would write them raw, and the file would read back different or not at all.
_NEEDS_ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]|\n\t|^\t")


class _Representer(RoundTripRepresenter):
    """Writes text it cannot write as a block or plain scalar double-quoted, with escapes."""

    def represent_data(self, data: Any) -> Any:
        if isinstance(data, str) and _NEEDS_ESCAPES.search(data):
            return self.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')
        return super().represent_data(data)


def roundtrip_yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    """A round-trip YAML instance that keeps quotes, comments and the file's indentation."""
    yaml = YAML(typ="rt")
    yaml.Composer = _Composer
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    yaml.max_depth = MAX_DEPTH
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def safe_yaml(pure: bool = False) -> YAML:
    """A plain-data loader for commands that only read (export, check, get): no comments kept."""
    yaml = YAML(typ="safe", pure=pure)  # not pure: ruamel.yaml.clib's C parser when installed
    yaml.max_depth = MAX_DEPTH  # only the pure loader honours it; see check_structure
    return yaml


def may_nest_deeply(text: str) -> bool:
    """Whether the text could nest deeper than the C parser survives (a cheap upper bound:
    brackets open at once, and indentation plus block indicators on one long line)."""
    if text.count("[") + text.count("{") > _C_SAFE_NESTING:
        depth = deepest = 0
        for match in _BRACKET.finditer(text):
            depth = depth + 1 if match.group() in "[{" else max(0, depth - 1)
            deepest = max(deepest, depth)
        if deepest > _C_SAFE_NESTING:
            return True
    if not has_long_line(text, _C_SAFE_NESTING):
        return False  # no line long enough (this runs before every parse)
    for line in text.split("\n"):
        if len(line) > _C_SAFE_NESTING:
            indicators = line.count("- ") + line.count("? ") + line.count(": ")
            if len(line) - len(line.lstrip(" ")) + indicators > _C_SAFE_NESTING:
                return True
    return False


def has_long_line(text: str, limit: int) -> bool:
    """Whether a line of ``text`` (split at ``\\n``) is longer than ``limit``: the last line break of
    each next ``limit + 1`` characters is a jump to a line start, so a text of short lines takes a
    search per ``limit`` characters, not a string made for each line."""
    start, size = 0, len(text)
    while size - start > limit:
        cut = text.rfind("\n", start, start + limit + 1)
        if cut < 0:
            return True  # limit + 1 characters on one line
        start = cut + 1
    return False


_KEY_ONLY = re.compile(r"^( *)(?:- +)*[^\s#][^#]*:\s*(#.*)?$")
_DASH = re.compile(r"^( *)- +")


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the author wrote them, or ours by default.

    A sequence's indent is where its items' content starts, relative to the parent key; the offset
    is where the dash sits. ``key:\\n  - a: 1\\n    b: 2`` is (2, 4, 2); ``key:\\n- a: 1`` is (2, 2, 0).
    """
    # The first lines tell, nearly always: a big draft's other lines are not split at each open.
    cut = text.rfind("\n", 0, _INDENT_HEAD) if len(text) > _INDENT_HEAD else -1
    if cut > 0:
        found = _indent_of(text[:cut].splitlines(), whole=False)
        if found is not None:
            return found
    found = _indent_of(text.splitlines(), whole=True)
    assert found is not None
    return found


#: How much of a text :func:`guess_indent` reads first.
_INDENT_HEAD = 1 << 16


def _indent_of(lines: list[str], *, whole: bool) -> tuple[int, int, int] | None:
    """:func:`guess_indent` of the text whose (first) lines are ``lines``; unless ``whole`` (the text
    goes on after them), None when these lines do not settle it."""
    mapping = sequence = offset = None
    for number, line in enumerate(lines[:-1] if whole else lines):
        match = _KEY_ONLY.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        parent = len(match.group(1))
        following = next((candidate for candidate in itertools.islice(lines, number + 1, None)
                          if candidate.strip() and not candidate.lstrip().startswith("#")), None)
        if following is None:
            if not whole:
                return None  # the line that decides is further on
            following = ""
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
    else:
        if not whole:
            return None  # not settled in these lines: the rest may
    mapping = mapping or 2
    if offset is None:
        offset, sequence = 2, 4
    return mapping, max(sequence or 2, offset + 2), offset


def _at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    line = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    return line[mark.column:mark.column + 1]


def _error(exc: YAMLError, path: Path | None, text: str = "") -> InputError:
    if isinstance(exc, ReaderError) and isinstance(exc.position, int):
        # A character YAML does not allow in a file (ESC, other control characters): the reader
        # gives only an offset into the text.
        position = min(exc.position, len(text))
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return InputError(f"invalid YAML: the control character U+{code:04X} is not allowed in a YAML file; "
                          "inside double quotes write it as an escape (e.g. \\x1b)", path=path, line=line,
                          column=column)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[-1]
    tag = re.search(r"constructor for the tag '([^']*)'", problem)
    if "maximum depth" in problem:
        problem = f"nested more than {MAX_DEPTH} levels deep"
    elif tag:
        problem = (f"the tag {tag.group(1).replace('tag:yaml.org,2002:', '!!')} is not allowed in a draft "
                   "(only plain YAML values; nothing was run)")
    elif mark is not None and _at(text, mark) == "\t":
        problem += "; YAML indents with spaces, not tabs"
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}"
    if context and isinstance(exc, MarkedYAMLError) and "while" in context:
        message += f" ({context})"
    if mark is not None:
        return InputError(message, path=path, line=mark.line + 1, column=mark.column + 1)
    return InputError(message, path=path)


#: Python refuses to turn longer digit strings into an int (CVE-2020-10735); YAML would try.
_LONG_NUMBER = re.compile(rf"[0-9][0-9_]{{{max(sys.get_int_max_str_digits(), 4300) - 1},}}")
#: A YAML escape for a UTF-16 surrogate (``"\ud800"``): alone it is no character, and no UTF-8 file can hold it.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|U0000[dD][89a-fA-F][0-9a-fA-F]{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _located(text: str, pattern: re.Pattern[str], message: str, path: Path | None) -> InputError:
    match = pattern.search(text)
    if match is None:
        return InputError(message, path=path)
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return InputError(message, path=path, line=line, column=column)


def _too_long_number(text: str, path: Path | None) -> InputError:
    return _located(text, _LONG_NUMBER, "a number of more than 4,300 digits; put it in quotes if it is text",
                    path)


def _refuse_surrogates(data: Any, text: str, path: Path | None) -> None:
    """Refuse a lone surrogate a ``\\u`` escape put in a value or key (only an escape can: the file
    itself is valid UTF-8); the next save could not write it."""
    if not _SURROGATE_ESCAPE.search(text):
        return
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise _located(text, _SURROGATE_ESCAPE, "a \\u escape of a lone UTF-16 surrogate (e.g. \\ud800) is "
                               "not a character; write the character itself", path)
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def load_roundtrip_text(text: str, path: Path | None = None, yaml: YAML | None = None) -> Any:
    """Parse YAML keeping comments and formatting; errors name the file, line and column."""
    return _load(yaml or roundtrip_yaml(), text, path)


def load_plain_text(text: str, path: Path | None = None) -> Any:
    """Parse YAML into plain dicts and lists, faster than round-trip; for reading only."""
    return _load(safe_yaml(pure=may_nest_deeply(text)), text, path)


def _load(yaml: YAML, text: str, path: Path | None) -> Any:
    """``yaml.load(text)``, every way it can fail on a user's file turned into one located InputError."""
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise _error(exc, path, text) from None
    except RecursionError:
        raise InputError("the YAML is nested too deeply", path=path) from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):
            raise _too_long_number(text, path) from None
        raise
    _refuse_surrogates(data, text, path)
    return data


def _tag_of(value: Any) -> str | None:
    tag = getattr(value, "tag", None)
    return getattr(tag, "value", tag) if tag is not None and not isinstance(value, bytes) else None


def _position(parent: Any, key: Any) -> tuple[int, int]:
    """1-based line and column of a round-trip value inside ``parent`` (0, 0 when unknown)."""
    try:
        lc = parent.lc  # ruamel's line/column record (a plain dict has none: AttributeError)
        line, column = lc.value(key) if isinstance(parent, dict) else lc.item(key)
        return line + 1, column + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return 0, 0


def check_structure(data: Any, path: Path | None = None, what: str = "draft") -> None:
    """Refuse data every later step would choke on, whichever loader read it (the C loader ignores
    ``max_depth``): nesting deeper than MAX_DEPTH, aliases expanding past MAX_VALUES values or into
    themselves, and tags that are not plain YAML. Shared (aliased) values are sized once."""
    sizes: dict[int, int] = {}
    inside: set[int] = set()

    def refuse(message: str, parent: Any, key: Any) -> InputError:
        line, column = _position(parent, key)
        return InputError(message, path=path, line=line, column=column)

    def size(value: Any, depth: int, parent: Any, key: Any) -> int:
        tag = _tag_of(value)
        if tag is not None and tag not in _PLAIN_TAGS:
            raise refuse(f"the tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed in a {what} "
                         "(only plain YAML values; nothing was run)", parent, key)
        if not isinstance(value, dict | list):
            return 1
        if id(value) in sizes:
            return sizes[id(value)]
        if id(value) in inside:
            raise refuse("a YAML alias refers to the value it is inside (recursive data)", parent, key)
        if depth > MAX_DEPTH:
            raise refuse(f"nested more than {MAX_DEPTH} levels deep", parent, key)
        inside.add(id(value))
        items = value.items() if isinstance(value, dict) else enumerate(value)
        total = 1 + sum(size(child, depth + 1, value, child_key) for child_key, child in items)
        inside.discard(id(value))
        if total > MAX_VALUES:
            raise refuse(f"the {what} expands to more than {MAX_VALUES:,} values (YAML anchors and aliases "
                         "repeated over and over?); write the values out", parent, key)
        sizes[id(value)] = total
        return total

    size(data, 0, None, None)


def dump_roundtrip(data: Any, yaml: YAML) -> str:
    stream = StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


# -- plain data <-> ruamel containers -------------------------------------------------------------


def block_text(value: Any) -> Any:
    """Multi-line text as a ``|`` block, so the YAML reads like the text; anything else as it is."""
    return LiteralScalarString(value) if isinstance(value, str) and "\n" in value else value


def to_tree(value: Any, *, blocks: bool = False) -> Any:
    """Plain data (dicts, lists, tuples) as fresh ruamel containers, each call its own objects (a copy of
    a round-trip tree this way keeps no comments, but ``deepcopy`` would share them); with ``blocks``,
    multi-line text as ``|`` blocks."""
    if isinstance(value, dict):
        return CommentedMap((key, to_tree(item, blocks=blocks)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return CommentedSeq(to_tree(item, blocks=blocks) for item in value)
    return block_text(value) if blocks else value


def to_plain(value: Any, *, text: bool = False) -> Any:
    """Ruamel's containers and scalar strings as plain dicts, lists and ``str``, keys as strings (YAML
    reads ``200:`` as a number); with ``text``, every other value JSON has no type for (a date) as the
    text a person typed (``YYYY-MM-DD``)."""
    if isinstance(value, dict):
        # A CommentedMap's own items() is a Python view (a call per item); the ordered dict under it
        # holds the same keys and values (merged keys included), read at C speed.
        items = OrderedDict.items(value) if isinstance(value, OrderedDict) else value.items()
        return {str(key): to_plain(item, text=text) for key, item in items}
    if isinstance(value, list):
        return [to_plain(item, text=text) for item in value]
    if isinstance(value, str):
        return str(value)
    if text and not (value is None or isinstance(value, bool | int | float)):
        from intwizard.core.values import as_text

        return as_text(value)
    return value
