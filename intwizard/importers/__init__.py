"""Bring existing material into a draft: a hand-written Markdown spec, an OpenAPI description.

Importers fill a :class:`~intwizard.core.draft.Draft` through its paths and keep their own bookkeeping
under the draft's ``intwizard:`` key (which ``check`` and the export ignore): what could not be
placed in a field, and what an OpenAPI import generated, so a re-run can tell it from the user's edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from intwizard.core.draft import Draft, bookkeeping, bookkeeping_list
from intwizard.core.yamlio import block_text, to_tree
from intwizard.errors import InputError

UNMAPPED_KEY = "unmapped"


@dataclass(frozen=True)
class Unplaced:
    """A piece of the source that fits no field: kept verbatim, with where it was found."""

    where: str
    line: int
    text: str
    path: str | None = None
    """The draft path of the section, group entry or field it was found in ("" the document itself);
    None when it has no place the export can write it back to."""
    after: str = ""
    """The key of the field it followed in that container ("" at its start)."""
    join: str = ""
    """``line``: it continued the paragraph before it; ``item``: it was an item of the list before it;
    ``nested``: it was inside the list item of the field it followed (a sub-list under ``- **Base URL**:``);
    ``column``: the header of a table column the template's table has not (``path`` the table's);
    ``cell``: a cell of such a column (``path`` the row's)."""
    column: str = ""
    """For a ``cell``: the header of its column."""
    align: str = ""
    """For a ``column``: its alignment in the document (left, center, right)."""

    def snippet(self, width: int = 60) -> str:
        """The text on one line, shortened."""
        first = " ".join(self.text.split())
        return first if len(first) <= width else first[: width - 1] + "…"


def keep_unplaced(draft: Draft, pieces: list[Unplaced]) -> None:
    """Append the pieces to ``intwizard.unmapped`` so nothing the author wrote is dropped."""
    if not pieces:
        return
    kept = bookkeeping_list(draft, UNMAPPED_KEY)
    for piece in pieces:
        entry = CommentedMap([("where", piece.where), ("line", piece.line), ("text", block_text(piece.text))])
        if piece.path is not None:  # where the export writes it back
            entry["path"] = piece.path
            entry["after"] = piece.after
            if piece.join:
                entry["join"] = piece.join
            if piece.column:
                entry["column"] = piece.column
            if piece.align:
                entry["align"] = piece.align
        kept.append(entry)
    draft.changed = True


LAYOUT_KEY = "layout"


def keep_layout(draft: Draft, layout: dict[str, dict[str, Any]]) -> None:
    """Record under ``intwizard.layout`` how the document wrote fields the template writes otherwise (a
    fence's ``language``, a table's column ``align``), by the field's path, for the export."""
    if not layout:
        return
    meta = bookkeeping(draft)
    found = meta.get(LAYOUT_KEY)
    if not isinstance(found, CommentedMap):
        found = CommentedMap()
        meta[LAYOUT_KEY] = found
    for path, how in layout.items():
        found[path] = to_tree(how)
    draft.changed = True


def write_new_draft(path: Path, draft: Draft, *, hint: str = "") -> None:
    """Create ``path`` with the draft as imported: dates stay what the source says (no save-date bump),
    and an existing file is never replaced. ``hint``: the header's line on how to pick it up again."""
    from intwizard.core.store import new_draft_file

    if path.exists():
        raise InputError("already exists; import into a new file (-o NEW.yaml) or remove it first", path=path)
    draft.set_header(hint)
    draft.changed = False  # importing is not editing: render() bumps the updated date only after edits
    draft_file = new_draft_file(path, draft)
    text = draft_file.render()
    if text is None:  # pragma: no cover - a file not yet on disk always renders
        raise InputError("nothing to write", path=path)
    draft_file.write(text)


def read_source(path: Path) -> str:
    """A source document's text (UTF-8, BOM and CRLF handled), or a clear error naming the file."""
    from intwizard.core.store import read_file

    return read_file(path, "a Markdown document").text
