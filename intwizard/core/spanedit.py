"""Format-preserving edits: change a YAML draft's text only where its data changed.

The text is parsed once with positions (libyaml's event marks through ruamel's C parser, or ruamel's
own parser when the C one is missing or the text nests too deeply for it). Comparing the data as read
with the data wanted gives the nodes that changed; each is rewritten at its own span and only the new
or changed node is rendered (by ruamel, at the node's indentation, in the style of the node it replaces
or of its neighbours). Every other byte stays: comments, blank lines, alignment, quoting, each line's
own ending (CRLF, LF or CR; a new line takes its neighbour's).

Public API:

* :func:`rewrite` -- ``text`` with its data changed from ``old`` to ``new`` (what a save does);
* :func:`apply_edits` -- ``text`` with a list of path edits (:class:`Edit`) applied;
* :exc:`Unplaceable` -- raised where spans cannot place a change safely (an anchored or aliased
  node, merge keys, a document that is not a mapping); the caller then writes the whole document.

The result is always checked: it is parsed again and must read back as exactly ``new``; if not, the
edit is :exc:`Unplaceable` and nothing half-done is returned.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import pickle
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from io import StringIO
from typing import Any, NamedTuple

#: How often a save fell back to the whole-document path, by reason (read by the tests).
FALLBACKS: Counter[str] = Counter()
#: How each edited text was proved to read back as the data wanted: "regions" (only the changed
#: entries read again) or "whole" (the whole text read again). Read by the tests.
CHECKS: Counter[str] = Counter()

_BREAKS = "\r\n"


class Unplaceable(Exception):
    """This change cannot be written at its span; write the whole document instead."""


def note_fallback(reason: str, path: Any = None) -> None:
    """Log and count a save that took the whole-document path."""
    import logging  # here: a save that takes this path is rare, and logging costs every start 10 ms

    FALLBACKS[reason] += 1
    logging.getLogger("intwizard.core.spanedit").info("%s: whole-document save (%s)", path or "draft", reason)


# -- the positions index ----------------------------------------------------------------------------


class PNode:
    """One node of the text: its kind, where it starts and ends, and how it is written. This class is a
    scalar's; collections and aliases are its subclasses (a big draft has a hundred thousand scalars:
    each is made with one call of seven arguments, and holds no list of children)."""

    __slots__ = ("anchor", "end", "implicit", "start", "style", "tag", "value")
    kind: str = "scalar"  # "map", "seq", "scalar" or "alias"
    flow: bool = False

    def __init__(self, start: int, end: int, style: str | None, anchor: str | None, tag: str | None,
                 implicit: Any, value: str | None) -> None:
        self.start = start
        self.end = end
        self.style = style
        self.anchor = anchor
        self.tag = tag
        self.implicit = implicit
        self.value = value

    @property
    def children(self) -> list[Any]:
        """seq: [PNode]; map: [(key PNode, value PNode)]; a scalar's: none."""
        return []

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"PNode({self.kind}, {self.start}:{self.end}, {self.value!r})"


class CollectionNode(PNode):
    """A mapping or a sequence: its nodes in ``children``, its end known when it closes.

    While reading, its scalars are kept as the parser's events (``entries``: a save looks at the nodes
    of only the few collections on the way to its change, and a big draft has a hundred thousand
    scalars); ``children`` makes them nodes the first time it is asked."""

    __slots__ = ("_children", "entries", "flow", "kind")

    def __init__(self, kind: str, start: int, flow: bool, anchor: str | None, tag: str | None) -> None:
        self.kind = kind
        self.start = start
        self.end = 0
        self.flow = flow
        self.style = None
        self.anchor = anchor
        self.tag = tag
        self.implicit = None
        self.value = None
        self.entries: list[Any] | None = []
        self._children: list[Any] | None = None

    @property
    def children(self) -> list[Any]:
        children = self._children
        if children is None:
            entries = self.entries
            assert entries is not None
            if self.kind == "map":
                children = [(_node(key), _node(value)) for key, value in entries]
            else:
                children = [_node(entry) for entry in entries]
            self._children, self.entries = children, None
        return children


def _node(entry: Any) -> PNode:
    """A node of an entry as read: a scalar's event made a node, any other node as it is."""
    return entry if isinstance(entry, PNode) else _scalar_node(entry)


def _scalar_node(event: Any) -> PNode:
    tag = event.ctag  # (its ``tag`` is a property making the same str)
    return PNode(event.start_mark.index, event.end_mark.index, event.style or None, event.anchor,
                 None if tag is None else str(tag), event.implicit, event.value)


class AliasNode(PNode):
    __slots__ = ()
    kind = "alias"


class Index(NamedTuple):
    root: PNode | None
    anchors: bool
    """The text has anchors or aliases somewhere."""
    depth: int = 0
    """How deep collections nest (the top one: 0)."""
    nodes: int = 0
    """How many nodes the text has (keys counted too): without anchors, at least as many as its
    data has values."""


def _event_source(text: str) -> Any:
    """A function returning the text's events one by one, up to its StreamEndEvent (libyaml's C
    parser where it is installed and the text cannot nest deeper than it survives; else ruamel's)."""
    from intwizard.core.yamlio import may_nest_deeply

    if not may_nest_deeply(text):
        try:
            from _ruamel_yaml import CParser
        except ImportError:  # pragma: no cover - ruamel.yaml.clib missing
            CParser = None
        if CParser is not None:
            return CParser(text).get_event
    from ruamel.yaml.parser import Parser
    from ruamel.yaml.reader import Reader
    from ruamel.yaml.scanner import Scanner

    class _Loader:
        pass

    loader: Any = _Loader()
    loader.reader = Reader(text, loader)
    loader.scanner = Scanner(loader)
    loader.parser = Parser(loader)
    loader._scanner = loader.scanner
    loader.comment_handling = None
    return loader.parser.get_event


def build_index(text: str) -> Index:
    """The first document's nodes with their spans (``text`` without a byte order mark)."""
    return parse(text, values=False)[0]


class _Value:
    """Plain values for scalars, as ruamel's safe loader makes them (its resolver's own tables)."""

    def __init__(self) -> None:
        from ruamel.yaml import YAML
        from ruamel.yaml.resolver import VersionedResolver

        resolver = VersionedResolver(version=(1, 2))
        table = resolver.versioned_resolver
        self.any = list(table.get(None, []))
        self.table = {key: list(value) + self.any for key, value in table.items() if key is not None}
        self.constructor = YAML(typ="safe", pure=True).constructor
        self.cache: dict[tuple[str, str], Any] = {}

    def scalar(self, node: PNode) -> Any:
        assert node.value is not None
        return self.scalar_of(node.tag, node.value, node.implicit, node.style)

    def scalar_of(self, tag: str | None, value: str, implicit: Any, style: str | None) -> Any:
        """The value of a scalar written ``value`` with ``tag``, ``implicit`` and ``style`` (its event's)."""
        if tag is None or tag == "!":
            if not implicit[0]:
                return value
            if len(value) == 10 and value[4] == "-" == value[7] and _ymd_digits(value):
                # A plain date (a draft's ``last_updated``): what ruamel's resolver and constructor
                # make of it, without compiling their timestamp patterns (2 ms of every start).
                try:
                    return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
                except ValueError:
                    pass  # no such day: ruamel's own path says so
            tag = None
            for candidate, regexp in self.table.get(value[:1], self.any):
                if regexp.match(value):
                    tag = candidate
                    break
            if tag is None:
                return value
        if tag == "tag:yaml.org,2002:str":
            return value
        key = (str(tag), value)
        if key not in self.cache:
            from ruamel.yaml.nodes import ScalarNode

            try:
                self.cache[key] = self.constructor.construct_object(ScalarNode(tag, value, style=style),
                                                                    deep=True)
            except Exception as exc:  # a tag or value the safe loader refuses: let it say so
                raise Unplaceable(f"a value the fast reader leaves to ruamel ({exc})") from None
        return self.cache[key]


def _ymd_digits(value: str) -> bool:
    """``YYYY-MM-DD``'s places hold ASCII digits (``isdigit`` alone takes other scripts' digits too)."""
    digits = value[:4] + value[5:7] + value[8:]
    return digits.isascii() and digits.isdigit()


@lru_cache(maxsize=1)
def _values() -> _Value:
    return _Value()


@contextmanager
def no_cycle_collection(*, stay_off: bool = False) -> Iterator[None]:
    """Python's cycle collector paused while a big acyclic structure is built: it would otherwise walk
    the growing structure again and again (a third of reading a 1.4 MB draft). ``stay_off``: the
    process ends right after (see ``cli.entry``); turned on again, the collector would walk it all
    once more (10 ms on a 1.4 MB draft) just before the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled and not stay_off:
            gc.enable()


def parse(text: str, *, values: bool = True) -> tuple[Index, Any]:
    """The positions index of ``text`` and (with ``values``) its plain data (see :func:`_parse`)."""
    with no_cycle_collection():
        index, data, _tree = _parse(text, values=values)
    return index, data


def parse_tree(text: str) -> tuple[Index, Any, Any]:
    """:func:`parse`, and the data once more as a tree of :mod:`intwizard.core.tracked` containers
    made in the same pass, each holding its part of the plain data. The tree is None when the text
    has anchors or aliases (a container used twice: the caller decides what a shared one means)."""
    with no_cycle_collection():
        return _parse(text, values=True, tree=True)


def _parse(text: str, *, values: bool = True, tree: bool = False) -> tuple[Index, Any, Any]:
    """The positions index of ``text`` and (with ``values``) its plain data, read in one pass of
    libyaml's events. Equal to ruamel's safe loader's data; anything that loader does differently
    or refuses (merge keys, duplicate keys, tags beyond plain values, ``%YAML`` directives) raises
    :exc:`Unplaceable`, and the caller reads the file with ruamel (for its data or its error). With
    ``tree`` (and ``values``), also the tree :func:`parse_tree` returns.

    The loop is the cost of opening and saving a big draft (a 1.4 MB draft is 130,000 events), so
    it is written for speed: events told apart by class, no call per node beyond its own."""
    if values and "%YAML" in text:
        raise Unplaceable("a %YAML directive")
    from ruamel.yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    maker = _values() if values else None
    resolve = maker.scalar_of if maker is not None else None
    if tree:
        from intwizard.core.tracked import TrackedMap, new_map, new_seq

        assert resolve is not None, "a tree needs the values"
    set_item = OrderedDict.__setitem__
    extend = list.extend
    plain_values: dict[str, Any] = {}  # plain scalars (no tag) read before: same text, same value
    missing = object()
    root: Any = None
    data: Any = None
    # The open collection: its node, its entries (see CollectionNode), whether it is a mapping, its
    # values (a list; a mapping's keys and values alternate; None each without ``values``) and, for a
    # mapping, the key waiting for its value. ``stack`` keeps the same of the collections around it.
    current: CollectionNode | None = None
    children: list[Any] = []
    is_map = False
    built: list[Any] = []
    key: Any = None
    stack: list[tuple[CollectionNode | None, list[Any], bool, list[Any], Any, Any, list[Any]]] = []
    # With ``tree``: the open collection's tree container, and its entries that are collections
    # (their places in ``built``, which holds their plain data, and their tree containers).
    shell: Any = None
    subs: list[tuple[int, Any]] = []
    top: Any = None
    keys_text = True  # every mapping key read is text (else the tree is left to the caller)
    anchored: dict[str, Any] = {}
    anchors = False
    documents = 0
    deepest = 0
    nodes = 0
    merge_tag = "tag:yaml.org,2002:merge"
    str_tag = "tag:yaml.org,2002:str"
    get_event = _event_source(text)
    node: Any
    value: Any

    while True:
        event = get_event()
        cls = event.__class__
        if cls is ScalarEvent:  # most events: a branch of its own, no test it does not need
            tag = event.ctag  # (its ``tag`` is a property making the same str)
            if tag is not None:
                tag = str(tag)
            style = event.style or None
            raw = event.value
            anchor = event.anchor
            node = event  # made a node when a save looks at it (see CollectionNode)
            nodes += 1
            value = None
            if resolve is not None:
                if tag is None and style is None:
                    value = plain_values.get(raw, missing)
                    if value is missing:
                        value = plain_values[raw] = resolve(None, raw, event.implicit, None)
                elif style is not None and (tag == str_tag or ((tag is None or tag == "!") and not event.implicit[0])):
                    value = raw  # quoted or block text: a string
                else:
                    value = resolve(tag, raw, event.implicit, style)
                if is_map and key is None:
                    if raw == "<<" and (style is None or tag == merge_tag):
                        raise Unplaceable("merge keys")
                    if value.__class__ is not str:
                        keys_text = False
            if anchor is not None:
                anchors = True
                anchored[anchor] = value
            if is_map:
                if key is None:
                    key = node
                else:
                    children.append((key, node))
                    key = None
                built.append(value)
            elif current is not None:
                children.append(node)
                built.append(value)
            elif root is None:
                root, data = _scalar_node(event), value
        elif cls is AliasEvent:
            # Placed in its collection as a scalar is, written out again rather than shared through a
            # call: this loop runs once per event of the file (see the docstring).
            anchors = True
            node = AliasNode(event.start_mark.index, event.end_mark.index, None, event.anchor, None, None, None)
            if resolve is not None and event.anchor not in anchored:
                raise Unplaceable("an alias to a value being read")
            value = anchored.get(event.anchor)
            nodes += 1
            if is_map:
                if key is None:
                    if resolve is not None:
                        raise Unplaceable("a mapping key that is not a plain value")
                    key = node
                else:
                    children.append((key, node))
                    key = None
                built.append(value)
            elif current is not None:
                children.append(node)
                built.append(value)
            elif root is None:
                root, data = node, value
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            kind = "map" if cls is MappingStartEvent else "seq"
            tag = event.ctag
            if tag is not None:
                tag = str(tag)
            if resolve is not None and tag is not None and tag != "!" and tag != f"tag:yaml.org,2002:{kind}":
                raise Unplaceable("a tagged collection")
            collection = CollectionNode(kind, event.start_mark.index, bool(event.flow_style), event.anchor, tag)
            nodes += 1
            if len(stack) > deepest:
                deepest = len(stack)
            if event.anchor is not None:
                anchors = True
            # Placed in its parent now; its value joins the parent's when it ends (known then).
            if is_map:
                if key is None:
                    if resolve is not None:
                        raise Unplaceable("a mapping key that is not a plain value")
                    key = collection
                else:
                    children.append((key, collection))
                    key = None
            elif current is not None:
                children.append(collection)
            stack.append((current, children, is_map, built, key, shell, subs))
            if tree:
                shell = new_map(shell) if kind == "map" else new_seq(shell)
                subs = []
            entries = collection.entries
            assert entries is not None
            current, children, is_map, built, key = collection, entries, kind == "map", [], None
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            assert current is not None
            collection = current
            collection.end = event.end_mark.index
            items = built
            made, made_subs = shell, subs
            current, children, is_map, built, key, shell, subs = stack.pop()
            value = None
            if resolve is not None:
                if collection.kind == "map":
                    keys = items[0::2]
                    value = dict(zip(keys, items[1::2], strict=True))
                    if len(value) != len(keys):
                        raise Unplaceable("duplicate keys")
                else:
                    value = items
                if collection.anchor is not None:
                    anchored[collection.anchor] = value
                if made is not None:
                    # Its tree container filled: its collections as their own containers (their plain
                    # data in ``items``), through the ordered dict (CommentedMap's own ``__setitem__``
                    # is a Python call a key). It holds its plain data if every collection in it does.
                    entries = items
                    exact = True
                    if made_subs:
                        entries = items.copy()
                        for position, sub in made_subs:
                            entries[position] = sub
                            if sub._plain is None:
                                exact = False
                    if made.__class__ is TrackedMap:
                        for item_key, item in zip(keys, entries[1::2], strict=True):
                            set_item(made, item_key, item)
                        made._ok = set(keys)
                    else:
                        extend(made, entries)
                    if exact:
                        made._plain = value
                    if current is not None:
                        subs.append((len(built), made))
            if current is not None:
                built.append(value)
            elif root is None:
                root, data, top = collection, value, made
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise Unplaceable("more than one YAML document")
        elif cls is StreamEndEvent:
            break
    # A key that is not text (``200:``) is text in ``to_plain``'s data, so the tree's plain data would
    # not be what a save compares: such a tree is left to the caller (as one with anchors).
    return Index(root, anchors, deepest, nodes), data, top if keys_text and not anchors else None


# -- reading values back from the index ---------------------------------------------------------------


def scalar_value(node: PNode) -> Any:
    """The plain value of a scalar node, as the safe loader reads it."""
    return _values().scalar(node)


def key_of(node: PNode) -> Any:
    if node.kind != "scalar":
        raise Unplaceable("a mapping key that is not a plain value")
    if node.tag is None and node.style is None and node.value == "<<":
        raise Unplaceable("merge keys")
    if node.tag == "tag:yaml.org,2002:merge":
        raise Unplaceable("merge keys")
    return scalar_value(node)


# -- comparing values --------------------------------------------------------------------------------


def same(old: Any, new: Any) -> bool:
    """Equal as data, strictly: ``True`` is not ``1``, a date is not its text, a list is not a tuple."""
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool) and bool(old) == bool(new)
    if old is None or new is None:
        return old is None and new is None
    if isinstance(old, dict):
        if not isinstance(new, dict) or len(old) != len(new) or list(old) != list(new):
            return False
        return all(same(value, new[key]) for key, value in old.items())
    if isinstance(old, list):
        if not isinstance(new, list) or len(old) != len(new):
            return False
        return all(same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, str) or isinstance(new, str):
        return isinstance(old, str) and isinstance(new, str) and str(old) == str(new)
    if isinstance(old, dt.date) or isinstance(new, dt.date):
        return (isinstance(old, dt.date) and isinstance(new, dt.date)
                and isinstance(old, dt.datetime) == isinstance(new, dt.datetime) and old == new)
    if isinstance(old, float) or isinstance(new, float):
        if not (isinstance(old, float) and isinstance(new, float)):
            return False
        return old == new or (old != old and new != new)  # NaN reads back as NaN
    if isinstance(old, int) and isinstance(new, int):
        return int(old) == int(new)
    if isinstance(old, bytes) and isinstance(new, bytes):
        return old == new
    return type(old) is type(new) and old == new


def equal(old: Any, new: Any) -> bool:
    """:func:`same`, fast: equal pickles (C speed; a bool, an int and a float pickle differently) are
    the same data; only different pickles are compared value by value (shared values pickle as
    references, so equal data may pickle differently)."""
    if old is new:
        return True
    if isinstance(old, dict | list) and isinstance(new, dict | list):
        try:
            if pickle.dumps(old, 5) == pickle.dumps(new, 5):
                return True
        except Exception:
            pass
    return same(old, new)


def _same_keys(old: dict[Any, Any], new: dict[Any, Any]) -> bool:
    return list(old) == list(new)


# -- text helpers ------------------------------------------------------------------------------------


def _line_start(text: str, pos: int) -> int:
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1


def _line_end(text: str, pos: int) -> int:
    """Where the line holding ``pos`` ends (the index of its line break, or the text's end)."""
    n = text.find("\n", pos)
    r = text.find("\r", pos)
    ends = [i for i in (n, r) if i >= 0]
    return min(ends) if ends else len(text)


def _after_break(text: str, pos: int) -> int:
    """Past the line break at ``pos`` (``pos`` itself at the end of the text)."""
    if text.startswith("\r\n", pos):
        return pos + 2
    if pos < len(text) and text[pos] in _BREAKS:
        return pos + 1
    return pos


def _eol_at(text: str, pos: int, default: str) -> str:
    """The line ending of the line holding ``pos``, else of the line before it, else ``default``."""
    end = _line_end(text, pos)
    if end < len(text):
        return "\r\n" if text.startswith("\r\n", end) else text[end]
    start = _line_start(text, pos)
    if start > 0:
        before = start - 1
        if text[before] == "\n" and before > 0 and text[before - 1] == "\r":
            return "\r\n"
        return text[before]
    return default


def _column(text: str, pos: int) -> int:
    return pos - _line_start(text, pos)


def _blank_before(text: str, pos: int) -> bool:
    """Only spaces between the start of the line and ``pos``."""
    return not text[_line_start(text, pos):pos].strip(" ")


def dominant_newline(text: str) -> str:
    if "\r" not in text:
        return "\n"  # (found at once; three counts of a big draft take 3 ms)
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    best = max((lf, "\n"), (crlf, "\r\n"), (cr, "\r"))
    return best[1] if best[0] else "\n"


# -- rendering ---------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _yaml(mapping: int, sequence: int, offset: int, flow: bool) -> Any:
    from intwizard.core.yamlio import roundtrip_yaml

    yaml = roundtrip_yaml(mapping, sequence, offset)
    if flow:
        yaml.default_flow_style = True
    return yaml


def _dump(value: Any, indent: tuple[int, int, int], flow: bool = False) -> str:
    stream = StringIO()
    _yaml(*indent, flow).dump(value, stream)
    return stream.getvalue()


def _prep(value: Any, *, block: bool, like: PNode | None = None, flow_rows: bool = False) -> Any:
    """``value`` in ruamel's types, so it dumps in the style of the node it replaces or sits beside."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if isinstance(value, dict):
        mapping = CommentedMap((key, _prep(item, block=block)) for key, item in value.items())
        if flow_rows and block:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        return CommentedSeq(_prep(item, block=block) for item in value)
    if isinstance(value, str):
        text = str(value)
        if "\n" in text:
            return LiteralScalarString(text) if block else text
        if like is not None and like.kind == "scalar" and like.value and text:
            if like.style == "'":
                return SingleQuotedScalarString(text)
            if like.style == '"':
                return DoubleQuotedScalarString(text)
        return text
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.date.fromordinal(value.toordinal())  # one object twice would dump as an alias
    return value


def _strip_doc(dumped: str) -> str:
    if dumped.endswith("\n...\n"):
        dumped = dumped[: -len("...\n")]
    return dumped


def _shift(lines: list[str], by: int) -> list[str]:
    """Continuation lines moved right by ``by`` columns (left when negative, never past their text)."""
    if by >= 0:
        pad = " " * by
        return [pad + line if line else line for line in lines]
    cut = -by
    return [line[min(cut, len(line) - len(line.lstrip(" "))):] for line in lines]


class Rendered(NamedTuple):
    first: str
    """What goes where the node starts (after ``key:`` or ``- ``); may be empty (a block follows)."""
    rest: list[str]
    """The following lines, already at their final columns, without line ends."""


def render_value(value: Any, indent: tuple[int, int, int], *, column: int, in_seq: bool,
                 like: PNode | None = None, flow: bool = False, flow_rows: bool = False) -> Rendered:
    """``value`` written as a mapping value (after ``key:``) or a sequence item (after ``- ``) whose
    content starts at ``column``; ``flow`` inside a flow collection."""
    if flow:
        dumped = _strip_doc(_dump({"k": _prep(value, block=False)}, indent, flow=True)).rstrip("\n")
        if "\n" in dumped or not (dumped.startswith("{k: ") and dumped.endswith("}")):
            raise Unplaceable("a value that does not fit on one line of a flow collection")
        return Rendered(dumped[4:-1], [])
    prepared = _prep(value, block=True, like=like, flow_rows=flow_rows)
    if in_seq:
        dumped = _strip_doc(_dump([prepared], indent))
        lines = dumped.rstrip("\n").split("\n")
        head = lines[0]
        dash = head.index("-")
        after = head[dash + 1:]
        if after and after[0] != " ":
            raise Unplaceable("unexpected rendering of a list entry")
        content = dash + 1 + len(after) - len(after.lstrip(" ")) if after.strip() else dash + 2
        first = head[content:]
    else:
        dumped = _strip_doc(_dump({"k": prepared}, indent))
        lines = dumped.rstrip("\n").split("\n")
        head = lines[0]
        if not head.startswith("k:"):
            raise Unplaceable("unexpected rendering of a value")
        first = head[3:] if head.startswith("k: ") else head[2:]
        content = 0
    return Rendered(first, _shift(lines[1:], column - content))


# -- the editor --------------------------------------------------------------------------------------


class _Splices:
    def __init__(self) -> None:
        self.items: list[tuple[int, int, str]] = []

    def add(self, start: int, end: int, text: str) -> None:
        self.items.append((start, end, text))

    def apply(self, text: str, start: int = 0, end: int | None = None) -> str:
        """``text[start:end]`` with the splices inside it applied."""
        end = len(text) if end is None else end
        out: list[str] = []
        cursor = start
        for s, e, replacement in sorted(self.items, key=lambda item: (item[0], item[1])):
            if s < cursor or e > end or s < start:
                raise Unplaceable("overlapping changes")
            out.append(text[cursor:s])
            out.append(replacement)
            cursor = e
        out.append(text[cursor:end])
        return "".join(out)


class _Holder(NamedTuple):
    """Where a node sits: as the value of ``key`` in a mapping, or as an item of a sequence."""

    key: PNode | None = None
    flow: bool = False
    """The parent is a flow collection."""
    flow_rows: bool = False


class _Editor:
    def __init__(self, text: str, indent: tuple[int, int, int], newline: str) -> None:
        self.text = text
        self.indent = indent
        self.newline = newline
        self.reasons: list[str] = []

    # - helpers -

    def eol(self, pos: int) -> str:
        return _eol_at(self.text, pos, self.newline)

    def content_end(self, node: PNode) -> int:
        """Where the node's own text ends (for a block collection: its last value; for a block scalar:
        the end of its last line of text, before trailing blank lines)."""
        if node.kind == "map" and not node.flow:
            if not node.children:
                return node.end
            return self.content_end(node.children[-1][1])
        if node.kind == "seq" and not node.flow:
            if not node.children:
                return node.end
            return self.content_end(node.children[-1])
        if node.kind == "scalar" and node.style in ("|", ">"):
            text = self.text
            j = node.end
            while j > node.start and text[j - 1] in " \t\r\n":
                j -= 1
            return _line_end(text, j)
        return node.end

    def colon_after(self, key: PNode) -> int:
        """The position just past the ``:`` that follows a mapping key."""
        text = self.text
        i = key.end
        while i < len(text) and text[i] == " ":
            i += 1
        if i >= len(text) or text[i] != ":":
            raise Unplaceable("a mapping key not followed by ':'")
        return i + 1

    def dash_before(self, item: PNode) -> int:
        """Where the dash of a block list entry is (past comments between it and the entry)."""
        text = self.text
        i = item.start - 1
        while i >= 0:
            if text[i] in " \r\n":
                i -= 1
                continue
            start = _line_start(text, i)
            segment = text[start:i + 1]
            if segment.lstrip(" ").startswith("#"):
                i = start - 1  # a comment line
                continue
            comment = segment.find(" #")
            if comment >= 0 and segment[:comment].rstrip(" ").endswith("-"):
                i = start + comment  # "- # a comment", the entry on the lines after
                continue
            break
        if i < 0 or text[i] != "-":
            raise Unplaceable("a list entry without its dash")
        if not _blank_before(text, i):
            raise Unplaceable("a list entry on the line of another")
        return i

    def join(self, lines: list[str], eol: str) -> str:
        return eol.join(lines)

    # - the walk -

    def node(self, node: PNode, old: Any, new: Any, holder: _Holder, out: _Splices) -> None:
        if equal(old, new):
            return
        if node.kind == "alias" or node.anchor is not None:
            raise Unplaceable("an anchored or aliased value changes")
        if node.kind == "map" and isinstance(old, dict) and isinstance(new, dict) and old and new:
            self.mapping(node, old, new, holder, out)
            return
        if node.kind == "seq" and isinstance(old, list) and isinstance(new, list) and old and new:
            self.sequence(node, old, new, holder, out)
            return
        self.replace(node, new, holder, out)

    def replace(self, node: PNode, new: Any, holder: _Holder, out: _Splices) -> None:
        """Write ``new`` in place of ``node``."""
        text = self.text
        if holder.flow or (node.flow and node.kind in ("map", "seq") and node.children
                           and isinstance(new, dict | list) and new):
            # Inside a flow collection, or a non-empty flow collection restructured: stays flow.
            rendered = render_value(new, self.indent, column=0, in_seq=False, flow=True)
            out.add(node.start, node.end, rendered.first)
            return
        in_seq = holder.key is None
        if in_seq:
            dash = self.dash_before(node)
            same_line = _line_start(text, node.start) == _line_start(text, dash)
            column = _column(text, node.start) if same_line and node.start > dash + 1 else _column(text, dash) + 2
        else:
            assert holder.key is not None
            column = _column(text, holder.key.start)
        like = node if node.kind == "scalar" else None
        rendered = render_value(new, self.indent, column=column, in_seq=in_seq, like=like,
                                flow_rows=holder.flow_rows)
        start = node.start
        end = self.content_end(node)
        if rendered.first.startswith(("|", ">")) and rendered.rest and self._comments_inside(
                end, len(rendered.rest[0]) - len(rendered.rest[0].lstrip(" "))):
            # Comment lines after it as deep as its text would read as its text: one quoted line.
            rendered = render_value(new, self.indent, column=0, in_seq=False, flow=True)
        keep = node.kind == "scalar" and node.style in ("|", ">") and self._keeps(node)
        if keep:
            end = node.end
            if _blank_before(text, end) and _line_start(text, end) > node.start:
                end = _line_start(text, end)
        block_node = node.kind in ("map", "seq") and not node.flow
        if not in_seq:
            assert holder.key is not None
            if block_node or node.start == node.end or not rendered.first:
                # A block collection, an empty value, or a block coming: write from the colon on.
                start = self.colon_after(holder.key)
                first = (" " + rendered.first) if rendered.first else ""
            else:
                first = rendered.first
        elif node.start == node.end and rendered.first and text[start - 1:start] == "-":
            first = " " + rendered.first
        else:
            first = rendered.first
        eol = self.eol(start)
        if in_seq and not first.strip():
            if rendered.rest:
                raise Unplaceable("a list entry replaced by a block on the next line")
            start, first = self.dash_before(node) + 1, ""  # null: the dash alone
        if keep:
            # The old text ran to the line after its last blank line; end the new one likewise.
            tail_end = end
            line_rest = ""
        else:
            tail_end = end
            line_rest = text[end:_line_end(text, end)] if rendered.rest else ""
            if line_rest:
                tail_end = _line_end(text, end)
                if line_rest.strip() and not line_rest.strip().startswith("#"):
                    raise Unplaceable("text after a value that becomes a block")
        lines = [first + line_rest, *rendered.rest] if rendered.rest else [first]
        replacement = self.join(lines, eol)
        if keep:
            replacement += eol
        out.add(start, tail_end, replacement)

    def _comments_inside(self, pos: int, indent: int) -> bool:
        """Whether blank or comment lines after ``pos``'s line hold a comment at ``indent`` or deeper."""
        text = self.text
        at = _after_break(text, _line_end(text, pos))
        while at < len(text):
            end = _line_end(text, at)
            line = text[at:end]
            stripped = line.lstrip(" ")
            if stripped and not stripped.startswith("#"):
                return False
            if stripped and len(line) - len(stripped) >= indent:
                return True
            at = _after_break(text, end)
        return False

    def _deep_comment_in(self, start: int, end: int, indent: int) -> bool:
        """Whether a comment line between ``start`` and ``end`` is at ``indent`` or deeper."""
        for line in self.text[start:end].replace("\r", "\n").split("\n"):
            stripped = line.lstrip(" ")
            if stripped.startswith("#") and len(line) - len(stripped) >= indent:
                return True
        return False

    def _keeps(self, node: PNode) -> bool:
        header = self.text[node.start:_line_end(self.text, node.start)]
        return "+" in header.split("#", 1)[0]

    # - mappings -

    def mapping(self, node: PNode, old: dict[Any, Any], new: dict[Any, Any], holder: _Holder, out: _Splices) -> None:
        pairs = node.children
        keys = [key_of(key) for key, _value in pairs]
        if len(keys) != len(old) or any(key not in old for key in keys) or len(set(map(repr, keys))) != len(keys):
            raise Unplaceable("the text's keys differ from the data read")
        kept = [key for key in keys if key in new]
        wanted = [key for key in new if key in old]
        stable = set(kept)
        if wanted != kept:
            # Keys moved: those outside the keys kept in order are deleted and added again.
            stable = _kept_in_order(kept, wanted, old, new)
        if not stable and not node.flow and _blank_before(self.text, pairs[0][0].start):
            # Every key goes: the old pairs are deleted and the new ones written where the last one
            # was, so the mapping's own line and the comments around its pairs stay.
            gone = frozenset(range(len(pairs)))
            for index in gone:
                self.delete_pair(node, index, out)
            self.insert_pairs(node, len(pairs) - 1, list(new.items()), out, gone)
            return
        if not stable or (node.flow and (stable != set(kept) or len(keys) - len(kept) > 1)):
            self.replace(node, new, holder, out)  # nothing kept, or a flow mapping reordered
            return
        position = {key: index for index, key in enumerate(keys)}
        for key in keys:
            if key in stable:
                key_node, value_node = pairs[position[key]]
                self.node(value_node, old[key], new[key], _Holder(key=key_node, flow=node.flow), out)
        # A key deleted where a key with the same value is added is renamed (a migration): only
        # the key's text changes, its value and comments stay.
        renamed = {} if node.flow else self.renames(keys, stable, old, new)
        renamed = {key: to for key, to in renamed.items()
                   if _blank_before(self.text, pairs[position[key]][0].start)}
        for old_key, new_key in renamed.items():
            key_node, _value = pairs[position[old_key]]
            out.add(key_node.start, key_node.end, render_value(new_key, self.indent, column=0, in_seq=True).first)
            stable.add(old_key)
        deleted = [position[key] for key in keys if key not in stable]
        if deleted and deleted[0] == 0 and not node.flow and not _blank_before(self.text, pairs[0][0].start):
            # Keys deleted from the start of a list entry (the first sits on the dash's line).
            run = 0
            while run < len(pairs) and run in deleted:
                run += 1
            if self.delete_first_pairs(node, run, out):
                deleted = [index for index in deleted if index >= run]
            else:
                self.delete_dash_pair(node, out)
                deleted = deleted[1:]
        for index in deleted:
            self.delete_pair(node, index, out)
        # New keys go after the kept key before them in ``new``.
        groups: dict[int, list[Any]] = {}
        previous = -1
        added_by_rename = set(renamed.values())
        for key in new:
            if key in stable:
                previous = position[key]
            elif key not in added_by_rename:
                groups.setdefault(previous, []).append(key)

        for after, added in groups.items():
            self.insert_pairs(node, after, [(key, new[key]) for key in added], out,
                              frozenset(position[key] for key in keys if key not in stable))

    @staticmethod
    def renames(keys: list[Any], stable: set[Any], old: dict[Any, Any], new: dict[Any, Any]) -> dict[Any, Any]:
        """Deleted key -> added key, for pairs with equal values at the same place among the keys kept."""
        def after_stable(order: list[Any]) -> dict[Any, Any]:
            previous: Any = None
            where = {}
            for key in order:
                if key in stable:
                    previous = key
                else:
                    where[key] = previous
            return where

        deleted = {key: place for key, place in after_stable(keys).items() if key not in new}
        added = {key: place for key, place in after_stable(list(new)).items() if key not in old}
        renamed: dict[Any, Any] = {}
        for old_key, place in deleted.items():
            match = next((key for key, where in added.items() if where == place and key not in renamed.values()
                          and isinstance(key, str) and equal(old[old_key], new[key])), None)
            if match is not None:
                renamed[old_key] = match
        return renamed

    def _pair_line_start(self, key: PNode) -> int:
        return _line_start(self.text, key.start) if _blank_before(self.text, key.start) else key.start

    def delete_pair(self, node: PNode, index: int, out: _Splices) -> None:
        text = self.text
        key, value = node.children[index]
        if node.flow:
            if index + 1 < len(node.children):
                out.add(key.start, node.children[index + 1][0].start, "")
            elif index > 0:
                out.add(node.children[index - 1][1].end, value.end, "")
            else:
                out.add(key.start, value.end, "")
            return
        end = _after_break(text, _line_end(text, self.content_end(value)))
        if _blank_before(text, key.start):
            out.add(_line_start(text, key.start), end, "")
        else:
            raise Unplaceable("a key in the middle of a line")

    def delete_first_pairs(self, node: PNode, run: int, out: _Splices) -> bool:
        """Delete the first ``run`` keys of a list entry by moving the next key up to the dash's line,
        if each deleted pair's lines follow one another with nothing between (else False)."""
        text = self.text
        pairs = node.children
        if run >= len(pairs):
            return False
        for index in range(run):
            end = _after_break(text, _line_end(text, self.content_end(pairs[index][1])))
            following = pairs[index + 1][0]
            if _line_start(text, following.start) != end or not _blank_before(text, following.start):
                return False
        out.add(pairs[0][0].start, pairs[run][0].start, "")
        return True

    def delete_dash_pair(self, node: PNode, out: _Splices) -> None:
        """Delete the first key of a list entry, leaving the dash alone on its line."""
        text = self.text
        key, value = node.children[0]
        dash = key.start
        while dash > 0 and text[dash - 1] == " ":
            dash -= 1
        out.add(dash, _line_end(text, self.content_end(value)), "")

    def insert_pairs(self, node: PNode, after: int, pairs: list[tuple[Any, Any]], out: _Splices,
                     gone: frozenset[int] = frozenset()) -> None:
        text = self.text
        if node.flow:
            entries = []
            for key, value in pairs:
                entry = render_value({key: value}, self.indent, column=0, in_seq=False, flow=True).first
                entries.append(entry[1:-1])  # "{k: v}" -> "k: v"
            piece = ", ".join(entries)
            if after >= 0:
                out.add(node.children[after][1].end, node.children[after][1].end, ", " + piece)
            else:
                first = node.children[0][0].start
                out.add(first, first, piece + ", ")
            return
        first_key = node.children[0][0]
        column = _column(text, first_key.start)
        pad = " " * column
        like_value = node.children[after][1] if after >= 0 else node.children[0][1]
        body: list[str] = []
        at_line = _line_end(text, self.content_end(node.children[after][1])) if after >= 0 else -1
        for number, (key, value) in enumerate(pairs):
            flow_rows = like_value.kind == "map" and like_value.flow and isinstance(value, dict)
            key_text = render_value(key, self.indent, column=0, in_seq=True).first
            rendered = render_value(value, self.indent, column=column, in_seq=False, flow_rows=flow_rows)
            if number == len(pairs) - 1 and at_line >= 0 and rendered.first.startswith(("|", ">")) \
                    and rendered.rest and self._comments_inside(
                        at_line, len(rendered.rest[0]) - len(rendered.rest[0].lstrip(" "))):
                # Comment lines after it as deep as its text would read as its text: one quoted line.
                rendered = render_value(value, self.indent, column=0, in_seq=False, flow=True)
            body.append(pad + f"{key_text}:" + (f" {rendered.first}" if rendered.first else ""))
            body.extend(rendered.rest)
        if after >= 0:
            at = _line_end(text, self.content_end(node.children[after][1]))
            eol = self.eol(at)
            if at == len(text):
                out.add(at, at, eol + eol.join(body))
            else:
                at = _after_break(text, at)
                out.add(at, at, eol.join(body) + eol)
        else:
            # Before the first key kept (the first key of all, unless deleted).
            at = next(key.start for index, (key, _value) in enumerate(node.children) if index not in gone)
            eol = self.eol(at)
            body[0] = body[0][column:]
            out.add(at, at, eol.join(body) + eol + pad)

    # - sequences -

    def sequence(self, node: PNode, old: list[Any], new: list[Any], holder: _Holder, out: _Splices) -> None:
        items = node.children
        if len(items) != len(old):
            raise Unplaceable("the text's list differs from the data read")
        if node.flow:
            if len(old) == len(new):
                for item, a, b in zip(items, old, new, strict=True):
                    self.node(item, a, b, _Holder(flow=True), out)
            else:
                self.replace(node, new, holder, out)
            return
        low = 0
        while low < len(old) and low < len(new) and equal(old[low], new[low]):
            low += 1
        high_old, high_new = len(old), len(new)
        while high_old > low and high_new > low and equal(old[high_old - 1], new[high_new - 1]):
            high_old -= 1
            high_new -= 1
        flow_rows = any(item.kind == "map" and item.flow for item in items)
        if high_old - low == high_new - low and not self._permutation(old[low:high_old], new[low:high_new]) \
                and all(_likeness(old[index], new[index]) > 0 for index in range(low, high_old)):
            for index in range(low, high_old):
                self.node(items[index], old[index], new[index], _Holder(flow_rows=flow_rows), out)
            return
        self.rebuild(node, old, new, low, high_old, high_new, flow_rows, out)

    @staticmethod
    def _permutation(old: list[Any], new: list[Any]) -> bool:
        if len(old) < 2:
            return False
        keys_old = sorted(_canon(value) for value in old)
        keys_new = sorted(_canon(value) for value in new)
        return keys_old == keys_new and [_canon(v) for v in old] != [_canon(v) for v in new]

    def chunk(self, item: PNode) -> tuple[int, int]:
        dash = self.dash_before(item)
        start = _line_start(self.text, dash)
        end = _after_break(self.text, _line_end(self.text, self.content_end(item)))
        return start, end

    def rebuild(self, node: PNode, old: list[Any], new: list[Any], low: int, high_old: int, high_new: int,
                flow_rows: bool, out: _Splices) -> None:
        """Entries inserted, deleted or moved: the entries between ``low`` and ``high`` are written again,
        each kept entry from its own text (with its own edits), each new one rendered."""
        text = self.text
        items = node.children
        chunks = [self.chunk(item) for item in items]
        for (_s1, e1), (s2, _e2) in itertools.pairwise(chunks):
            if s2 < e1:
                raise Unplaceable("list entries share a line")
        first_dash = self.dash_before(items[0])
        dash_column = _column(text, first_dash)
        # (an empty entry, a dash alone, starts right after its dash: new entries take the usual column)
        content_column = _column(text, items[0].start) if _line_start(text, items[0].start) == \
            _line_start(text, first_dash) and items[0].start > first_dash + 1 else dash_column + 2
        old_keys = [_canon(value) for value in old[low:high_old]]
        new_keys = [_canon(value) for value in new[low:high_new]]
        used: set[int] = set()
        plan: list[tuple[int | None, Any]] = []  # (old index or None, new value)
        from difflib import SequenceMatcher

        for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes():
            if tag == "equal":
                pairs = {j: i for i, j in zip(range(i1, i2), range(j1, j2), strict=True)}
            elif tag == "replace":  # replaced entries that look alike are edited in place
                pairs = _align(old[low + i1:low + i2], new[low + j1:low + j2], i1, j1)
            else:
                pairs = {}
            for j in range(j1, j2):
                if j in pairs:
                    plan.append((low + pairs[j], new[low + j]))
                    used.add(low + pairs[j])
                else:
                    plan.append((None, new[low + j]))
        # An inserted entry equal to a deleted one is that entry moved: keep its text.
        free = {index: _canon(old[index]) for index in range(low, high_old) if index not in used}
        for position, (source, value) in enumerate(plan):
            if source is None:
                key = _canon(value)
                match = next((index for index, canon in free.items() if canon == key), None)
                if match is not None:
                    del free[match]
                    plan[position] = (match, value)
        if low == high_old:  # pure insertion, before entry ``low`` or after the last one
            region_start = region_end = chunks[low][0] if low < len(items) else chunks[-1][1]
        else:
            region_start, region_end = chunks[low][0], chunks[high_old - 1][1]
        eol = self.eol(chunks[min(low, len(items) - 1)][0])
        pieces: list[str] = []
        for position, (source, value) in enumerate(plan):
            if source is not None:
                start, end = chunks[source]
                if source > low:
                    gap_start = chunks[source - 1][1]  # comments and blank lines before the entry
                    if gap_start <= start:
                        pieces.append(text[gap_start:start])
                splices = _Splices()
                self.node(items[source], old[source], value, _Holder(flow_rows=flow_rows), splices)
                pieces.append(splices.apply(text, start, end))
            else:
                like = items[min(max(low + position - 1, 0), len(items) - 1)]
                rendered = render_value(value, self.indent, column=content_column, in_seq=True,
                                        flow_rows=like.kind == "map" and like.flow and isinstance(value, dict),
                                        like=like if like.kind == "scalar" else None)
                if rendered.first.startswith(("|", ">")) and rendered.rest and (
                        self._comments_inside(max(region_end - 1, 0), content_column)
                        or self._deep_comment_in(region_start, region_end, content_column)):
                    # Comment lines as deep as its text would read as its text: one quoted line.
                    rendered = render_value(value, self.indent, column=0, in_seq=False, flow=True)
                first = " " * dash_column + "-" + (" " * (content_column - dash_column - 1) + rendered.first
                                                     if rendered.first else "")
                pieces.append(eol.join([first, *rendered.rest]) + eol)
        out.add(region_start, region_end, "".join(pieces))


def _kept_in_order(kept: list[Any], wanted: list[Any], old: dict[Any, Any], new: dict[Any, Any]) -> set[Any]:
    """The keys that stay where they are when ``kept`` (the keys of ``old`` still in ``new``, in the
    text's order) become ``wanted`` (the same keys in ``new``'s order): a longest run in order, the
    keys whose values did not change counting double. A key moved is deleted and written again, so
    moving a changed pair (rewritten anyway) is preferred to moving an unchanged one."""
    n, m = len(kept), len(wanted)
    if n * m > 250_000:  # a huge mapping reordered: the plain longest run (difflib), in linear-ish time
        from difflib import SequenceMatcher

        matcher = SequenceMatcher(None, [repr(key) for key in kept], [repr(key) for key in wanted], autojunk=False)
        return {kept[block.a + offset] for block in matcher.get_matching_blocks() for offset in range(block.size)}
    weight = {repr(key): 2 if equal(old[key], new[key]) else 1 for key in kept}
    a = [repr(key) for key in kept]
    b = [repr(key) for key in wanted]
    scores = [[weight[x] if x == y else 0 for y in b] for x in a]
    return {kept[i] for i, _j in _matched_in_order(scores, n, m)}


def _likeness(old: Any, new: Any) -> float:
    """How much of a list entry stayed (0: nothing, so a new entry rather than an edited one)."""
    if isinstance(old, dict) and isinstance(new, dict):
        if not old or not new:
            return 0.0
        kept = sum(1 for key, value in old.items() if key in new and equal(value, new[key]))
        if kept == 0 and list(old) == list(new) and len(old) == 1:
            return 0.5  # a one-key entry whose value changed: edited in place
        return kept / max(len(old), len(new))
    if equal(old, new):
        return 1.0
    if not isinstance(old, dict | list) and not isinstance(new, dict | list):
        return 0.5  # one value for another: edited in place, keeping its comment
    return 0.0


def _align(old: list[Any], new: list[Any], i0: int, j0: int) -> dict[int, int]:
    """Pairs (new index -> old index, offset by ``j0``/``i0``) of entries alike, in order, most alike."""
    n, m = len(old), len(new)
    if n * m > 10_000:
        return {j0 + k: i0 + k for k in range(min(n, m))}
    like = [[_likeness(a, b) for b in new] for a in old]
    return {j0 + j: i0 + i for i, j in _matched_in_order(like, n, m)}


def _matched_in_order(scores: Sequence[Sequence[float]], n: int, m: int) -> list[tuple[int, int]]:
    """The pairs (i, j), in order in both, whose scores add up most; a score of 0 or less never pairs."""
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below, score = best[i], best[i + 1], scores[i]
        for j in range(m - 1, -1, -1):
            row[j] = max(below[j], row[j + 1], below[j + 1] + score[j]) if score[j] > 0 else max(below[j], row[j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if scores[i][j] > 0 and best[i][j] == best[i + 1][j + 1] + scores[i][j]:
            pairs.append((i, j))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _canon(value: Any) -> str:
    """A text standing for ``value`` in list comparisons (equal text for equal data)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_canon(k)}:{_canon(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_canon(v) for v in value) + "]"
    if isinstance(value, bool):
        return "b" + str(value)
    if isinstance(value, str):
        return "s" + repr(str(value))
    return type(value).__name__[:1] + repr(value)


def node_at(root: PNode, path: tuple[Any, ...]) -> tuple[PNode | None, PNode | None]:
    """The key node (None for a list entry or the root) and value node at ``path`` (None, None when
    the text has nothing there)."""
    key: PNode | None = None
    node: PNode | None = root
    for part in path:
        if node is None:
            return None, None
        if node.kind == "map":
            for key_node, value_node in node.children:
                if key_node.kind == "scalar" and key_of(key_node) == part:
                    key, node = key_node, value_node
                    break
            else:
                return None, None
        elif node.kind == "seq" and isinstance(part, int) and 0 <= part < len(node.children):
            key, node = None, node.children[part]
        else:
            return None, None
    return key, node


# -- entry points ------------------------------------------------------------------------------------


def _load(text: str) -> Any:
    from intwizard.core.yamlio import load_plain_text

    return load_plain_text(text)


def rewrite(text: str, old: Any, new: Any, *, indent: tuple[int, int, int] | None = None,
            check: bool = True) -> str:
    """``text`` (whose data is ``old``) changed to hold ``new``, touching only the changed nodes.

    ``text`` keeps its own line ends and has no byte order mark. Raises :exc:`Unplaceable` when a
    change cannot be placed safely; then nothing is returned and the caller writes the whole file.
    """
    return rewrite_indexed(text, old, new, indent=indent, check=check)[0]


def rewrite_indexed(text: str, old: Any, new: Any, *, index: Index | None = None,
                    indent: tuple[int, int, int] | None = None, check: bool = True) -> tuple[str, Index | None]:
    """:func:`rewrite`, given the index of ``text`` if known; also returns the index of the result
    (None if unknown), so a next save of it needs no parse of its own."""
    root = index.root if index is not None else None
    if (root is None or root.kind != "map" or root.flow) and equal(old, new):
        return text, index  # (with an index of a block mapping, the walk below finds it out as it goes)
    if not isinstance(old, dict) or not isinstance(new, dict):
        raise Unplaceable("the document is not a mapping")
    if index is None:
        index = build_index(text)
    root = index.root
    if root is None or root.kind != "map":
        raise Unplaceable("the document is not a mapping")
    if indent is None:
        from intwizard.core.yamlio import guess_indent

        indent = guess_indent(text.replace("\r\n", "\n").replace("\r", "\n"))
    newline = dominant_newline(text)
    added = "" if text.endswith(("\n", "\r")) or not text else _eol_at(text, len(text), newline)
    # Every line ends with a break while editing (the last one's is taken off again after).
    editor = _Editor(text + added, indent, newline)
    splices = _Splices()
    if root.flow:
        raise Unplaceable("the document is a flow mapping")
    editor.mapping(root, old, new, _Holder(), splices)
    if not splices.items and equal(old, new):
        return text, index  # the walk compared every part and changed nothing
    result = splices.apply(editor.text)
    if check and not added and not index.anchors and _regions_read_back(editor, index, splices, result, old, new):
        CHECKS["regions"] += 1
        return result, None  # the index of the result is made when a next save needs it
    if not check:
        return (result[: -len(added)] if added and result.endswith(added)
                and not result[: -len(added)].endswith(("\n", "\r")) else result), None
    # The file had no line end after its last line: nor does the result, unless a value written
    # last needs it (a block text ending in a line break).
    stripped = result[: -len(added)] if added and result.endswith(added) else None
    # (not when that would take the line end of a blank line: the blank line would go with it)
    candidates = [stripped, result] if stripped and not stripped.endswith(("\n", "\r")) else [result]
    problem = ""
    for candidate in candidates:
        # The result is read again, all of it, and must be exactly ``new``: a wrong edit is never written.
        new_index: Index | None = None
        try:
            new_index, back = parse(candidate)
        except Unplaceable:
            try:
                back = _load(candidate)
            except Exception as exc:
                problem = f"the edited text does not read back ({exc})"
                continue
        except Exception as exc:  # the new text does not parse: never write it
            problem = f"the edited text does not read back ({exc})"
            continue
        if equal(back, new):
            CHECKS["whole"] += 1
            return candidate, new_index
        problem = "the edited text reads back different"
    raise Unplaceable(problem)


# -- proving an edit reads back, reading only what changed ---------------------------------------------
#
# A block collection's entries (the pairs of a block mapping, the items of a block sequence) each
# start on a line of their own at the collection's column c and end before the next line holding
# something at column c or less. Such a run of whole lines parses on its own, as a document holding a
# collection at column c, to exactly those entries: libyaml's scanner decides where a value ends by the
# column of the collection holding it (a plain scalar continues only on lines deeper than c, a block
# scalar takes lines deeper than its parent, blank and comment lines are nothing), and the text before
# the run is unchanged and left the parser expecting an entry at column c, as before. So when every
# change lies inside such runs, each run starts with content at the old run's column c, parses on its
# own to a block collection at column c, holds no document markers, and the document has no anchors,
# aliases or directives (which reach across runs), then the edited text reads as the old data with each
# run's entries replaced by what the run read as. That is compared with the data wanted, all of it.
# Anything else is read again whole.


class _Region:
    """A run of whole entries of one block collection, ``text[start:end]`` (see above)."""

    __slots__ = ("column", "end", "first", "last", "node", "path", "start")

    def __init__(self, start: int, end: int, path: tuple[Any, ...], node: PNode, first: int, last: int,
                 column: int) -> None:
        self.start = start
        self.end = end
        self.path = path  # where the collection is in the old data
        self.node = node
        self.first = first  # the collection's entries the run is (indexes, both included)
        self.last = last
        self.column = column


def _entry_span(editor: _Editor, node: PNode, index: int) -> tuple[int, int, int] | None:
    """(line start, end past its last line, column) of entry ``index`` of a block collection, or None
    when the entry does not start its line."""
    text = editor.text
    entry = node.children[index]
    first, last = (entry[0], entry[1]) if node.kind == "map" else (entry, entry)
    if node.kind == "seq":
        try:
            first_at = editor.dash_before(first)
        except Unplaceable:
            return None
    else:
        first_at = first.start
    if not _blank_before(text, first_at):
        return None
    return _line_start(text, first_at), _after_break(text, _line_end(text, editor.content_end(last))), \
        _column(text, first_at)


def _past_comments(text: str, pos: int) -> int:
    """``pos`` (a line start) moved past the blank and comment-only lines that follow it."""
    while pos < len(text):
        end = _line_end(text, pos)
        stripped = text[pos:end].strip(" \t")
        if stripped and not stripped.startswith("#"):
            break
        if end == len(text):
            return end
        pos = _after_break(text, end)
    return pos


def _region_of(editor: _Editor, root: PNode, start: int, end: int) -> _Region | None:
    """The smallest run of whole entries of one block collection holding the change
    ``text[start:end]`` (an insertion where two entries meet: both), or None (then the whole text is
    read again)."""
    node = root
    path: tuple[Any, ...] = ()
    best: _Region | None = None
    while node.kind in ("map", "seq") and not node.flow and node.children:
        spans = [_entry_span(editor, node, index) for index in range(len(node.children))]
        touching = [index for index, span in enumerate(spans) if span is not None and span[0] <= end
                    and start <= span[1]]
        if not touching:
            return best
        first, last = touching[0], touching[-1]
        if any(spans[index] is None for index in range(first, last + 1)):
            return best
        span_first, span_last = spans[first], spans[last]
        assert span_first is not None and span_last is not None
        if not (span_first[0] <= start and end <= span_last[1]):
            return best
        best = _Region(span_first[0], span_last[1], path, node, first, last, span_first[2])
        if first != last:
            return best
        entry = node.children[first]
        path = (*path, key_of(entry[0]) if node.kind == "map" else first)
        node = entry[1] if node.kind == "map" else entry
    return best


_MARKER_LINE = None


def _marker(text: str) -> bool:
    """Whether ``text`` has a line starting with a document marker (``---`` or ``...``)."""
    global _MARKER_LINE
    if _MARKER_LINE is None:
        import re

        _MARKER_LINE = re.compile(r"(?:^|[\r\n])(?:---|\.\.\.)(?:[ \t\r\n]|$)")
    return _MARKER_LINE.search(text) is not None


def _regions_read_back(editor: _Editor, index: Index, splices: _Splices, result: str, old: Any, new: Any) -> bool:
    """Whether ``result`` (``editor.text`` with ``splices``) reads as ``new``, proved by reading again
    only the runs of entries that hold the changes (see above). False: read it all again."""
    text = editor.text
    root = index.root
    if root is None or not splices.items or "%" in text[:root.start]:
        return False
    regions: list[_Region] = []
    try:
        for start, end, _replacement in splices.items:
            region = _region_of(editor, root, start, end)
            if region is None:
                return False
            region.end = _past_comments(text, region.end)
            regions.append(region)
    except Unplaceable:
        return False
    regions.sort(key=lambda region: (region.start, -region.end))
    kept: list[_Region] = []
    for region in regions:
        if kept and region.end <= kept[-1].end:
            continue  # inside a run already read
        if kept and region.start < kept[-1].end:
            return False  # runs overlapping: read the whole text
        kept.append(region)
    changes = sorted(splices.items, key=lambda item: (item[0], item[1]))
    for left, right in itertools.pairwise(kept):
        if left.end == right.start and any(s == e == left.end for s, e, _text in changes):
            return False  # an insertion where two runs meet: whose it is decides nothing, read it all
    shift = 0
    position = 0
    pieces: list[tuple[_Region, Any]] = []
    for region in kept:
        if position < len(changes) and changes[position][0] < region.start:
            return False  # a change outside every run (cannot happen: each run holds its own)
        inner = 0
        while position < len(changes) and changes[position][0] >= region.start and changes[position][1] <= region.end:
            s, e, replacement = changes[position]
            inner += len(replacement) - (e - s)
            position += 1
        run = result[region.start + shift:region.end + shift + inner]
        shift += inner
        lead = run[:_line_end(run, 0)]
        content = lead.lstrip(" ")
        if len(lead) - len(content) != region.column or not content or content.startswith("#") or _marker(run):
            return False
        try:
            run_index, data = parse(run)
        except Exception:
            return False
        run_root = run_index.root
        if run_index.anchors or run_root is None or run_root.kind != region.node.kind or run_root.flow \
                or _column(run, run_root.start) != region.column:
            return False
        pieces.append((region, data))
    if position != len(changes):
        return False
    on_path = {region.path[:depth] for region, _data in pieces for depth in range(len(region.path) + 1)}
    return _as_runs_say(old, new, (), _grouped(pieces), on_path)


def _grouped(pieces: list[tuple[_Region, Any]]) -> dict[tuple[Any, ...], list[tuple[_Region, Any]]]:
    grouped: dict[tuple[Any, ...], list[tuple[_Region, Any]]] = {}
    for region, data in pieces:
        grouped.setdefault(region.path, []).append((region, data))
    for runs in grouped.values():
        runs.sort(key=lambda piece: piece[0].first)
    return grouped


def _as_runs_say(old: Any, new: Any, path: tuple[Any, ...], runs: dict[tuple[Any, ...], list[tuple[_Region, Any]]],
                 on_path: set[tuple[Any, ...]]) -> bool:
    """Whether ``new`` is ``old`` with each run's entries replaced by what the run read as: compared
    part by part (what no run touched as a whole, at C speed; a run's entries one by one), never
    building the expected document."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            return False
        olds: list[tuple[Any, Any, bool]] = []  # (key, value, from the old data)
        items = list(old.items())
        cursor = 0
        for region, data in runs.get(path, []):
            if not isinstance(data, dict) or region.first < cursor or region.last >= len(items):
                return False
            olds += [(key, value, True) for key, value in items[cursor:region.first]]
            olds += [(key, value, False) for key, value in data.items()]
            cursor = region.last + 1
        olds += [(key, value, True) for key, value in items[cursor:]]
        if len(olds) != len(new) or [key for key, _value, _kept in olds] != list(new):
            return False  # also a key twice (a run's key the collection has elsewhere): never equal to a dict
        return all(_part_matches(value, new[key], (*path, key), kept, runs, on_path) for key, value, kept in olds)
    if isinstance(old, list):
        if not isinstance(new, list):
            return False
        entries: list[tuple[Any, Any, bool]] = []  # (old index or None, value, from the old data)
        cursor = 0
        for region, data in runs.get(path, []):
            if not isinstance(data, list) or region.first < cursor or region.last >= len(old):
                return False
            entries += [(index, old[index], True) for index in range(cursor, region.first)]
            entries += [(None, value, False) for value in data]
            cursor = region.last + 1
        entries += [(index, old[index], True) for index in range(cursor, len(old))]
        if len(entries) != len(new):
            return False
        return all(_part_matches(value, item, (*path, index), kept, runs, on_path)
                   for (index, value, kept), item in zip(entries, new, strict=True))
    return False


def _part_matches(value: Any, wanted: Any, path: tuple[Any, ...], kept: bool,
                  runs: dict[tuple[Any, ...], list[tuple[_Region, Any]]], on_path: set[tuple[Any, ...]]) -> bool:
    if not kept:
        return same(value, wanted)  # read from a run: small
    if path in on_path:
        return _as_runs_say(value, wanted, path, runs, on_path)  # holds a run deeper down
    return equal(value, wanted)


class Edit(NamedTuple):
    """One change by path (keys and list indexes): ``set`` a value (adding missing keys), ``delete``
    a key or entry, ``insert`` ``value`` into a list before index ``path[-1]``, ``move`` the entry at
    ``path`` to index ``to``."""

    op: str
    path: tuple[str | int, ...]
    value: Any = None
    to: int | None = None


def _plain_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_copy(item) for item in value]
    return value


def apply_data_edits(data: Any, edits: list[Edit]) -> Any:
    """A copy of ``data`` with ``edits`` applied (no text involved)."""
    data = _plain_copy(data)
    for edit in edits:
        if not edit.path:
            raise ValueError("an edit needs a path")
        parent: Any = data
        for part in edit.path[:-1]:
            if isinstance(parent, dict):
                if part not in parent or not isinstance(parent[part], dict | list):
                    parent[part] = {}
                parent = parent[part]
            else:
                parent = parent[int(part)]
        last = edit.path[-1]
        if edit.op == "set":
            if isinstance(parent, list):
                index = int(last)
                if index == len(parent):
                    parent.append(_plain_copy(edit.value))
                else:
                    parent[index] = _plain_copy(edit.value)
            else:
                parent[last] = _plain_copy(edit.value)
        elif edit.op == "delete":
            del parent[int(last) if isinstance(parent, list) else last]
        elif edit.op == "insert":
            parent.insert(int(last), _plain_copy(edit.value))
        elif edit.op == "move":
            item = parent.pop(int(last))
            parent.insert(int(edit.to if edit.to is not None else last), item)
        else:
            raise ValueError(f"unknown edit {edit.op!r}")
    return data


def apply_edits(text: str, edits: list[Edit], *, indent: tuple[int, int, int] | None = None) -> str:
    """``text`` with ``edits`` applied at their spans (see :func:`rewrite`)."""
    old = _load(text)
    return rewrite(text, old, apply_data_edits(old, edits), indent=indent)
