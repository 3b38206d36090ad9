"""Import a Markdown spec that follows the template (hand-written or exported) into a draft.

The document is read as markdown-it's token stream (GFM tables, task lists), cut into a tree of
heading regions, and matched against the schema: section and field headings, ``**Label**:`` lines,
table headers, checklist items and sign-off roles are all looked up by the labels in ``schema.yaml``.
Values are kept as the author wrote them (Markdown source, dates and statuses untouched); the
template's placeholders (``[Name]``, the pre-written examples) read as empty. Whatever fits no
field is kept under ``intwizard.unmapped`` with where it was found.

This module is the entry point; the work is done in one module per step:

- :mod:`~intwizard.importers.markdown_tree`: the document as blocks under a tree of heading regions;
- :mod:`~intwizard.importers.markdown_values`: a block's text as the value a field stores;
- :mod:`~intwizard.importers.markdown_labels`: headings, labels and table headers matched to the schema;
- :mod:`~intwizard.importers.markdown_fields`: one field filled from its blocks, the rest kept as unplaced;
- :mod:`~intwizard.importers.markdown_sections`: the title, sections and repeated groups walked onto the schema.
"""

from __future__ import annotations

import datetime as dt

from intwizard.draft import Draft
from intwizard.importers import Unplaced

# Re-exported: these names were importable from here before the split, and callers may rely on them.
from intwizard.importers.markdown_fields import FieldReader
from intwizard.importers.markdown_labels import Labelled, item_title, label_of, labelled_runs
from intwizard.importers.markdown_sections import MarkdownImporter
from intwizard.importers.markdown_tree import (
    Block,
    Region,
    fence_text,
    list_item_blocks,
    list_item_opens,
    paragraph_lines,
    parser,
    regions,
    table_body,
    table_headers,
)
from intwizard.importers.markdown_values import (
    cell_text,
    code_span_content,
    list_items,
    scalar,
    unescape_line,
    unwrap_autolinks,
)
from intwizard.schema import Schema

__all__ = [
    "Block",
    "FieldReader",
    "Labelled",
    "MarkdownImporter",
    "Region",
    "cell_text",
    "code_span_content",
    "fence_text",
    "import_markdown",
    "item_title",
    "label_of",
    "labelled_runs",
    "list_item_blocks",
    "list_item_opens",
    "list_items",
    "paragraph_lines",
    "parser",
    "regions",
    "scalar",
    "table_body",
    "table_headers",
    "unescape_line",
    "unwrap_autolinks",
]


def import_markdown(schema: Schema, text: str, today: dt.date | None = None) -> tuple[Draft, list[Unplaced]]:
    """A new draft holding what the document says, and what could not be placed in a field."""
    importer = MarkdownImporter(schema, text, today=today)
    draft = importer.run()
    return draft, importer.unplaced
