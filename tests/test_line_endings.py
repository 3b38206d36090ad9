"""Drafts saved on Windows (CRLF line ends, a UTF-8 byte order mark) are read, and a save keeps both."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import run

BOM = "\ufeff".encode()
COMPLETE = (Path(__file__).parent / "fixtures" / "complete.yaml").read_bytes()
AUTHOR = b"  author: Priya Raman"


def variant(crlf: bool, bom: bool) -> bytes:
    data = COMPLETE.replace(b"\n", b"\r\n") if crlf else COMPLETE
    return (BOM if bom else b"") + data


@pytest.mark.parametrize(("crlf", "bom"), [(True, False), (False, True), (True, True)])
def test_set_keeps_line_endings_and_bom(tmp_path: Path, crlf: bool, bom: bool) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(variant(crlf, bom))
    result = run("set", path, "meta.author=Grace Hopper", "overview.summary=First line\\nSecond line")
    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    assert data.startswith(BOM) == bom
    body = data.removeprefix(BOM)
    if crlf:
        assert b"\n" not in body.replace(b"\r\n", b""), "every line ends in CRLF, the new ones too"
        assert b"\r\r" not in body
    else:
        assert b"\r" not in body
    newline = b"\r\n" if crlf else b"\n"
    assert b"  author: Grace Hopper" + newline in body
    assert b"    First line" + newline + b"    Second line" + newline in body
    # Only the edited lines (and the updated date) differ from the original.
    before = variant(crlf, bom).removeprefix(BOM).split(newline)
    after = body.split(newline)
    changed = [line for line in before if line not in after]
    assert all(line.startswith((AUTHOR, b"  last_updated:", b"  summary:", b"    ")) for line in changed), changed
    # The backup is the file as it was, byte for byte.
    assert path.with_name("spec.yaml.bak").read_bytes() == variant(crlf, bom)


@pytest.mark.parametrize(("crlf", "bom"), [(True, False), (False, True), (True, True)])
def test_read_commands_accept_them(tmp_path: Path, crlf: bool, bom: bool) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_bytes(COMPLETE)
    path = tmp_path / "windows.yaml"
    path.write_bytes(variant(crlf, bom))
    exported = run("export", path, "-o", "-")
    assert exported.exit_code == 0, exported.output
    assert exported.stdout == run("export", plain, "-o", "-").stdout
    got = run("get", path, "meta.feature_name")
    assert got.exit_code == 0 and got.stdout == "Split Payments at Checkout\n"  # no BOM or CR leaks into values
    got = run("get", path, "overview.summary")
    assert "\r" not in got.stdout and got.stdout.count("\n") >= 4


def test_unchanged_set_leaves_the_bytes_alone(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(variant(True, True))
    result = run("set", path, "meta.author=Priya Raman")
    assert result.exit_code == 0 and "unchanged" in result.stderr
    assert path.read_bytes() == variant(True, True)
