"""Hostile OpenAPI input: alias bombs, deep nesting, ``$ref``s to FIFOs and to files outside the spec's
folder. Each is exit 2 with one message naming the file, quickly, never quoting another file's
contents, and the draft is left as it was."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.cli_support import run

SPEC = """openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "REF"}
"""
SECRET = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"


def _bomb() -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "".join(f"  {line}\n" for line in lines)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    spec_folder = tmp_path / "api"
    spec_folder.mkdir()
    assert run("new", spec_folder / "d.yaml", "--no-input").exit_code == 0
    (tmp_path / "secret.yaml").write_text(SECRET)
    return spec_folder


def imported(folder: Path, spec: Path, *extra: object) -> tuple[int, str]:
    draft = folder / "d.yaml"
    before = draft.read_bytes()
    start = time.monotonic()
    result = run("import-openapi", spec, draft, "--integration", "X", *extra)
    assert time.monotonic() - start < 30
    assert "Traceback" not in result.stderr
    if result.exit_code:
        assert draft.read_bytes() == before
    return result.exit_code, result.stderr


@pytest.mark.parametrize("ref", ["/etc/passwd", "../secret.yaml", "link.yaml"])
def test_refs_outside_the_spec_folder_are_not_read(folder: Path, ref: str) -> None:
    (folder / "link.yaml").symlink_to(folder.parent / "secret.yaml")  # inside by name, outside in fact
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.replace("REF", ref))
    code, stderr = imported(folder, spec)
    assert code == 2 and stderr.startswith(f"intwizard: error: {spec}: $ref to "), stderr
    assert "outside the spec's folder" in stderr
    assert "root:" not in stderr and "wJalr" not in stderr


def test_refs_under_widens_where_refs_may_point(folder: Path) -> None:
    (folder.parent / "shared.yaml").write_text("type: object\n")
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.replace("REF", "../shared.yaml"))
    assert imported(folder, spec)[0] == 2
    code, stderr = imported(folder, spec, "--refs-under", folder.parent)
    assert code == 0, stderr


def test_a_ref_inside_the_folder_still_works(folder: Path) -> None:
    (folder / "schemas.yaml").write_text("Pet:\n  type: object\n  properties: {name: {type: string}}\n")
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.replace("REF", "schemas.yaml#/Pet"))
    code, stderr = imported(folder, spec)
    assert code == 0, stderr


def test_a_ref_to_a_fifo_does_not_wait(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.replace("REF", "pipe.yaml"))
    code, stderr = imported(folder, spec)
    assert code == 2 and "is a named pipe (FIFO), not a regular file" in stderr


def test_an_alias_bomb_is_refused(folder: Path) -> None:
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.replace("REF", "#/components/schemas/X") + "components:\n  schemas:\n    X: {type: object}\n"
                    "x-bomb:\n" + _bomb())
    code, stderr = imported(folder, spec)
    assert code == 2 and stderr.startswith(f"intwizard: error: {spec}: the document expands to more than")


def test_an_alias_bomb_in_a_referenced_file_is_refused(folder: Path) -> None:
    (folder / "bomb.yaml").write_text("X: {type: object}\nx-bomb:\n" + _bomb())
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.replace("REF", "bomb.yaml#/X"))
    code, stderr = imported(folder, spec)
    assert code == 2 and "expands to more than" in stderr and "bomb.yaml" in stderr


def test_deep_json_is_refused(folder: Path) -> None:
    spec = folder / "deep.json"
    spec.write_text('{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}, "x": '
                    + "[" * 3000 + "]" * 3000 + "}")
    code, stderr = imported(folder, spec)
    assert code == 2 and stderr.startswith(f"intwizard: error: {spec}: the JSON is nested too deeply"), stderr


def test_validator_messages_do_not_quote_whole_files(folder: Path) -> None:
    (folder / "big.yaml").write_text("Pet: '" + "secret-" * 2000 + "'\n")
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.replace("REF", "big.yaml#/Pet"))
    code, stderr = imported(folder, spec)
    assert code == 2 and stderr.count("secret-") < 40, stderr[:500]
