"""The core raises typed errors and writes no command names; the CLI words them (cli_words)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from cli_support import run

from intwizard.core.draft import Draft
from intwizard.core.store import new_draft_file, read_plain
from intwizard.errors import EmptyDraftError

PACKAGE = Path(__file__).resolve().parent.parent / "intwizard"


def test_an_empty_draft_is_a_typed_error_the_cli_words(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(EmptyDraftError) as caught:
        read_plain(empty)
    assert caught.value.message == "the file is empty"
    result = run("export", empty)
    assert result.exit_code == 2
    assert result.stderr == f"intwizard: error: {empty}: the file is empty; create a draft with `intwizard new`\n"


def test_a_new_draft_says_how_to_resume_it_when_a_front_end_asks(tmp_path: Path, schema) -> None:
    from intwizard.cli.words import header_hint

    plain = new_draft_file(tmp_path / "a.yaml", Draft.new(schema))
    plain.save()
    assert "intwizard resume" not in (tmp_path / "a.yaml").read_text()  # the core alone names no command
    result = run("new", tmp_path / "b.yaml", "--no-input", "--set", "meta.feature_name=B")
    assert result.exit_code == 0, result.output
    assert f"# {header_hint(str(tmp_path / 'b.yaml'))}\n" in (tmp_path / "b.yaml").read_text()


@pytest.mark.parametrize("module", ["core/draft.py", "core/store.py"])
def test_core_strings_name_no_cli_command(module: str) -> None:
    tree = ast.parse((PACKAGE / module).read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    texts = [node.value for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]
    texts += [part.value for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
              for part in node.values if isinstance(part, ast.Constant)]
    commands = ("intwizard new", "intwizard resume", "intwizard export", "intwizard set", "intwizard check")
    assert [text for text in texts if any(command in text for command in commands)] == []
