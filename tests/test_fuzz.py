"""Property-based tests over drafts generated from the schema, full of hostile text: any Unicode
(emoji, RTL marks, combining marks, control characters, U+2028), pipes, backticks, leading ``#``,
``- [ ]``, very long lines, empty and huge lists (at most one very long line and one huge list a
draft, put at a place drawn from all of them, so that examples stay cheap).

- save then load gives the same data (a new file, and an edit merged into an existing one);
- export never raises;
- every table keeps its columns (counted as markdown-it splits them) and its rows;
- the number of headings depends only on the number of integrations.

The default run is quick (10 examples per property); ``HYPOTHESIS_PROFILE=thorough`` runs 2,000
(``INTWIZARD_FUZZ_EXAMPLES`` changes that number).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token
from ruamel.yaml.comments import CommentedSeq

from intwizard.core.draft import Draft
from intwizard.core.render import render
from intwizard.core.schema import Node, Schema, load_schema
from intwizard.core.store import new_draft_file, open_draft, read_plain

settings.register_profile("fuzz-quick", max_examples=10, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", max_examples=int(os.environ.get("INTWIZARD_FUZZ_EXAMPLES", "2000")),
                          deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = settings.get_profile("thorough" if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else "fuzz-quick")

SCHEMA = load_schema()

TOKENS = [
    "|", "\\|", "\\", "`", "``", "```", "~~~", "#", "# ", "## Heading", "- [ ] ", "- [x] ", "* ", "+ ", "1. ",
    "> ", "<!--", "-->", "<div>", "</table>", "<br>", "---", "===", "***", "...", "\n", "\n\n", "\r\n", "\r",
    "\t", "  ", "    ", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\u200f", "\u202e", "\u061c", "\u0301",
    "e\u0301", "\U0001f469\u200d\U0001f4bb", "\U0001f1eb\U0001f1f7", "\x00", "\x07", "\x1b[31m", "\ufeff", "&a",
    "*a", "!!python/object/apply:os.system", "{{ x }}", "{% raw %}", "key: value", "- item", "'", '"', "null",
    "~", "true", "2024-01-01", "0x1F", "1e3", "[ ]", "http://x.example/a|b", "|---|---|", "[x](javascript:x)",
    "\\n", "=", "-", "_", "**", "<", ">", "&", "%", "\u0645\u0631\u062d\u0628\u0627", "\u05e9\u05dc\u05d5\u05dd",
    "\u4e2d\u6587", ":", "{", "}", "[", "]", ",", "?",
]
_chars = st.characters(exclude_categories=("Cs",))
piece = st.one_of(st.sampled_from(TOKENS), st.text(_chars, max_size=10))
short_text = st.lists(piece, max_size=8).map("".join)
long_text = st.tuples(st.integers(200, 1000), st.sampled_from(TOKENS)).map(lambda p: "word| `x` " * p[0] + p[1])
text = st.one_of(*[short_text] * 7, long_text)
#: Most fields of a generated draft stay blank, so each example is small and many fit in a run.
maybe_text = st.one_of(*[st.just("")] * 3, short_text)
#: Fields and lists hold short text and short lists; :func:`drafts` then puts at most one huge list
#: and one very long line into each draft, at a place drawn from all of them. (Drawn field by field,
#: a draft held ~6 long lines and several huge lists: ~600 kB of YAML, 0.5-3 s an example, all of
#: it spent parsing the same kind of text again.)
HUGE = (25, 30)


def value_for(node: Node) -> st.SearchStrategy:
    kind = node.kind
    if kind == "date":
        return st.one_of(st.just(""), st.dates(), short_text)
    if kind == "choice":
        return st.one_of(st.just(""), st.sampled_from(node.options), short_text) if node.options else maybe_text
    if kind in ("line", "text", "code"):
        return maybe_text
    if kind == "list":
        return st.lists(short_text, max_size=3)
    if kind == "checklist":
        return st.fixed_dictionaries({item.key: st.booleans() for item in node.children})
    if kind == "signoff":
        parts = st.fixed_dictionaries({part.key: value_for(part) for part in node.children})
        return st.fixed_dictionaries({role.key: parts for role in node.roles})
    if kind == "table":
        return st.lists(table_row(node), max_size=3)
    if kind == "group":
        item = st.fixed_dictionaries({child.key: value_for(child) for child in node.children})
        return st.lists(item, max_size=2)
    if kind == "section":
        return st.fixed_dictionaries({child.key: value_for(child) for child in node.children})
    raise AssertionError(kind)


def table_row(node: Node) -> st.SearchStrategy:
    return st.fixed_dictionaries({column.key: value_for(column) for column in node.children})


Spot = tuple[Any, Any, Node]  # (container, key or index, schema node of the value there)


def spots(schema: Schema, data: dict[str, Any]) -> tuple[list[Spot], list[Spot]]:
    """Where a generated draft holds text (fields, list items, cells, sign-off parts), and where it
    holds a list or a table (also inside each integration)."""
    texts: list[Spot] = []
    lists: list[Spot] = []

    def walk(node: Node, parent: Any, key: Any) -> None:
        value = parent[key]
        if node.kind == "section":
            for child in node.children:
                walk(child, value, child.key)
        elif node.kind == "signoff":
            for role in node.roles:
                texts.extend((value[role.key], part.key, part) for part in node.children)
        elif node.kind == "list":
            lists.append((parent, key, node))
            texts.extend((value, index, node) for index in range(len(value)))
        elif node.kind in ("table", "group"):
            if node.kind == "table":
                lists.append((parent, key, node))
            for item in value:
                for child in node.children:
                    walk(child, item, child.key)
        elif node.kind not in ("checklist", "check"):
            texts.append((parent, key, node))

    for section in schema.sections:
        walk(section, data, section.key)
    return texts, lists


_SMALL_DRAFTS = st.fixed_dictionaries({section.key: value_for(section) for section in SCHEMA.sections})
_ROWS = {node.path: table_row(node) for node in SCHEMA.walk() if node.kind == "table"}


@st.composite
def drafts(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(_SMALL_DRAFTS)
    if draw(st.booleans()):
        parent, key, node = draw(st.sampled_from(spots(SCHEMA, data)[1]))
        element = short_text if node.kind == "list" else _ROWS[node.path]
        parent[key] = draw(st.lists(element, min_size=HUGE[0], max_size=HUGE[1]))
        event(f"huge {node.kind}")
    if draw(st.booleans()):
        parent, key, node = draw(st.sampled_from(spots(SCHEMA, data)[0]))
        parent[key] = draw(long_text)
        container = SCHEMA.node(node.path.rpartition(".")[0])
        event("long line in a " + ("list item" if node.kind == "list" else "table cell"
                                   if container is not None and container.kind == "table" else f"{node.kind} field"))
    return data


def fill(draft: Draft, node: Node, value: Any, path: str) -> None:
    """Put generated data into a draft field by field, the way the wizard does (multi-line text
    becomes a ``|`` block, lists are filled item by item)."""
    kind = node.kind
    if kind in ("section", "checklist"):
        for child in node.children:
            fill(draft, child, value[child.key], f"{path}.{child.key}")
    elif kind == "check" or node.is_scalar:
        draft.set_value(path, value)
    elif kind == "list":
        draft.set_value(path, CommentedSeq())
        for index, item in enumerate(value):
            draft.set_value(f"{path}.{index}", item)
    elif kind in ("group", "table"):
        draft.set_value(path, CommentedSeq())
        for index, item in enumerate(value):
            draft.append_item(path)
            for child in node.children:
                fill(draft, child, item[child.key], f"{path}.{index}.{child.key}")
    elif kind == "signoff":
        for role in node.roles:
            for part in node.children:
                draft.set_value(f"{path}.{role.key}.{part.key}", value[role.key][part.key])
    else:
        raise AssertionError(kind)


def make_draft(data: dict[str, Any]) -> Draft:
    draft = Draft.new(SCHEMA)
    for section in SCHEMA.sections:
        fill(draft, section, data[section.key], section.key)
    return draft


# -- save then load --------------------------------------------------------------------------------


@settings(PROFILE)
@given(data=drafts(), edit=text)
def test_save_then_load_gives_the_same_data(tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any],
                                            edit: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "draft.yaml"
    draft = make_draft(data)
    draft_file = new_draft_file(path, draft)
    assert draft_file.save()
    assert read_plain(path) == draft.plain()
    reopened = open_draft(path, SCHEMA)
    assert reopened.draft.plain() == draft.plain()
    # An edit merged into the existing text (the three-way merge path) keeps everything else.
    reopened.draft.set_value("overview.summary", edit)
    reopened.draft.set_value("meta.author", edit.replace("\n", " "))
    reopened.save()
    assert read_plain(path) == reopened.draft.plain()


# -- export ----------------------------------------------------------------------------------------

_md = MarkdownIt("commonmark").enable("table")


def expected_tables(schema: Schema, data: dict[str, Any]) -> list[tuple[tuple[str, ...], int]]:
    """(column labels, body rows) of every table the document should have, in order."""
    tables: list[tuple[tuple[str, ...], int]] = []

    def walk(node: Node, value: Any) -> None:
        if node.kind == "table":
            rows = value if isinstance(value, list) and value else (node.default or [None])
            tables.append((tuple(column.label for column in node.children), len(rows)))
        elif node.kind == "section":
            for child in node.children:
                walk(child, (value or {}).get(child.key) if isinstance(value, dict) else None)
        elif node.kind == "group":
            for item in (value if isinstance(value, list) and value else [{}]):
                for child in node.children:
                    walk(child, item.get(child.key))

    for section in schema.sections:
        walk(section, data.get(section.key))
    return tables


def found_tables(markdown: str, tokens: list[Token] | None = None) -> list[tuple[tuple[str, ...], int, list[int]]]:
    """(header cells, body rows, cells per body line as markdown-it splits them) of every table
    (``tokens``: markdown-it's parse of ``markdown``, if already done)."""
    lines = re.split(r"\r\n|\r|\n", markdown)  # markdown-it's line ends, so its line numbers match
    tokens = _md.parse(markdown) if tokens is None else tokens
    tables = []
    for index, token in enumerate(tokens):
        if token.type != "table_open":
            continue
        start, end = token.map
        header = []
        for inner in tokens[index:]:
            if inner.type == "table_close":
                break
            if inner.type == "inline" and inner.map and inner.map[0] == start:
                header.append(inner.content)
        counts = []
        for line in lines[start + 2:end]:
            cells = escapedSplit(line.strip())
            counts.append(len(cells) - (cells[0] == "") - (cells[-1] == "" and len(cells) > 1))
        tables.append((tuple(header), end - start - 2, counts))
    return tables


def heading_count(markdown: str, tokens: list[Token] | None = None) -> int:
    return sum(token.type == "heading_open" for token in (_md.parse(markdown) if tokens is None else tokens))


_headings_of_empty: dict[tuple[int, ...], int] = {}


def headings_of_empty(plain: dict[str, Any]) -> int:
    """The headings of a draft with as many integrations as ``plain`` and nothing else (cached)."""
    empty = integrations(plain)
    counts = tuple(len(items) for items in empty.values())
    if counts not in _headings_of_empty:
        _headings_of_empty[counts] = heading_count(render(SCHEMA, empty))
    return _headings_of_empty[counts]


def integrations(data: dict[str, Any]) -> dict[str, list]:
    return {section.key: [{}] * len(data.get(section.key) or []) for section in SCHEMA.sections
            if section.kind == "group"}


@settings(PROFILE)
@given(data=drafts())
def test_export_keeps_the_document_shape(data: dict[str, Any]) -> None:
    plain = make_draft(data).plain()
    markdown = render(SCHEMA, plain)  # never raises
    tokens = _md.parse(markdown)
    expected = expected_tables(SCHEMA, plain)
    found = found_tables(markdown, tokens)
    assert [(labels, rows) for labels, rows, _counts in found] == expected
    for labels, _rows, counts in found:
        assert all(count == len(labels) for count in counts), (labels, counts)
    assert heading_count(markdown, tokens) == headings_of_empty(plain)


@settings(PROFILE)
@given(data=drafts(), wrong=st.sampled_from([None, 0, 1.5, True, [], {}, ["a", {"b": 1}], {"x": [1]}]),
       where=st.integers(0, 10_000))
def test_export_never_raises_on_wrong_shapes(data: dict[str, Any], wrong: Any, where: int) -> None:
    """Hand edits can put anything anywhere: export still renders (the checks report it)."""
    plain = make_draft(data).plain()
    containers: list[tuple[Any, Any]] = []

    def collect(value: Any) -> None:
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in items:
            containers.append((value, key))
            collect(child)

    collect(plain)
    parent, key = containers[where % len(containers)]
    parent[key] = wrong
    assert render(SCHEMA, plain).endswith("\n")



def test_the_shape_checks_see_a_broken_table_and_an_extra_heading() -> None:
    """The comparisons the properties make can fail."""
    found = found_tables("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| x |\n")
    assert found == [(("a", "b"), 2, [3, 1])]
    assert heading_count("# a\n- # b\n") == 2


# -- what the properties found, kept as plain regression tests ------------------------------------

ESCAPED_TEXT = ["a\x07b\nline2", "a\x85b", "line\n\x85", "a\u2028b\nline2", "x\n  \u2029", "a\rb\nline2", "a\r\nb",
                "line\n\r", "\tx\ny", "x\n\ty", "a\x00b\nc", "a\x7f\x9f\ufffe\uffffb\nc", "\x1b[31m\nred"]


def survives_a_save(tmp_path: Path, value: str, *paths: str) -> None:
    """``value`` in each field of ``paths``, saved to a new file: it reads back the same, both ways."""
    draft = Draft.new(SCHEMA)
    for path in paths:
        draft.set_value(path, value)
    file = tmp_path / "draft.yaml"
    new_draft_file(file, draft).save()
    assert read_plain(file) == draft.plain()
    assert open_draft(file, SCHEMA).draft.plain() == draft.plain()


@pytest.mark.parametrize("value", ESCAPED_TEXT)
def test_text_ruamel_cannot_write_as_a_block_survives_a_save(tmp_path: Path, value: str) -> None:
    """ruamel wrote these raw in a ``|`` block or plain scalar: the file read back different, or not at all."""
    survives_a_save(tmp_path, value, "overview.summary", "meta.author", "external_system_integrations.0.name")


@pytest.mark.parametrize("value", ["\t", "\tx", "\t "])
def test_a_leading_tab_replacing_a_multi_line_default_survives_a_save(tmp_path: Path, value: str) -> None:
    """The field keeps the ``|`` style of its multi-line default; ruamel wrote the tab raw at the
    start of the block: the file no longer read."""
    survives_a_save(tmp_path, value, "performance_and_scalability.monitoring_and_alerting",
                    "message_formats_and_protocols.message_structure")


@pytest.mark.parametrize("value", ["# x", "* # x", "1. # x", "- > # x", "+ ```", "2) ~~~", "* * # x"])
def test_list_items_cannot_open_headings_or_fences(value: str) -> None:
    draft = Draft.new(SCHEMA)
    path = "data_integration_patterns.synchronous_integration.advantages"
    draft.set_value(path, CommentedSeq([value, "after"]))
    markdown = render(SCHEMA, draft.plain())
    assert heading_count(markdown) == heading_count(render(SCHEMA, {}))
    assert "- after\n" in markdown  # no fence swallowed the next item


def test_a_carriage_return_in_a_code_cell_keeps_the_row(schema: Schema) -> None:
    draft = Draft.new(SCHEMA)
    draft.set_value("external_system_integrations.0.api_endpoints.0.endpoint", "/a\r| # b")
    found = found_tables(render(SCHEMA, draft.plain()))
    assert found[0][2] == [5]
