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

from intwizard.core.draft import Draft
from intwizard.core.schema import Schema
from intwizard.importers import Unplaced
from intwizard.importers.markdown_sections import MarkdownImporter

__all__ = ["import_markdown"]


def import_markdown(schema: Schema, text: str, today: dt.date | None = None) -> tuple[Draft, list[Unplaced]]:
    """A new draft holding what the document says, and what could not be placed in a field."""
    importer = MarkdownImporter(schema, text, today=today)
    draft = importer.run()
    return draft, importer.unplaced
