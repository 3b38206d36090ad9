"""Import -> export loses nothing: hand-formatted specs that follow the template's headings come back
rendering to the same HTML (markdown-it-py with its GFM plugins, and cmark-gfm), unmapped pieces included."""

from __future__ import annotations

import re
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

from intwizard.core.markdown import cell
from intwizard.core.render import render
from intwizard.importers.markdown import import_markdown

FIXTURES = Path(__file__).parent / "fixtures"
DOCUMENTS = sorted((FIXTURES / "handmade").glob("*.md"))
_MDIT = MarkdownIt("gfm-like").use(tasklists_plugin)


def _normal(out: str) -> str:
    """Only presentation-free differences evened out: whitespace between tags and at line ends, the
    spelling of ``<br>``, and ``text`` as a fence language (the export names it, people leave it out)."""
    out = re.sub(r"<br\s*/?>", "<br>", out)
    out = out.replace(' class="language-text"', "").replace(' lang="text"', "")
    out = re.sub(r"[ \t]+\n", "\n", out)
    return re.sub(r">\s+<", "><", out).strip()


def markdown_it(markdown: str) -> str:
    return _normal(_MDIT.render(markdown))


def cmark_gfm(markdown: str) -> str:
    return _normal(cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE))


def test_there_are_enough_documents() -> None:
    assert len(DOCUMENTS) >= 3


@pytest.mark.parametrize("renderer", [markdown_it, cmark_gfm], ids=["markdown-it", "cmark-gfm"])
@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_export_of_import_renders_like_the_document(schema, document: Path, renderer) -> None:
    text = document.read_text(encoding="utf-8")
    draft, _ = import_markdown(schema, text)
    assert renderer(render(schema, draft.plain())) == renderer(text)


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_nothing_reported_as_unmapped_is_missing_from_the_export(schema, document: Path) -> None:
    draft, unplaced = import_markdown(schema, document.read_text(encoding="utf-8"))
    exported = render(schema, draft.plain())
    assert unplaced, "each document has something the template does not"
    for piece in unplaced:
        assert piece.path is not None, piece
        if piece.join in ("column", "cell"):  # a column the template's table has not: a cell of the table
            assert re.search(rf"(?m)^(.*\| )? *{re.escape(cell(piece.text))} *\|", exported), piece
            continue
        text = re.sub(r"^[*+](?=\s)", "-", piece.text)
        assert text in exported, piece


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_the_round_trip_is_stable(schema, document: Path) -> None:
    draft, _ = import_markdown(schema, document.read_text(encoding="utf-8"))
    once = render(schema, draft.plain())
    again, _ = import_markdown(schema, once)
    assert render(schema, again.plain()) == once
