"""The export passes the Markdown tools teams run: markdownlint-cli2 and Prettier, the real ones.

Both are pinned in tests/package.json (+ package-lock.json); `.ci/run` installs them with
`npm ci --prefix tests`. These tests skip only where npm is not on PATH (test_render.py's pymarkdownlnt
test covers those machines).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from intwizard.core.draft import Draft
from intwizard.core.render import render
from intwizard.core.store import read_plain
from intwizard.importers.markdown import import_markdown

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
BIN = TESTS / "node_modules" / ".bin"
#: markdownlint's defaults, less MD013 (line length), MD024 among siblings only; `<br>` is the one
#: inline HTML the export writes (a table cell with several lines), so MD033 allows just that.
LINT_CONFIG = {"config": {"default": True, "MD013": False, "MD024": {"siblings_only": True},
                          "MD033": {"allowed_elements": ["br"]}}}
#: Hand-formatted documents that follow the template, whose round trip is exported too.
IMPORTED = [*sorted((FIXTURES / "handmade").glob("*.md")), FIXTURES / "import_handwritten.md",
            FIXTURES / "import_from_template.md"]


def tool(name: str) -> Path:
    if shutil.which("npm") is None:
        pytest.skip("npm is not on PATH")
    path = BIN / name
    assert path.exists(), f"{name} is missing: run `npm ci --prefix tests` (as .ci/run does)"
    return path


def exports(schema) -> dict[str, str]:
    out = {"complete": render(schema, read_plain(FIXTURES / "complete.yaml")),
           "empty": render(schema, {}),
           "new": render(schema, Draft.new(schema).plain())}
    for document in IMPORTED:
        draft, _ = import_markdown(schema, document.read_text(encoding="utf-8"))
        out[f"import-{document.stem}"] = render(schema, draft.plain())
    return out


def markdownlint(folder: Path, files: dict[str, str]) -> list[str]:
    (folder / ".markdownlint-cli2.jsonc").write_text(json.dumps(LINT_CONFIG), encoding="utf-8")
    for name, text in files.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    result = subprocess.run([str(tool("markdownlint-cli2")), *(f"{name}.md" for name in files)], cwd=folder,
                            capture_output=True, text=True, timeout=120)
    found = [line for line in (result.stdout + result.stderr).splitlines() if " MD" in line]
    assert result.returncode == (1 if found else 0), result.stdout + result.stderr
    return found


def prettier(text: str, folder: Path) -> str:
    result = subprocess.run([str(tool("prettier")), "--parser", "markdown", "--no-config"], input=text,
                            capture_output=True, text=True, timeout=120, cwd=folder)
    assert result.returncode == 0, result.stderr
    return result.stdout


def outside_fences(markdown: str) -> list[str]:
    """The document's lines with every fenced code block's body left out (Prettier formats JSON there)."""
    lines = markdown.splitlines()
    fenced: set[int] = set()
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "fence" and token.map:
            fenced.update(range(token.map[0] + 1, token.map[1] - 1))
    return [line for number, line in enumerate(lines) if number not in fenced]


def test_markdownlint_finds_nothing_in_the_exports(schema, tmp_path: Path) -> None:
    files = exports(schema)
    assert len(files) >= 5
    assert markdownlint(tmp_path, files) == []


def test_markdownlint_helper_can_fail(tmp_path: Path) -> None:
    found = markdownlint(tmp_path, {"bad": "# A\n\n| a | bb |\n|---|----|\n| 1 | 2 |\n\n<b>x</b>\n"})
    assert any("MD060" in line for line in found) and any("MD033" in line for line in found)


def _emphasis_as_prettier_writes_it(lines: list[str]) -> list[str]:
    """``*word*`` as ``_word_``: the one rewrite Prettier makes in an author's own prose (an imported
    value is exported as the author wrote it, never restyled)."""
    return [re.sub(r"(?<![*\\\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])", r"_\1_", line) for line in lines]


@pytest.mark.parametrize("which", ["complete", "empty", "new", "import"])
def test_prettier_changes_nothing_outside_fences(schema, tmp_path: Path, which: str) -> None:
    for name, text in exports(schema).items():
        if not name.startswith(which):
            continue
        ours = outside_fences(text)
        if which == "import":
            ours = _emphasis_as_prettier_writes_it(ours)
        assert outside_fences(prettier(text, tmp_path)) == ours, name


def test_prettier_helper_sees_an_unaligned_table(tmp_path: Path) -> None:
    text = "# A\n\n| a | bb |\n|---|----|\n| 1 | 2 |\n"
    assert outside_fences(prettier(text, tmp_path)) != outside_fences(text)
