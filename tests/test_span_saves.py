"""Saves go through the span editor: only the edited lines change, each line keeps its ending, the
byte order mark stays, and plain block-style drafts never take the whole-document path."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from intwizard.core import spanedit
from intwizard.core.schema import load_schema
from intwizard.core.store import open_draft

HAND_EDITED = Path(__file__).parent / "fixtures" / "hand_edited.yaml"
TODAY = dt.date(2026, 12, 1)


def _mixed(tmp_path: Path) -> Path:
    lines = HAND_EDITED.read_text(encoding="utf-8").split("\n")
    ends = ["\r\n" if index % 3 else "\n" for index in range(len(lines) - 1)]
    path = tmp_path / "mixed.yaml"
    path.write_bytes(("\ufeff" + "".join(line + end for line, end in zip(lines, ends, strict=False))).encode())
    return path


def test_a_set_on_a_file_of_mixed_line_ends_changes_only_its_own_lines(tmp_path: Path) -> None:
    path = _mixed(tmp_path)
    before = path.read_bytes().splitlines(keepends=True)
    fallbacks = sum(spanedit.FALLBACKS.values())
    draft_file = open_draft(path, load_schema())
    draft_file.draft.set("meta.author", "Ana Diaz")
    assert draft_file.save(today=TODAY)
    after = path.read_bytes().splitlines(keepends=True)
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert len(changed) == 2, changed  # the author and last_updated, nothing else
    assert all(old.endswith(b"\r\n") == new.endswith(b"\r\n") for old, new in changed)
    assert after[0].startswith(b"\xef\xbb\xbf")
    assert sum(spanedit.FALLBACKS.values()) == fallbacks


def test_adding_an_integration_and_a_row_keeps_every_other_line(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    shutil.copy(HAND_EDITED, path)
    original = path.read_text(encoding="utf-8").splitlines()
    fallbacks = sum(spanedit.FALLBACKS.values())
    draft_file = open_draft(path, load_schema())
    draft_file.draft.set("external_system_integrations.1.name", "Shipwise")
    draft_file.draft.set("external_system_integrations.0.api_endpoints.2.method", "DELETE")
    assert draft_file.save(today=TODAY)
    text = path.read_text(encoding="utf-8").splitlines()
    kept = iter(text)
    for line in original:
        if "last_updated" in line:
            continue
        assert any(candidate == line for candidate in kept), line  # in order, byte for byte
    assert sum(spanedit.FALLBACKS.values()) == fallbacks
